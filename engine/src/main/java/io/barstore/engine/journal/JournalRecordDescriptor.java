package io.barstore.engine.journal;

/**
 * Layout of one journal record (one Chronicle Queue document per accepted batch), little-endian:
 * <pre>
 *  u8  kind            1 = WRITE_BATCH, 2 = DELETE
 *  u8  timeframe       ordinal of {@link io.barstore.engine.Timeframe}
 *  u8  source length   then that many ASCII bytes
 *  u8  symbol length   then that many ASCII bytes
 * WRITE_BATCH:
 *  i32 rows
 *  8 x rows x i64      column-major: all ts, then open, high, low, close, volume, vwap (IEEE 754 bits),
 *                      then trades, each column copied in one call
 * DELETE:
 *  i64 before          every bar with ts below this is deleted ({@code Long.MAX_VALUE}: the whole series)
 * </pre>
 * Symbols and sources are validated ASCII before they are written, so one byte per character suffices.
 */
public final class JournalRecordDescriptor
{
    public static final int KIND_WRITE_BATCH = 1;
    public static final int KIND_DELETE = 2;

    private JournalRecordDescriptor()
    {
    }
}

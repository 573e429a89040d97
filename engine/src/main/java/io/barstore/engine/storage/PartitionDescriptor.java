package io.barstore.engine.storage;

import io.barstore.engine.Column;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Layout of a partition file: a 128-byte header followed by eight column regions, every column starting on a
 * 64-byte boundary so Arrow can use it in place. All values are little-endian. See {@code engine/FORMAT.md}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    magic "BARSTOR1" (8 bytes)                 |  0
 *  +-------------------------------+-------------------------------+
 *  |        format version         |   flags: 1 COMPLETE 2 SEALED  |  8
 *  +-------------------------------+-------------------------------+
 *  |                 timeframe in nanoseconds (i64)                |  16
 *  |           period start, epoch nanoseconds (i64, incl.)        |  24
 *  |            period end, epoch nanoseconds (i64, excl.)         |  32
 *  |                 capacity in rows (i64)                        |  40
 *  |          committed row count (i64, written last)              |  48
 *  |                 first ts (i64, epoch ns)                      |  56
 *  |                  last ts (i64, epoch ns)                      |  64
 *  |        live-row version (i64, seqlock, odd while writing)     |  72
 *  |                    generation (i64)                           |  80
 *  |      CRC32C of header[0,88) and the used column bytes (i64)   |  88
 *  +-------------------------------+-------------------------------+
 *  |    span code ('D' 'M' 'Y')    |        reserved, zero         |  96
 *  +-------------------------------+-------------------------------+
 *  |                     reserved, zero to 128                     |  100
 *  +---------------------------------------------------------------+
 *  |  ts[capacity] i64 | pad to 64 | open[capacity] f64 | pad | ...  |  128
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PartitionDescriptor
{
    public static final long MAGIC = 0x31524f5453524142L; // "BARSTOR1" read as a little-endian long
    public static final int VERSION = 1;
    public static final int FLAG_COMPLETE = 1;
    public static final int FLAG_SEALED = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int TIMEFRAME_NANOS_OFFSET = 16;
    public static final int PERIOD_START_OFFSET = 24;
    public static final int PERIOD_END_OFFSET = 32;
    public static final int CAPACITY_OFFSET = 40;
    public static final int ROW_COUNT_OFFSET = 48;
    public static final int FIRST_TS_OFFSET = 56;
    public static final int LAST_TS_OFFSET = 64;
    public static final int LIVE_VERSION_OFFSET = 72;
    public static final int GENERATION_OFFSET = 80;
    public static final int CHECKSUM_OFFSET = 88;
    public static final int SPAN_OFFSET = 96;
    public static final int HEADER_LENGTH = 128;
    public static final int COLUMN_ALIGNMENT = 64;
    public static final String FILE_SUFFIX = ".bar";

    private PartitionDescriptor()
    {
    }

    /** Bytes from one column's start to the next: {@code capacity * 8} rounded up to 64. */
    public static long columnStride(final long capacity)
    {
        return align(capacity * Column.VALUE_BYTES, COLUMN_ALIGNMENT);
    }

    public static long columnOffset(final long capacity, final int column)
    {
        return HEADER_LENGTH + column * columnStride(capacity);
    }

    public static long fileLength(final long capacity)
    {
        return HEADER_LENGTH + Column.COUNT * columnStride(capacity);
    }

    /** The file name of one generation of a partition: {@code 2025-01-02_D.000003.bar}. */
    public static String fileName(final String periodName, final char spanCode, final long generation)
    {
        return periodName + '_' + spanCode + '.' + String.format("%06d", generation) + FILE_SUFFIX;
    }

    /** Writes a complete header for an empty partition. */
    public static void writeHeader(
        final UnsafeBuffer header,
        final long timeframeNanos,
        final char spanCode,
        final long periodStart,
        final long periodEnd,
        final long capacity,
        final long generation)
    {
        header.setMemory(0, HEADER_LENGTH, (byte)0);
        header.putLong(MAGIC_OFFSET, MAGIC);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(FLAGS_OFFSET, 0);
        header.putLong(TIMEFRAME_NANOS_OFFSET, timeframeNanos);
        header.putLong(PERIOD_START_OFFSET, periodStart);
        header.putLong(PERIOD_END_OFFSET, periodEnd);
        header.putLong(CAPACITY_OFFSET, capacity);
        header.putLong(ROW_COUNT_OFFSET, 0);
        header.putLong(FIRST_TS_OFFSET, Long.MIN_VALUE);
        header.putLong(LAST_TS_OFFSET, Long.MIN_VALUE);
        header.putLong(GENERATION_OFFSET, generation);
        header.putInt(SPAN_OFFSET, spanCode);
    }

    static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }

    /**
     * First row in {@code [0, n)} of the ts column at {@code tsAddress} (strictly increasing) whose ts is at least
     * {@code ts}: the number of rows below it. Range reads and deletions both cut a partition with it.
     */
    public static long lowerBound(final long tsAddress, final long n, final long ts)
    {
        long lo = 0;
        long hi = n;
        while (lo < hi)
        {
            final long mid = (lo + hi) >>> 1;
            if (UnsafeApi.getLong(tsAddress + mid * Column.VALUE_BYTES) < ts)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}

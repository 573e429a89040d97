package io.barstore.engine;

import java.util.Locale;

/**
 * The bar intervals barstore stores, with the vendor aliases accepted for each and the period a partition spans.
 */
public enum Timeframe
{
    S1("1s", 1_000_000_000L, PartitionSpan.DAY, "1sec", "1second", "second", "1S"),
    S5("5s", 5_000_000_000L, PartitionSpan.DAY, "5sec", "5second"),
    S10("10s", 10_000_000_000L, PartitionSpan.DAY, "10sec", "10second"),
    S15("15s", 15_000_000_000L, PartitionSpan.DAY, "15sec", "15second"),
    S30("30s", 30_000_000_000L, PartitionSpan.DAY, "30sec", "30second"),
    M1("1m", 60_000_000_000L, PartitionSpan.DAY, "1min", "1minute", "minute", "1T"),
    M5("5m", 300_000_000_000L, PartitionSpan.DAY, "5min", "5minute", "5T"),
    M15("15m", 900_000_000_000L, PartitionSpan.DAY, "15min", "15minute", "15T"),
    M30("30m", 1_800_000_000_000L, PartitionSpan.DAY, "30min", "30minute", "30T"),
    H1("1h", 3_600_000_000_000L, PartitionSpan.MONTH, "1hour", "hour", "60m", "60min", "1H"),
    H2("2h", 7_200_000_000_000L, PartitionSpan.MONTH, "2hour"),
    H4("4h", 14_400_000_000_000L, PartitionSpan.MONTH, "4hour"),
    D1("1d", 86_400_000_000_000L, PartitionSpan.YEAR, "1day", "day", "daily", "1D"),
    W1("1w", 604_800_000_000_000L, PartitionSpan.YEAR, "1week", "week", "weekly", "1W");

    /** Nanoseconds from the epoch to the first Monday (1970-01-05): weekly bars open on Mondays, as vendors' do. */
    private static final long WEEK_ORIGIN_NANOS = 4L * 86_400_000_000_000L;
    private static final Timeframe[] VALUES = values();

    private final String label;
    private final long nanos;
    private final PartitionSpan partitionSpan;
    private final String[] aliases;

    Timeframe(final String label, final long nanos, final PartitionSpan partitionSpan, final String... aliases)
    {
        this.label = label;
        this.nanos = nanos;
        this.partitionSpan = partitionSpan;
        this.aliases = aliases;
    }

    /** The canonical name, as in CONTRACT.md ("5m"). */
    public String label()
    {
        return label;
    }

    public long nanos()
    {
        return nanos;
    }

    /** The calendar period one writable partition of this timeframe covers. */
    public PartitionSpan partitionSpan()
    {
        return partitionSpan;
    }

    /** The calendar period sealed partitions are consolidated into: a month for intraday bars. */
    public PartitionSpan segmentSpan()
    {
        return partitionSpan == PartitionSpan.DAY ? PartitionSpan.MONTH : partitionSpan;
    }

    /** True when {@code ts} is a bar open time of this timeframe (UTC; weekly bars open on Mondays). */
    public boolean isAligned(final long ts)
    {
        final long origin = this == W1 ? WEEK_ORIGIN_NANOS : 0L;
        return Math.floorMod(ts - origin, nanos) == 0;
    }

    /** The open time of the bar holding {@code ts}. */
    public long floor(final long ts)
    {
        final long origin = this == W1 ? WEEK_ORIGIN_NANOS : 0L;
        return ts - Math.floorMod(ts - origin, nanos);
    }

    /**
     * Parses a timeframe by its label or a vendor alias, ignoring case ("5m", "5Min", "1Hour", "day").
     *
     * @throws BarStoreException of category {@code BAD_INPUT} naming the accepted values.
     */
    public static Timeframe parse(final String text)
    {
        if (text != null)
        {
            final String trimmed = text.trim();
            for (final Timeframe tf : VALUES)
            {
                if (tf.label.equalsIgnoreCase(trimmed))
                {
                    return tf;
                }
            }
            final String lower = trimmed.toLowerCase(Locale.ROOT);
            for (final Timeframe tf : VALUES)
            {
                for (final String alias : tf.aliases)
                {
                    if (alias.toLowerCase(Locale.ROOT).equals(lower))
                    {
                        return tf;
                    }
                }
            }
        }
        throw new BarStoreException(
            BarStoreException.Category.BAD_INPUT,
            "unknown timeframe; use one of 1s 5s 10s 15s 30s 1m 5m 15m 30m 1h 2h 4h 1d 1w (or 5Min, 1Hour, 1Day, minute, day)")
            .with("timeframe", text);
    }

    public static Timeframe byOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    public String toString()
    {
        return label;
    }
}

package io.barstore.engine.storage;

import io.barstore.engine.Column;
import io.barstore.engine.Timeframe;
import org.agrona.UnsafeApi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Checks every invariant of a mapped partition file and names the file, the byte offset and the rule for each
 * problem ({@code <file>: offset N: <problem>}): the header (magic, version, complete flag, length against capacity,
 * row count, timeframe), every row (ts strictly increasing, aligned and inside the period; the validation rules of
 * CONTRACT.md) and, when sealed, the checksum. Used by {@code BarStore.verify()} on an open store and by
 * {@link StoreVerifier} on the files alone.
 */
public final class PartitionVerifier
{
    /** Row problems listed per file; more are counted in one extra line, so a wrecked file does not flood the report. */
    public static final int MAX_ROW_PROBLEMS = 20;
    /** Reads of the newest row of a writable file under its seqlock before giving up on a whole copy. */
    private static final int LIVE_ROW_ATTEMPTS = 10_000;

    private PartitionVerifier()
    {
    }

    /** Appends problems found in one mapped partition of an open store to {@code problems}. */
    public static void verify(final Partition partition, final Mapping mapping, final Timeframe tf, final List<String> problems)
    {
        verify(partition.path, mapping, tf, partition.periodStart, partition.periodEnd, Long.MAX_VALUE, problems);
    }

    /**
     * Appends the problems of the mapped file {@code file} to {@code problems}: a partition of a series of timeframe
     * {@code tf} covering {@code [periodStart, periodEnd)}, of which at most {@code rowLimit} rows are checked.
     *
     * @return the number of rows checked.
     */
    static long verify(
        final Path file,
        final Mapping mapping,
        final Timeframe tf,
        final long periodStart,
        final long periodEnd,
        final long rowLimit,
        final List<String> problems)
    {
        final long base = mapping.address();
        if (mapping.length() < PartitionDescriptor.HEADER_LENGTH)
        {
            problems.add(file + ": offset 0: file of " + mapping.length() + " bytes is shorter than the " +
                PartitionDescriptor.HEADER_LENGTH + "-byte header");
            return 0;
        }
        if (UnsafeApi.getLong(base + PartitionDescriptor.MAGIC_OFFSET) != PartitionDescriptor.MAGIC)
        {
            problems.add(file + ": offset " + PartitionDescriptor.MAGIC_OFFSET +
                ": bad magic (not a barstore partition)");
            return 0;
        }
        final int version = UnsafeApi.getInt(base + PartitionDescriptor.VERSION_OFFSET);
        if (version != PartitionDescriptor.VERSION)
        {
            problems.add(file + ": offset " + PartitionDescriptor.VERSION_OFFSET + ": format version " + version +
                ", expected " + PartitionDescriptor.VERSION);
            return 0;
        }
        final int flags = UnsafeApi.getInt(base + PartitionDescriptor.FLAGS_OFFSET);
        if ((flags & PartitionDescriptor.FLAG_COMPLETE) == 0)
        {
            problems.add(file + ": offset " + PartitionDescriptor.FLAGS_OFFSET + ": not marked complete");
        }
        final long capacity = UnsafeApi.getLong(base + PartitionDescriptor.CAPACITY_OFFSET);
        final long rows = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
        final boolean plausible = capacity >= 0 && capacity <= Integer.MAX_VALUE;
        if (!plausible || mapping.length() != PartitionDescriptor.fileLength(capacity))
        {
            problems.add(file + ": offset " + PartitionDescriptor.CAPACITY_OFFSET + ": file length " +
                mapping.length() + " does not match capacity " + capacity + (plausible ?
                " (" + PartitionDescriptor.fileLength(capacity) + " bytes): truncated or damaged" : ""));
            return 0;
        }
        if (rows < 0 || rows > capacity)
        {
            problems.add(file + ": offset " + PartitionDescriptor.ROW_COUNT_OFFSET + ": row count " + rows +
                " outside [0, " + capacity + "]");
            return 0;
        }
        final long timeframeNanos = UnsafeApi.getLong(base + PartitionDescriptor.TIMEFRAME_NANOS_OFFSET);
        if (timeframeNanos != tf.nanos())
        {
            problems.add(file + ": offset " + PartitionDescriptor.TIMEFRAME_NANOS_OFFSET + ": timeframe " +
                timeframeNanos + " ns does not match the series directory " + tf.label() + " (" + tf.nanos() + " ns)");
        }
        final boolean sealed = (flags & PartitionDescriptor.FLAG_SEALED) != 0;
        final long checked = Math.min(rows, rowLimit);
        checkRows(file, base, capacity, checked, sealed && checked == rows, tf, periodStart, periodEnd, problems);
        if (sealed)
        {
            final long stored = UnsafeApi.getLong(base + PartitionDescriptor.CHECKSUM_OFFSET);
            final long actual = PartitionChecksum.compute(mapping, capacity, rows);
            if (stored != actual)
            {
                problems.add(file + ": offset " + PartitionDescriptor.CHECKSUM_OFFSET + ": checksum mismatch (stored " +
                    Long.toHexString(stored) + ", computed " + Long.toHexString(actual) +
                    "): the header or a column changed after sealing");
            }
        }
        return checked;
    }

    /** Checks rows {@code [0, rows)}; the last one under the live-row seqlock unless {@code settled}. */
    private static void checkRows(
        final Path file,
        final long base,
        final long capacity,
        final long rows,
        final boolean settled,
        final Timeframe tf,
        final long periodStart,
        final long periodEnd,
        final List<String> problems)
    {
        final long stride = PartitionDescriptor.columnStride(capacity);
        final long liveVersion = base + PartitionDescriptor.LIVE_VERSION_OFFSET;
        int listed = 0;
        long unlisted = 0;
        long previous = Long.MIN_VALUE;
        for (long r = 0; r < rows; r++)
        {
            String problem = null;
            if (!settled && r == rows - 1)
            {
                // A running writer replaces the newest row in place under a seqlock: check a whole copy of it. A
                // version left odd by a crash never settles; the row is then checked as it is.
                boolean whole = false;
                for (int attempt = 0; attempt < LIVE_ROW_ATTEMPTS && !whole; attempt++)
                {
                    final long before = UnsafeApi.getLongVolatile(null, liveVersion);
                    if ((before & 1) != 0)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    problem = checkRow(file, base, stride, r, previous, tf, periodStart, periodEnd);
                    UnsafeApi.loadFence();
                    whole = UnsafeApi.getLongVolatile(null, liveVersion) == before;
                }
                if (!whole)
                {
                    problem = checkRow(file, base, stride, r, previous, tf, periodStart, periodEnd);
                }
            }
            else
            {
                problem = checkRow(file, base, stride, r, previous, tf, periodStart, periodEnd);
            }
            if (problem != null)
            {
                if (listed < MAX_ROW_PROBLEMS)
                {
                    problems.add(problem);
                    listed++;
                }
                else
                {
                    unlisted++;
                }
            }
            previous = UnsafeApi.getLong(base + PartitionDescriptor.HEADER_LENGTH + r * Column.VALUE_BYTES);
        }
        if (unlisted > 0)
        {
            problems.add(file + ": offset " + PartitionDescriptor.HEADER_LENGTH + ": " + unlisted +
                " more rows break a rule (the first " + MAX_ROW_PROBLEMS + " are listed)");
        }
    }

    /** The first rule row {@code r} breaks, as a report line; null when it keeps them all. */
    private static String checkRow(
        final Path file,
        final long base,
        final long stride,
        final long r,
        final long previousTs,
        final Timeframe tf,
        final long periodStart,
        final long periodEnd)
    {
        final long tsOffset = PartitionDescriptor.HEADER_LENGTH + r * Column.VALUE_BYTES;
        final long ts = UnsafeApi.getLong(base + tsOffset);
        final String row = "row " + r + " (ts " + ts + (ts >= 0 ? " " + instant(ts) : "") + ")";
        if (r > 0 && ts <= previousTs)
        {
            return file + ": offset " + tsOffset + ": " + row + " is not after the previous row's ts " + previousTs;
        }
        if (ts < periodStart || ts >= periodEnd)
        {
            return file + ": offset " + tsOffset + ": " + row + " lies outside the partition's period [" +
                instant(periodStart) + ", " + instant(periodEnd) + ")";
        }
        if (!tf.isAligned(ts))
        {
            return file + ": offset " + tsOffset + ": " + row + " is not aligned to " + tf.label();
        }
        final double open = UnsafeApi.getDouble(base + tsOffset + stride);
        final double high = UnsafeApi.getDouble(base + tsOffset + 2 * stride);
        final double low = UnsafeApi.getDouble(base + tsOffset + 3 * stride);
        final double close = UnsafeApi.getDouble(base + tsOffset + 4 * stride);
        final double volume = UnsafeApi.getDouble(base + tsOffset + 5 * stride);
        final double vwap = UnsafeApi.getDouble(base + tsOffset + 6 * stride);
        final long trades = UnsafeApi.getLong(base + tsOffset + 7 * stride);
        final double[] values = {open, high, low, close, volume};
        for (int c = 0; c < values.length; c++)
        {
            if (!Double.isFinite(values[c]))
            {
                return file + ": offset " + (tsOffset + (c + 1) * stride) + ": " + row + " " +
                    Column.byIndex(c + 1).fieldName() + " " + values[c] + " is not a finite number";
            }
        }
        if (Double.isInfinite(vwap))
        {
            return file + ": offset " + (tsOffset + 6 * stride) + ": " + row + " vwap " + vwap +
                " is neither finite nor NaN (unknown)";
        }
        // low <= high follows from these two.
        if (high < Math.max(open, close))
        {
            return file + ": offset " + (tsOffset + 2 * stride) + ": " + row + " high " + high +
                " below max(open, close) " + Math.max(open, close);
        }
        if (low > Math.min(open, close))
        {
            return file + ": offset " + (tsOffset + 3 * stride) + ": " + row + " low " + low +
                " above min(open, close) " + Math.min(open, close);
        }
        if (volume < 0)
        {
            return file + ": offset " + (tsOffset + 5 * stride) + ": " + row + " volume " + volume + " is negative";
        }
        if (trades < -1)
        {
            return file + ": offset " + (tsOffset + 7 * stride) + ": " + row + " trades " + trades +
                " is below -1 (unknown)";
        }
        return null;
    }

    static String instant(final long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }
}

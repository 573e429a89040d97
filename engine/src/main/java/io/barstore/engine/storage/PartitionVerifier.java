package io.barstore.engine.storage;

import io.barstore.engine.Column;
import io.barstore.engine.Timeframe;
import org.agrona.UnsafeApi;

import java.util.List;

/**
 * Checks every invariant of a partition file and names the file, the byte offset and the rule for each problem:
 * header fields, ts strictly increasing, aligned and inside the period, valid OHLC, and the checksum when sealed.
 */
public final class PartitionVerifier
{
    private PartitionVerifier()
    {
    }

    /** Appends problems found in one mapped partition to {@code problems}. */
    public static void verify(final Partition partition, final Mapping mapping, final Timeframe tf, final List<String> problems)
    {
        final long base = mapping.address();
        final String file = partition.path.toString();
        if (mapping.length() < PartitionDescriptor.HEADER_LENGTH)
        {
            problems.add(file + ": offset 0: file shorter than the header");
            return;
        }
        if (UnsafeApi.getLong(base + PartitionDescriptor.MAGIC_OFFSET) != PartitionDescriptor.MAGIC)
        {
            problems.add(file + ": offset 0: bad magic");
            return;
        }
        final int flags = UnsafeApi.getInt(base + PartitionDescriptor.FLAGS_OFFSET);
        if ((flags & PartitionDescriptor.FLAG_COMPLETE) == 0)
        {
            problems.add(file + ": offset " + PartitionDescriptor.FLAGS_OFFSET + ": not marked complete");
        }
        final long capacity = UnsafeApi.getLong(base + PartitionDescriptor.CAPACITY_OFFSET);
        final long rows = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
        if (mapping.length() != PartitionDescriptor.fileLength(capacity))
        {
            problems.add(file + ": offset " + PartitionDescriptor.CAPACITY_OFFSET + ": file length " +
                mapping.length() + " does not match capacity " + capacity + " (truncated?)");
            return;
        }
        if (rows < 0 || rows > capacity)
        {
            problems.add(file + ": offset " + PartitionDescriptor.ROW_COUNT_OFFSET + ": row count " + rows +
                " outside [0, " + capacity + "]");
            return;
        }
        if (UnsafeApi.getLong(base + PartitionDescriptor.TIMEFRAME_NANOS_OFFSET) != tf.nanos())
        {
            problems.add(file + ": offset " + PartitionDescriptor.TIMEFRAME_NANOS_OFFSET +
                ": timeframe does not match the series directory " + tf.label());
        }
        final long stride = PartitionDescriptor.columnStride(capacity);
        final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
        long previous = Long.MIN_VALUE;
        for (long r = 0; r < rows; r++)
        {
            final long row = tsAddress + r * Column.VALUE_BYTES;
            final long ts = UnsafeApi.getLong(row);
            final long offset = PartitionDescriptor.HEADER_LENGTH + r * Column.VALUE_BYTES;
            if (ts <= previous)
            {
                problems.add(file + ": offset " + offset + ": row " + r + " ts " + ts + " not after the previous row");
            }
            if (ts < partition.periodStart || ts >= partition.periodEnd || !tf.isAligned(ts))
            {
                problems.add(file + ": offset " + offset + ": row " + r + " ts " + ts +
                    " outside the partition's period or not aligned to " + tf.label());
            }
            previous = ts;
            final double open = UnsafeApi.getDouble(row + stride);
            final double high = UnsafeApi.getDouble(row + 2 * stride);
            final double low = UnsafeApi.getDouble(row + 3 * stride);
            final double close = UnsafeApi.getDouble(row + 4 * stride);
            final double volume = UnsafeApi.getDouble(row + 5 * stride);
            final long trades = UnsafeApi.getLong(row + 7 * stride);
            if (!(low <= Math.min(open, close) && high >= Math.max(open, close) && low <= high && volume >= 0 &&
                trades >= -1))
            {
                problems.add(file + ": offset " + (offset + stride) + ": row " + r + " breaks an OHLC/volume rule");
            }
        }
        if ((flags & PartitionDescriptor.FLAG_SEALED) != 0)
        {
            final long stored = UnsafeApi.getLong(base + PartitionDescriptor.CHECKSUM_OFFSET);
            final long actual = PartitionChecksum.compute(mapping, capacity, rows);
            if (stored != actual)
            {
                problems.add(file + ": offset " + PartitionDescriptor.CHECKSUM_OFFSET + ": checksum mismatch (stored " +
                    Long.toHexString(stored) + ", computed " + Long.toHexString(actual) + ")");
            }
        }
    }
}

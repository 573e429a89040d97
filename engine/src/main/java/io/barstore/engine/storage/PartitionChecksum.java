package io.barstore.engine.storage;

import io.barstore.engine.Column;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The checksum of a sealed partition: CRC32C over header bytes {@code [16, 88)} (timeframe, period, capacity, row
 * count, first/last ts, live version, generation) and then the used bytes of each column in order. The magic,
 * version and flags are left out so that marking a file complete does not change it.
 */
public final class PartitionChecksum
{
    static final int HEADER_FROM = PartitionDescriptor.TIMEFRAME_NANOS_OFFSET;
    static final int HEADER_TO = PartitionDescriptor.CHECKSUM_OFFSET;

    private PartitionChecksum()
    {
    }

    public static long compute(final Mapping mapping, final long capacity, final long rows)
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer bytes = mapping.byteBuffer();
        bytes.limit(HEADER_TO).position(HEADER_FROM);
        crc.update(bytes);
        for (int c = 0; c < Column.COUNT; c++)
        {
            final long offset = PartitionDescriptor.columnOffset(capacity, c);
            bytes.limit((int)(offset + rows * Column.VALUE_BYTES)).position((int)offset);
            crc.update(bytes);
        }
        return crc.getValue();
    }
}

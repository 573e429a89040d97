package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;
import io.barstore.engine.Column;
import org.agrona.UnsafeApi;

/**
 * Physical reference: the same 64 bytes a bar copied into one off-heap block allocated and touched up front, laid out
 * as eight column regions of {@code totalBars} values each in replay order. Ingest is then eight memory copies per
 * symbol-day and no page faults (the bound on any store's ingest); the close region is one contiguous run of doubles,
 * the bound on a column scan. Holds nothing on disk; range and latest reads are not offered.
 */
final class MemoryCopyPeer implements BarPeer
{
    private static final Column[] COLUMNS = Column.values();

    private final PeerDataset data;
    private final long regionBytes;
    private long address;
    private long rows;

    MemoryCopyPeer(final PeerDataset data)
    {
        this.data = data;
        regionBytes = data.totalBars() * Column.VALUE_BYTES;
        final long bytes = regionBytes * Column.COUNT;
        address = UnsafeApi.allocateMemory(bytes);
        UnsafeApi.setMemory(address, bytes, (byte)0); // fault every page in now, outside the timed part
    }

    @Override
    public void ingest() throws Exception
    {
        rows = 0;
        data.replay(new PeerDataset.Feed()
        {
            public void bars(final int symbol, final BarBatch batch)
            {
                final int n = batch.size();
                final long offset = rows * Column.VALUE_BYTES;
                for (final Column column : COLUMNS)
                {
                    UnsafeApi.copyMemory(batch.columnAddress(column), address + column.ordinal() * regionBytes + offset,
                        (long)n * Column.VALUE_BYTES);
                }
                rows += n;
            }

            public void endOfDay(final int day)
            {
            }
        });
    }

    @Override
    public long count()
    {
        return rows;
    }

    @Override
    public void range(final int symbol, final long startNanos, final long endNanos, final BarSums sums)
    {
        throw new UnsupportedOperationException("the memory reference offers ingest and scan only");
    }

    @Override
    public void latest(final BarSums sums)
    {
        throw new UnsupportedOperationException("the memory reference offers ingest and scan only");
    }

    @Override
    public double closeSum()
    {
        return sumDoubles(address + Column.CLOSE.ordinal() * regionBytes, Math.toIntExact(rows));
    }

    /**
     * Sum of {@code n} doubles from {@code address}, with four accumulators so the loop waits on memory, not on one
     * chain of floating-point adds. barstore's scan runs the same loop over each chunk.
     */
    static double sumDoubles(final long address, final int n)
    {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i <= n - 4; i += 4) // an int counter: C2 unrolls int-counted loops best
        {
            final long a = address + ((long)i << 3);
            s0 += UnsafeApi.getDouble(a);
            s1 += UnsafeApi.getDouble(a + 8);
            s2 += UnsafeApi.getDouble(a + 16);
            s3 += UnsafeApi.getDouble(a + 24);
        }
        for (; i < n; i++)
        {
            s0 += UnsafeApi.getDouble(address + ((long)i << 3));
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void close()
    {
        if (address != 0)
        {
            UnsafeApi.freeMemory(address);
            address = 0;
        }
    }
}

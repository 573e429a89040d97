package io.barstore.engine.storage;

import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * One series on disk: its directory and the partition table readers see, plus a copy of its newest bar that a
 * latest-bar read takes without touching the partitions; the rest is the writer's own state.
 */
public final class Series
{
    private static final VarHandle NEWEST_VERSION;

    static
    {
        try
        {
            NEWEST_VERSION = MethodHandles.lookup().findVarHandle(Series.class, "newestVersion", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final SeriesKey key;
    final Path directory;
    volatile PartitionTable table = PartitionTable.EMPTY;
    long nextGeneration = 1;
    long lastTs = Long.MIN_VALUE;

    /**
     * The newest bar's values as raw bits in {@link Column} order, under a seqlock: {@link #newestVersion} is odd
     * while the writer changes them and 0 until the series has a bar.
     */
    private final long[] newest = new long[Column.COUNT];
    @SuppressWarnings("unused") // through NEWEST_VERSION
    private volatile long newestVersion;

    Series(final SeriesKey key, final Path directory)
    {
        this.key = key;
        this.directory = directory;
    }

    public SeriesKey key()
    {
        return key;
    }

    public Path directory()
    {
        return directory;
    }

    /** The current partition table; take it once per query. */
    public PartitionTable table()
    {
        return table;
    }

    /**
     * Copies the newest bar's raw values into {@code out} (in {@link Column} order), never torn; false when the series
     * has no bar (yet, or any more: a deletion publishes a ts of {@code Long.MIN_VALUE}). Lock-free: retries only while the writer is replacing that very bar.
     */
    public boolean readNewest(final long[] out)
    {
        final long[] values = newest;
        while (true)
        {
            final long version = (long)NEWEST_VERSION.getAcquire(this);
            if (version == 0)
            {
                return false;
            }
            if ((version & 1) == 0)
            {
                for (int c = 0; c < Column.COUNT; c++)
                {
                    out[c] = values[c];
                }
                VarHandle.loadLoadFence();
                if ((long)NEWEST_VERSION.getVolatile(this) == version)
                {
                    return out[0] != Long.MIN_VALUE;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Writer only: the series has no bar any more. The version keeps growing, so a reader can never see a torn bar. */
    void clearNewest()
    {
        if ((long)NEWEST_VERSION.get(this) != 0)
        {
            publishNewest(Long.MIN_VALUE, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /** Writer only: publishes a new newest bar, given as raw values in {@link Column} order. */
    void publishNewest(
        final long ts, final long open, final long high, final long low, final long close, final long volume,
        final long vwap, final long trades)
    {
        final long version = (long)NEWEST_VERSION.get(this);
        NEWEST_VERSION.setVolatile(this, version + 1);
        VarHandle.storeStoreFence();
        final long[] values = newest;
        values[0] = ts;
        values[1] = open;
        values[2] = high;
        values[3] = low;
        values[4] = close;
        values[5] = volume;
        values[6] = vwap;
        values[7] = trades;
        NEWEST_VERSION.setRelease(this, version + 2);
    }
}

package io.barstore.engine;

import io.barstore.engine.storage.Mapping;
import io.barstore.engine.storage.MappingCache;
import io.barstore.engine.storage.Partition;
import io.barstore.engine.storage.PartitionDescriptor;
import io.barstore.engine.storage.PartitionTable;
import io.barstore.engine.storage.Series;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * A reusable, forward-only view of the bars of one read, straight over the mapped column files: no object per bar.
 * <p>
 * Two ways to walk it: {@link #next()} bar by bar (each bar read whole, never torn), or {@link #nextChunk()} over
 * runs of rows that lie contiguously in memory, one column slice per {@link Column}, for scans and Arrow export.
 * Rows that can no longer change are handed out in place; the one row that can (the series' newest bar, rewritten
 * in place while it forms) comes as its own one-row chunk, copied under a seqlock.
 * <p>
 * A cursor belongs to one thread. It holds a reference on at most one mapping at a time; {@link #release()} drops it.
 */
public final class BarCursor
{
    private static final int LIVE_COPY_BYTES = Column.COUNT * Column.VALUE_BYTES;
    /** How long a live row's version may stay odd before the writer is taken for dead (see copyLiveRow). */
    private static final long LIVE_ROW_GIVE_UP_NANOS = 1_000_000_000L;

    private final ByteBuffer liveCopyMemory = BufferUtil.allocateDirectAligned(LIVE_COPY_BYTES, 64);
    private final long liveCopyAddress = BufferUtil.address(liveCopyMemory);

    private MappingCache cache;
    private Series series;
    private PartitionTable table;
    private long start;
    private long end;
    private int nextPartition;
    private int partitionLimit;
    private long remaining;
    private Mapping[] pinned = new Mapping[4];
    private int pinnedCount;
    private int pinnedLast;

    private Mapping mapping;
    private boolean livePending;
    private long liveRowAddress;
    private long liveStride;

    private Mapping chunkMapping;
    private Partition chunkPartition;
    private long chunkFirstRow;
    private long chunkBase;
    private long chunkStride;
    private int chunkRows;
    private int row;

    private long ts;
    private double open;
    private double high;
    private double low;
    private double close;
    private double volume;
    private double vwap;
    private long trades;

    void reset(final MappingCache cache, final Series series, final long start, final long end)
    {
        releaseMapping();
        releasePinned();
        this.cache = cache;
        this.series = series;
        this.start = start;
        this.end = end;
        snapshotTable();
        this.remaining = Long.MAX_VALUE;
        this.livePending = false;
        this.chunkRows = 0;
        this.row = 0;
    }

    /**
     * Keeps only the newest {@code limit} bars of the range, counted now: the partitions holding them stay pinned
     * (retained) until the cursor is done, and the window is cut at the newest bar seen now, so the answer is exactly
     * the newest {@code limit} bars at this moment whatever the writer does meanwhile (it rewrites older partitions
     * copy-on-write and appends only to the newest).
     */
    void limitToNewest(final long limit)
    {
        long needed = limit;
        long newest = Long.MIN_VALUE;
        for (int i = partitionLimit - 1; i >= nextPartition && needed > 0; i--)
        {
            final Partition partition = table.get(i);
            final Mapping m = acquire(partition);
            if (m == null)
            {
                releasePinned();
                snapshotTable(); // superseded meanwhile: count again over the current table
                limitToNewest(limit);
                return;
            }
            pin(i, m);
            final long base = m.address();
            final long n = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
            final long lo = PartitionDescriptor.lowerBound(tsAddress, n, start);
            final long hi = PartitionDescriptor.lowerBound(tsAddress, n, end);
            if (hi > lo && newest == Long.MIN_VALUE)
            {
                newest = UnsafeApi.getLong(tsAddress + (hi - 1) * Column.VALUE_BYTES);
            }
            if (hi - lo >= needed)
            {
                start = UnsafeApi.getLong(tsAddress + (hi - needed) * Column.VALUE_BYTES);
                nextPartition = i;
            }
            needed -= Math.min(needed, hi - lo);
        }
        if (newest != Long.MIN_VALUE)
        {
            end = newest + 1;
        }
        remaining = limit;
    }

    private void pin(final int index, final Mapping m)
    {
        if (pinnedCount == 0)
        {
            pinnedLast = index;
        }
        if (pinnedCount == pinned.length)
        {
            pinned = java.util.Arrays.copyOf(pinned, pinned.length * 2);
        }
        pinned[pinnedCount++] = m; // pinned[k] belongs to partition index pinnedLast - k
    }

    /** The pinned mapping of partition {@code index}, handed over to the caller; null when not pinned. */
    private Mapping takePinned(final int index)
    {
        final int k = pinnedLast - index;
        if (pinnedCount == 0 || k < 0 || k >= pinnedCount)
        {
            return null;
        }
        final Mapping m = pinned[k];
        pinned[k] = null;
        return m;
    }

    private void releasePinned()
    {
        for (int k = 0; k < pinnedCount; k++)
        {
            if (pinned[k] != null)
            {
                pinned[k].release();
                pinned[k] = null;
            }
        }
        pinnedCount = 0;
    }

    private void snapshotTable()
    {
        table = series.table();
        nextPartition = table.firstEndingAfter(start);
        partitionLimit = table.firstStartingAtOrAfter(end);
    }

    /** A retained mapping, or null when the partition was superseded: the caller then takes the current table. */
    private Mapping acquire(final Partition partition)
    {
        if (partition.superseded())
        {
            return null;
        }
        try
        {
            return cache.acquire(partition);
        }
        catch (final BarStoreException ex)
        {
            // The writer may supersede it and a checkpoint delete its file between our check and the mapping.
            if (partition.superseded())
            {
                return null;
            }
            throw ex;
        }
    }

    /** The series being read. */
    public SeriesKey key()
    {
        return series == null ? null : series.key();
    }

    /** Moves to the next bar; false at the end. */
    public boolean next()
    {
        if (++row >= chunkRows)
        {
            do
            {
                if (!nextChunk())
                {
                    return false;
                }
            }
            while (chunkRows == 0);
            row = 0;
        }
        final long offset = (long)row * Column.VALUE_BYTES;
        final long base = chunkBase + offset;
        final long stride = chunkStride;
        ts = UnsafeApi.getLong(base);
        open = UnsafeApi.getDouble(base + stride);
        high = UnsafeApi.getDouble(base + 2 * stride);
        low = UnsafeApi.getDouble(base + 3 * stride);
        close = UnsafeApi.getDouble(base + 4 * stride);
        volume = UnsafeApi.getDouble(base + 5 * stride);
        vwap = UnsafeApi.getDouble(base + 6 * stride);
        trades = UnsafeApi.getLong(base + 7 * stride);
        return true;
    }

    /**
     * Moves to the next run of contiguous rows; false at the end. After it, {@link #chunkRows()} rows start at
     * {@link #chunkAddress(Column)} for each column. Row-by-row {@link #next()} continues after this chunk.
     */
    public boolean nextChunk()
    {
        row = Integer.MAX_VALUE - 1;
        if (remaining <= 0)
        {
            chunkRows = 0;
            return false;
        }
        if (livePending)
        {
            livePending = false;
            copyLiveRow();
            chunkMapping = null;
            chunkPartition = null;
            chunkBase = liveCopyAddress;
            chunkStride = Column.VALUE_BYTES;
            chunkRows = 1;
            remaining--;
            row = -1;
            return true;
        }
        releaseMapping();
        while (nextPartition < partitionLimit)
        {
            final int index = nextPartition++;
            final Partition partition = table.get(index);
            final Mapping pinnedMapping = takePinned(index);
            final Mapping m = pinnedMapping != null ? pinnedMapping : acquire(partition);
            if (m == null)
            {
                snapshotTable(); // resumes at start, which trails the rows already handed out
                continue;
            }
            final long base = m.address();
            final long n = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long stride = PartitionDescriptor.columnStride(partition.capacity());
            final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
            final long lo = PartitionDescriptor.lowerBound(tsAddress, n, start);
            long hi = PartitionDescriptor.lowerBound(tsAddress, n, end);
            if (hi - lo > remaining)
            {
                hi = lo + remaining;
            }
            if (lo >= hi)
            {
                m.release();
                continue;
            }
            mapping = m;
            // Everything up to this chunk's end is handed out: after a table refresh, resume behind it.
            start = UnsafeApi.getLong(tsAddress + (hi - 1) * Column.VALUE_BYTES) + 1;
            // Only the series' newest bar is ever rewritten in place, and only in the newest partition: a partition
            // that is not the newest in this snapshot cannot become the newest later.
            final boolean live = index == table.size() - 1 && !partition.sealed() && hi == n;
            final long fixedHi = live ? hi - 1 : hi;
            if (live)
            {
                livePending = true;
                liveRowAddress = tsAddress + (n - 1) * Column.VALUE_BYTES;
                liveStride = stride;
            }
            if (fixedHi > lo)
            {
                chunkMapping = m;
                chunkPartition = partition;
                chunkFirstRow = lo;
                chunkBase = tsAddress + lo * Column.VALUE_BYTES;
                chunkStride = stride;
                chunkRows = (int)(fixedHi - lo);
                remaining -= chunkRows;
                row = -1;
                return true;
            }
            return nextChunk();
        }
        chunkRows = 0;
        return false;
    }

    /** Rows in the current chunk. */
    public int chunkRows()
    {
        return chunkRows;
    }

    /** Address of the current chunk's first value of {@code column}; valid until the next chunk or release. */
    public long chunkAddress(final Column column)
    {
        return chunkBase + column.ordinal() * chunkStride;
    }

    /**
     * The mapping the current chunk lies in, or null when the chunk is the cursor's own copy of a live row. Retain it
     * ({@link Mapping#tryRetain()}) to keep the memory beyond this chunk, as zero-copy Arrow export does.
     */
    public Mapping chunkMapping()
    {
        return chunkMapping;
    }

    /**
     * The partition generation the current chunk lies in, or null when the chunk is the cursor's own copy of a live
     * row. A sealed partition's rows never change, so what is derived from them (rendered text, say) can be kept,
     * keyed by the partition object: a rewrite makes a new generation, a new object.
     */
    public Partition chunkPartition()
    {
        return chunkPartition;
    }

    /** Index in its partition of the current chunk's first row; meaningful while {@link #chunkPartition()} is set. */
    public long chunkFirstRow()
    {
        return chunkFirstRow;
    }

    public long ts()
    {
        return ts;
    }

    public double open()
    {
        return open;
    }

    public double high()
    {
        return high;
    }

    public double low()
    {
        return low;
    }

    public double close()
    {
        return close;
    }

    public double volume()
    {
        return volume;
    }

    /** NaN when unknown. */
    public double vwap()
    {
        return vwap;
    }

    /** -1 when unknown. */
    public long trades()
    {
        return trades;
    }

    /** Releases the mapping held; the cursor can be reused for another read. */
    public void release()
    {
        releaseMapping();
        releasePinned();
        chunkRows = 0;
        remaining = 0;
        livePending = false;
        table = null;
    }

    /**
     * Copies the live row under its seqlock. A version that stays odd for {@link #LIVE_ROW_GIVE_UP_NANOS} was left by
     * a writer that died mid-row (a writer holds it odd for a few stores): only a read-only view can meet one, since
     * opening the store to write settles it, and it then takes the row as it is rather than wait for ever.
     */
    private void copyLiveRow()
    {
        final long versionAddress = mapping.address() + PartitionDescriptor.LIVE_VERSION_OFFSET;
        long spins = 0;
        long waitingFor = 0; // the odd version being timed; versions start even, so no odd one is 0
        long since = 0;
        while (true)
        {
            final long before = UnsafeApi.getLongVolatile(null, versionAddress);
            if ((before & 1) == 0)
            {
                copyRow();
                UnsafeApi.loadFence();
                if (UnsafeApi.getLongVolatile(null, versionAddress) == before)
                {
                    return;
                }
            }
            else if ((++spins & 0xFFF) == 0) // the clock is read only while waiting, every 4,096 spins
            {
                final long now = System.nanoTime();
                if (before != waitingFor)
                {
                    waitingFor = before;
                    since = now;
                }
                else if (now - since > LIVE_ROW_GIVE_UP_NANOS)
                {
                    copyRow();
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    private void copyRow()
    {
        for (int c = 0; c < Column.COUNT; c++)
        {
            UnsafeApi.putLong(liveCopyAddress + (long)c * Column.VALUE_BYTES,
                UnsafeApi.getLong(liveRowAddress + c * liveStride));
        }
    }

    private void releaseMapping()
    {
        chunkMapping = null;
        chunkPartition = null;
        if (mapping != null)
        {
            mapping.release();
            mapping = null;
        }
    }
}

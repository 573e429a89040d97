package io.barstore.engine.storage;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.fs.FileOps;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;

/**
 * Maps partition files on demand and keeps at most {@code maxMappings} of them mapped, unmapping the least recently
 * used first, so that a store of many thousands of series stays inside {@code vm.max_map_count} and the open-file
 * limit (no file handle is held once a file is mapped).
 * <p>
 * The fast path, a partition already mapped, is lock-free: one volatile read and a CAS on the reference count.
 * Mapping a file takes this cache's monitor.
 */
public final class MappingCache
{
    private final FileOps fileOps;
    private final int maxMappings;
    private final ArrayList<Partition> mapped = new ArrayList<>();
    private long tick;
    private volatile int peakMapped;

    public MappingCache(final FileOps fileOps, final int maxMappings)
    {
        if (maxMappings < 2)
        {
            throw new IllegalArgumentException("maxMappings must be at least 2: " + maxMappings);
        }
        this.fileOps = fileOps;
        this.maxMappings = maxMappings;
    }

    /** A retained mapping of the partition's file; the caller must {@link Mapping#release()} it. */
    public Mapping acquire(final Partition partition)
    {
        final Mapping mapping = partition.mapping;
        if (mapping != null && mapping.tryRetain())
        {
            partition.lastUsedTick = tick; // a racy stamp is enough for LRU
            return mapping;
        }
        return acquireSlow(partition);
    }

    private synchronized Mapping acquireSlow(final Partition partition)
    {
        Mapping mapping = partition.mapping;
        if (mapping != null && mapping.tryRetain())
        {
            return mapping;
        }
        final boolean writable = !partition.sealed;
        final MappedByteBuffer buffer;
        try
        {
            buffer = fileOps.map(partition.path, writable);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "cannot map partition file; check that it exists and is readable", ex)
                .with("file", partition.path).with("cause", ex.toString());
        }
        mapping = new Mapping(partition.path, buffer, writable);
        mapping.tryRetain(); // the caller's reference; the cache holds the first
        partition.mapping = mapping;
        partition.lastUsedTick = ++tick;
        mapped.add(partition);
        while (mapped.size() > maxMappings)
        {
            evictLeastRecentlyUsed(partition);
        }
        peakMapped = Math.max(peakMapped, mapped.size());
        return mapping;
    }

    /** Unmaps a partition that was replaced or deleted; holders keep their memory until they release it. */
    public synchronized void drop(final Partition partition)
    {
        if (mapped.remove(partition))
        {
            final Mapping mapping = partition.mapping;
            partition.mapping = null;
            mapping.release();
        }
    }

    /** Unmaps everything; used on close. */
    public synchronized void clear()
    {
        for (final Partition partition : mapped)
        {
            final Mapping mapping = partition.mapping;
            partition.mapping = null;
            mapping.release();
        }
        mapped.clear();
    }

    public synchronized int mappedCount()
    {
        return mapped.size();
    }

    /** The most partitions mapped at once since the store opened. */
    public int peakMapped()
    {
        return peakMapped;
    }

    public int maxMappings()
    {
        return maxMappings;
    }

    private void evictLeastRecentlyUsed(final Partition keep)
    {
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        for (int i = 0, n = mapped.size(); i < n; i++)
        {
            final Partition p = mapped.get(i);
            if (p != keep && p.lastUsedTick < oldest)
            {
                oldest = p.lastUsedTick;
                victim = i;
            }
        }
        final Partition evicted = mapped.remove(victim);
        final Mapping mapping = evicted.mapping;
        evicted.mapping = null;
        mapping.release();
    }
}

package io.barstore.engine.storage;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.fs.FileOps;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;

/**
 * Maps partition files on demand and keeps at most {@code maxMappings} of them mapped, unmapping the least recently
 * used first (approximately: the CLOCK algorithm, O(1) per mapping), so that a store of many thousands of series stays inside {@code vm.max_map_count} and the open-file
 * limit (no file handle is held once a file is mapped).
 * <p>
 * The fast path, a partition already mapped, is lock-free: one volatile read and a CAS on the reference count.
 * Mapping a file takes this cache's monitor.
 */
public final class MappingCache
{
    private final FileOps fileOps;
    private final int maxMappings;
    private final boolean readOnly;
    private final ArrayList<Partition> mapped = new ArrayList<>();
    private int hand;
    private volatile int peakMapped;

    public MappingCache(final FileOps fileOps, final int maxMappings)
    {
        this(fileOps, maxMappings, false);
    }

    /** With {@code readOnly}, every file is mapped read-only: for a process that reads a store another one writes. */
    public MappingCache(final FileOps fileOps, final int maxMappings, final boolean readOnly)
    {
        this.readOnly = readOnly;
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
            partition.referenced = true; // a racy flag is enough for CLOCK
            return mapping;
        }
        return acquireSlow(partition, !partition.sealed);
    }

    /**
     * A retained, writable mapping of a new partition file the writer is filling (sealed ones included); it counts
     * against the bound like any other and serves readers once the file is published.
     */
    public Mapping acquireForWrite(final Partition partition)
    {
        return acquireSlow(partition, true);
    }

    private synchronized Mapping acquireSlow(final Partition partition, final boolean writable)
    {
        Mapping mapping = partition.mapping;
        if (mapping != null && mapping.tryRetain())
        {
            return mapping;
        }
        if (partition.superseded)
        {
            // A reader with an older table: it moves to the current one rather than map a file about to go.
            throw new BarStoreException(BarStoreException.Category.NOT_FOUND, "partition was superseded")
                .with("file", partition.path);
        }
        // Evict first: the kernel must never see more than maxMappings of our files mapped.
        while (mapped.size() >= maxMappings)
        {
            evictOne();
        }
        final MappedByteBuffer buffer;
        try
        {
            buffer = fileOps.map(partition.path, writable && !readOnly);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "cannot map partition file; check that it exists and is readable", ex)
                .with("file", partition.path).with("cause", ex.toString());
        }
        mapping = new Mapping(partition.path, buffer);
        mapping.tryRetain(); // the caller's reference; the cache holds the first
        partition.mapping = mapping;
        partition.referenced = true;
        partition.cacheSlot = mapped.size();
        mapped.add(partition);
        peakMapped = Math.max(peakMapped, mapped.size());
        return mapping;
    }

    /** Unmaps a partition that was replaced or deleted; holders keep their memory until they release it. */
    public synchronized void drop(final Partition partition)
    {
        if (partition.cacheSlot >= 0)
        {
            unmap(partition.cacheSlot);
        }
    }

    /** Unmaps everything; used on close. */
    public synchronized void clear()
    {
        while (!mapped.isEmpty())
        {
            unmap(mapped.size() - 1);
        }
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

    /** Advances the clock hand, clearing reference flags, to the first partition not used since the last pass. */
    private void evictOne()
    {
        while (true)
        {
            if (hand >= mapped.size())
            {
                hand = 0;
            }
            final Partition candidate = mapped.get(hand);
            if (candidate.referenced)
            {
                candidate.referenced = false;
                hand++;
            }
            else
            {
                unmap(hand);
                return;
            }
        }
    }

    /** Removes the partition at {@code slot} (the last one moves into its place) and drops the cache's reference. */
    private void unmap(final int slot)
    {
        final Partition partition = mapped.get(slot);
        final Partition last = mapped.remove(mapped.size() - 1);
        if (last != partition)
        {
            mapped.set(slot, last);
            last.cacheSlot = slot;
        }
        partition.cacheSlot = -1;
        final Mapping mapping = partition.mapping;
        partition.mapping = null;
        mapping.release();
    }
}

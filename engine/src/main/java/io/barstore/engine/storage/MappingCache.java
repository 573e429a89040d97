package io.barstore.engine.storage;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.fs.FileOps;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Maps partition files on demand and keeps about {@code maxMappings} of them mapped, unmapping the least recently
 * used idle one first (approximately: the CLOCK algorithm), so that a store of many thousands of series stays inside
 * {@code vm.max_map_count} and the open-file limit (no file handle is held once a file is mapped).
 * <p>
 * The bound counts what the kernel sees of this cache's mappings: one evicted while a reader still holds it stays
 * mapped until that reader releases it, so eviction picks mappings nobody holds. Only when every mapping is in use
 * (say, one Arrow export spanning more partitions than the bound) does the bound give way, rather than fail the
 * read; the excess is unmapped as its holders release it. The store's brief one-off mappings outside the cache
 * (repairs on open) are not counted.
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
    /** Mappings made here and not yet unmapped: those in {@link #mapped} plus evicted ones still held. */
    private final AtomicInteger live = new AtomicInteger();
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
        // Evict first: the kernel must not see more than maxMappings of our files mapped.
        while (live.get() >= maxMappings && evictIdle())
        {
            // each round unmapped one
        }
        while (mapped.size() >= maxMappings)
        {
            evictInUse();
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
        mapping = new Mapping(partition.path, buffer, live);
        mapping.tryRetain(); // the caller's reference; the cache holds the first
        partition.mapping = mapping;
        partition.referenced = true;
        partition.cacheSlot = mapped.size();
        mapped.add(partition);
        peakMapped = Math.max(peakMapped, live.incrementAndGet());
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

    /** Partition files mapped now, including evicted or replaced ones a reader still holds. */
    public int mappedCount()
    {
        return live.get();
    }

    /** The most partition files mapped at once since the store opened, counted as {@link #mappedCount()} is. */
    public int peakMapped()
    {
        return peakMapped;
    }

    public int maxMappings()
    {
        return maxMappings;
    }

    /**
     * Advances the clock hand, clearing reference flags, to the first partition not used since the last pass that
     * nobody holds, and unmaps it; false when every mapped partition is in use. Two passes visit each one after its
     * flag was cleared; a reader can set a flag again meanwhile, so a last plain scan takes any idle one.
     */
    private boolean evictIdle()
    {
        for (int steps = 2 * mapped.size(); steps > 0; steps--)
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
            else if (candidate.mapping.unmapIfIdle())
            {
                remove(hand);
                return true;
            }
            else
            {
                hand++;
            }
        }
        for (int slot = 0; slot < mapped.size(); slot++)
        {
            if (mapped.get(slot).mapping.unmapIfIdle())
            {
                remove(slot);
                return true;
            }
        }
        return false;
    }

    /** Every partition is in use: drops the cache's reference to the one at the hand; its holders unmap it. */
    private void evictInUse()
    {
        if (hand >= mapped.size())
        {
            hand = 0;
        }
        unmap(hand);
    }

    /** Removes the partition at {@code slot} and drops the cache's reference; the last holder unmaps it. */
    private void unmap(final int slot)
    {
        final Mapping mapping = mapped.get(slot).mapping;
        remove(slot);
        mapping.release();
    }

    /** Removes the partition at {@code slot} from the list (the last one moves into its place). */
    private void remove(final int slot)
    {
        final Partition partition = mapped.get(slot);
        final Partition last = mapped.remove(mapped.size() - 1);
        if (last != partition)
        {
            mapped.set(slot, last);
            last.cacheSlot = slot;
        }
        partition.cacheSlot = -1;
        partition.mapping = null;
    }
}

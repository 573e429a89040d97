package io.barstore.engine.storage;

import io.barstore.engine.PartitionSpan;
import io.barstore.engine.fs.FileOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MappingCache}: the bound holds for what the kernel has mapped, so a mapping someone holds is not the one
 * evicted while an idle one could go.
 */
class MappingCacheTest
{
    @TempDir
    Path tmp;

    @Test
    void evictsAnIdleMappingRatherThanOneAReaderHolds() throws IOException
    {
        final MappingCache cache = new MappingCache(FileOps.SYSTEM, 2);
        final Partition held = partition("held");
        final Partition idle = partition("idle");
        final Mapping reading = cache.acquire(held);
        cache.acquire(idle).release();

        final Mapping third = cache.acquire(partition("third"));

        assertNull(idle.mapping, "the idle partition was evicted");
        assertNotNull(held.mapping, "the held partition stayed in the cache");
        assertEquals(2, cache.mappedCount());
        assertEquals(2, cache.peakMapped());
        assertEquals(42L, readFirstByte(reading), "the held mapping still reads");
        reading.release();
        third.release();
    }

    @Test
    void givesWayOnlyWhenEveryMappingIsInUseAndCountsTheExcessUntilReleased() throws IOException
    {
        final MappingCache cache = new MappingCache(FileOps.SYSTEM, 2);
        final Mapping a = cache.acquire(partition("a"));
        final Mapping b = cache.acquire(partition("b"));

        final Mapping c = cache.acquire(partition("c"));

        assertEquals(3, cache.mappedCount(), "an evicted mapping still held is still mapped");
        assertEquals(3, cache.peakMapped());
        assertEquals(42L, readFirstByte(a));
        assertEquals(42L, readFirstByte(b));
        a.release();
        b.release();
        c.release();
        assertEquals(2, cache.mappedCount(), "the evicted one unmapped on its last release");
        cache.clear();
        assertEquals(0, cache.mappedCount());
    }

    @Test
    void aMappingUnmappedWhileIdleCannotBeRetainedAgainAndTheNextAcquireMapsAfresh() throws IOException
    {
        final MappingCache cache = new MappingCache(FileOps.SYSTEM, 2);
        final Partition p = partition("p");
        final Mapping first = cache.acquire(p);
        first.release();
        cache.acquire(partition("q")).release();
        cache.acquire(partition("r")).release(); // the hand clears both flags, then evicts p, the first idle one

        assertNull(p.mapping);
        assertFalse(first.tryRetain(), "the evicted mapping is gone for good");
        final Mapping again = cache.acquire(p);
        assertTrue(again != first, "mapped afresh");
        assertEquals(42L, readFirstByte(again));
        again.release();
        assertEquals(2, cache.mappedCount());
        assertEquals(2, cache.peakMapped());
    }

    @Test
    void aDroppedOrClearedMappingStaysMappedForItsHolderUntilReleased() throws IOException
    {
        final MappingCache cache = new MappingCache(FileOps.SYSTEM, 4);
        final Partition replaced = partition("replaced");
        final Mapping holder = cache.acquire(replaced);
        final Mapping other = cache.acquire(partition("other"));

        cache.drop(replaced);
        assertNull(replaced.mapping, "out of the cache");
        assertEquals(2, cache.mappedCount(), "still mapped for its holder");
        holder.release();
        assertEquals(1, cache.mappedCount(), "unmapped on its last release");

        cache.clear();
        assertEquals(1, cache.mappedCount(), "cleared, but held");
        assertEquals(42L, readFirstByte(other));
        other.release();
        assertEquals(0, cache.mappedCount());
    }

    @Test
    void staysWithinTheBoundPlusWhatIsHeldWhileThreadsAcquireAndReleaseAtRandom() throws Exception
    {
        final long seed = Long.getLong("barstore.test.seed", System.nanoTime());
        final int max = 8;
        final int threads = 4;
        final MappingCache cache = new MappingCache(FileOps.SYSTEM, max);
        final Partition[] partitions = new Partition[3 * max];
        for (int i = 0; i < partitions.length; i++)
        {
            partitions[i] = partition("p" + i);
        }
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++)
        {
            final Random rnd = new Random(seed + w);
            workers[w] = new Thread(() ->
            {
                final Mapping[] held = new Mapping[2];
                for (int op = 0; op < 20_000 && failure.get() == null; op++)
                {
                    final int slot = rnd.nextInt(held.length);
                    if (held[slot] != null)
                    {
                        held[slot].release();
                        held[slot] = null;
                    }
                    else
                    {
                        held[slot] = cache.acquire(partitions[rnd.nextInt(partitions.length)]);
                        // A read of unmapped memory would crash the JVM; a wrong mapping would read another byte.
                        if (readFirstByte(held[slot]) != 42)
                        {
                            failure.compareAndSet(null, "read " + readFirstByte(held[slot]) + " from " +
                                held[slot].path());
                        }
                    }
                    // Each thread holds at most 2; the cache may give way only while every mapping is held.
                    final int mapped = cache.mappedCount();
                    if (mapped > max + threads * held.length)
                    {
                        failure.compareAndSet(null, mapped + " mapped, more than " + max + " plus those held");
                    }
                }
                for (final Mapping m : held)
                {
                    if (m != null)
                    {
                        m.release();
                    }
                }
            });
            workers[w].start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertNull(failure.get(), "seed=" + seed);
        assertTrue(cache.mappedCount() <= max, "seed=" + seed + ": " + cache.mappedCount() + " mapped once released");
        assertTrue(cache.peakMapped() <= max + threads * 2, "seed=" + seed + ": peak " + cache.peakMapped());
        cache.clear();
        assertEquals(0, cache.mappedCount(), "seed=" + seed + ": all unmapped after clear");
    }

    private Partition partition(final String name) throws IOException
    {
        final Path path = tmp.resolve(name + ".bar");
        final byte[] bytes = new byte[4096];
        bytes[0] = 42;
        Files.write(path, bytes);
        return new Partition(path, PartitionSpan.DAY, 0, 1, 1, 0, true, 0, 0, 0);
    }

    private static long readFirstByte(final Mapping mapping)
    {
        return mapping.byteBuffer().get(0);
    }
}

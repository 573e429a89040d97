package io.barstore.engine.storage;

import io.barstore.engine.PartitionSpan;
import io.barstore.engine.fs.FileOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

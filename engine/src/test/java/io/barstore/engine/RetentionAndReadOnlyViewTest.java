package io.barstore.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting bars (retention) through the journal, compaction, and the read-only view another process uses to read a
 * store while its writer runs.
 */
class RetentionAndReadOnlyViewTest
{
    private static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M1);

    @TempDir
    Path dir;

    @Test
    void deletionBeforeADateKeepsTheBarsFromThatDateOn()
    {
        try (BarStore store = open(dir))
        {
            writeDays(store, "2025-01-02", 5);
            final long cut = TestBars.day("2025-01-04") + 16 * 3_600_000_000_000L; // 90 minutes into the session
            assertEquals(2 * 390 + 90, store.delete(AAPL, cut));
            assertEquals(3 * 390 - 90, store.stats(AAPL).barCount());
            assertEquals(cut, store.stats(AAPL).firstTs());
            assertEquals(0, store.delete(AAPL, cut), "nothing left before the cut");
        }
    }

    @Test
    void deletionIsReplayedFromTheJournalAfterACrash() throws IOException
    {
        final Path crashed = dir.resolve("crashed");
        final Path live = dir.resolve("live");
        try (BarStore store = open(live))
        {
            writeDays(store, "2025-01-02", 3);
            store.checkpoint();
            assertEquals(2 * 390, store.delete(AAPL, TestBars.day("2025-01-04")));
            // The directory as a SIGKILL would leave it: the deletion is only in the journal's page cache.
            copyTree(live, crashed);
        }
        Files.deleteIfExists(crashed.resolve(BarStore.LOCK_FILE));
        try (BarStore store = open(crashed))
        {
            assertEquals(390, store.stats(AAPL).barCount());
            assertEquals(TestBars.day("2025-01-04") + 14 * 3_600_000_000_000L + 30 * 60_000_000_000L,
                store.stats(AAPL).firstTs());
        }
    }

    @Test
    void deletingAWholeSeriesMakesItUnknownUntilWrittenAgain()
    {
        try (BarStore store = open(dir))
        {
            writeDays(store, "2025-01-02", 2);
            store.maintain(TestBars.day("2025-02-01"));
            assertEquals(780, store.delete(AAPL, Long.MAX_VALUE));
            assertFalse(store.exists(AAPL));
            assertFalse(store.latest(AAPL, new Bar()));
            assertEquals(List.of(), store.seriesKeys());
            writeDays(store, "2025-01-03", 1);
            assertEquals(390, store.stats(AAPL).barCount());
            final Bar bar = new Bar();
            assertTrue(store.latest(AAPL, bar));
            assertEquals(TestBars.day("2025-01-03") + 20 * 3_600_000_000_000L + 59 * 60_000_000_000L, bar.ts());
        }
    }

    @Test
    void compactionRemovesTheFilesAndDirectoryOfADeletedSeries() throws IOException
    {
        try (BarStore store = open(dir))
        {
            writeDays(store, "2025-01-02", 2);
            store.delete(AAPL, Long.MAX_VALUE);
            assertEquals(1, store.compact(TestBars.day("2025-02-01")));
            try (Stream<Path> files = Files.walk(dir.resolve("series")))
            {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
            }
            assertFalse(Files.exists(store.config().dataDir().resolve("series/1m/default/AAPL")));
        }
    }

    @Test
    void readOnlyViewSeesAppendsAtOnceAndNewFilesAfterRefresh()
    {
        try (BarStore store = open(dir); BarStore view = BarStore.openReadOnly(dir))
        {
            assertFalse(view.exists(AAPL));
            writeDays(store, "2025-01-02", 1);
            view.refresh();
            assertEquals(390, count(view));
            final BarBatch more = new BarBatch();
            TestBars.addRandom(more, new Random(1), TestBars.day("2025-01-02") + 23 * 3_600_000_000_000L);
            store.write(AAPL, more);
            assertEquals(391, count(view), "an append to a file the view knows is seen without a refresh");
            writeDays(store, "2025-01-03", 1);
            assertEquals(391, count(view), "a new day's file is seen only after a refresh");
            view.refresh();
            assertEquals(781, count(view));
            store.delete(AAPL, TestBars.day("2025-01-03"));
            view.refresh();
            assertEquals(390, count(view));
        }
    }

    @Test
    void readOnlyViewRefusesWritesDeletionsAndMaintenance()
    {
        try (BarStore store = open(dir); BarStore view = BarStore.openReadOnly(dir))
        {
            writeDays(store, "2025-01-02", 1);
            final BarBatch batch = new BarBatch();
            TestBars.addRandom(batch, new Random(2), TestBars.day("2025-01-05"));
            final BarStoreException write = assertThrows(BarStoreException.class, () -> view.write(AAPL, batch));
            assertTrue(write.getMessage().contains("read-only"), write.getMessage());
            assertThrows(BarStoreException.class, () -> view.delete(AAPL, Long.MAX_VALUE));
            assertThrows(BarStoreException.class, () -> view.maintain(TestBars.day("2025-02-01")));
            assertEquals(390, store.stats(AAPL).barCount());
        }
    }

    private static BarStore open(final Path dataDir)
    {
        return BarStore.open(StoreConfig.builder(dataDir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
    }

    /** {@code days} consecutive days of 390 one-minute bars from 14:30 UTC. */
    private static void writeDays(final BarStore store, final String firstDay, final int days)
    {
        final Random rnd = new Random(7);
        for (int d = 0; d < days; d++)
        {
            final BarBatch batch = new BarBatch();
            final long open = TestBars.day(firstDay) + d * TestBars.NANOS_PER_DAY + 14 * 3_600_000_000_000L +
                30 * 60_000_000_000L;
            for (int m = 0; m < 390; m++)
            {
                TestBars.addRandom(batch, rnd, open + m * 60_000_000_000L);
            }
            store.write(AAPL, batch);
        }
    }

    private static long count(final BarStore store)
    {
        final BarCursor cursor = store.newCursor();
        long n = 0;
        if (store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
        {
            while (cursor.next())
            {
                n++;
            }
        }
        cursor.release();
        return n;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path p : (Iterable<Path>)paths::iterator)
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target);
                }
            }
        }
    }
}

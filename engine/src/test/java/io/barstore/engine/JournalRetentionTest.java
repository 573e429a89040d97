package io.barstore.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRetentionTest
{
    private static final SeriesKey KEY = SeriesKey.of("QQQ", Timeframe.S1);
    private static final long T = 1_735_828_200_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void deletesJournalFilesOnceTheirBatchesAreDurableInPartitionsAndStillReplaysTheRest() throws Exception
    {
        final StoreConfig config = StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .journalRollCycle("TEST_SECONDLY").build();
        try (BarStore store = BarStore.open(config))
        {
            for (int i = 0; i < 4; i++)
            {
                store.write(KEY, new BarBatch().add(T + i * 1_000_000_000L, 1, 2, 0.5, 1.5, 10, 1.2, 3));
                Thread.sleep(1_100); // the next batch goes into a new journal file
            }
            assertTrue(journalFiles() >= 4, "one journal file per second: " + journalFiles());
            store.checkpoint();
            assertTrue(journalFiles() <= 1, "files before the checkpoint's are deleted: " + journalFiles());
            // Writing goes on into the journal file that was kept.
            store.write(KEY, new BarBatch().add(T + 10_000_000_000L, 1, 2, 0.5, 1.5, 10, 1.2, 3));
        }
        try (BarStore store = BarStore.open(config))
        {
            assertEquals(5, store.stats(KEY).barCount());
        }
    }

    private long journalFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve(BarStore.JOURNAL_DIR)))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}

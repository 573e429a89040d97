package io.barstore.engine;

import io.barstore.engine.storage.PartitionDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A writer killed while it rewrites the newest bar in place leaves that row's seqlock version odd in the file.
 * Reopening the store to write makes it even again; a read-only view, which repairs nothing, takes the row as it is
 * after a while. Neither waits for ever (CrashRecoveryTest once hung in CI on exactly this).
 */
class CrashedLiveRowTest
{
    private static final SeriesKey KEY = SeriesKey.of("SPY", Timeframe.M1);
    private static final long DAY = 1_735_776_000_000_000_000L; // 2025-01-02
    private static final int BARS = 10;

    @TempDir
    Path dir;

    @Test
    void aStoreReopenedAfterACrashInsideALiveRowRewriteReadsItsNewestBar() throws IOException
    {
        final Path newest = writeBarsAndLeaveTheLiveVersionOdd();
        try (BarStore store = open())
        {
            assertEquals(BARS, readAll(store), "every bar, the newest included");
        }
        assertEquals(0, liveVersion(newest) & 1, "the version was made even when the store was opened to write");
    }

    @Test
    void aReadOnlyViewOfSuchAStoreTakesTheRowAsItIsInsteadOfWaitingForEver() throws IOException
    {
        final Path newest = writeBarsAndLeaveTheLiveVersionOdd();
        try (BarStore view = BarStore.openReadOnly(dir))
        {
            assertEquals(BARS, readAll(view));
        }
        assertEquals(1, liveVersion(newest) & 1, "a read-only view repairs nothing");
    }

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
    }

    /** Bars read from every partition, within a time limit; checks the newest bar's values. */
    private static int readAll(final BarStore store)
    {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            final BarCursor cursor = store.newCursor();
            int bars = 0;
            if (store.range(KEY, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
            {
                while (cursor.next())
                {
                    bars++;
                    if (bars == BARS)
                    {
                        assertEquals(DAY + (BARS - 1) * Timeframe.M1.nanos(), cursor.ts());
                        assertEquals(100.0 + BARS - 1, cursor.close());
                    }
                }
            }
            cursor.release();
            return bars;
        });
    }

    /** Writes the bars, closes the store, and sets the newest partition's live-row version odd; returns its file. */
    private Path writeBarsAndLeaveTheLiveVersionOdd() throws IOException
    {
        try (BarStore store = open())
        {
            final BarBatch batch = new BarBatch(BARS);
            for (int i = 0; i < BARS; i++)
            {
                batch.add(DAY + i * Timeframe.M1.nanos(), 100 + i, 101 + i, 99 + i, 100 + i, 1000, Double.NaN, -1);
            }
            store.write(KEY, batch);
        }
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(dir))
        {
            files = walk.filter(p -> p.toString().endsWith(PartitionDescriptor.FILE_SUFFIX)).sorted().toList();
        }
        final Path newest = files.get(files.size() - 1);
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer version = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(version, PartitionDescriptor.LIVE_VERSION_OFFSET);
            final long odd = version.getLong(0) | 1;
            channel.write(version.clear().putLong(0, odd), PartitionDescriptor.LIVE_VERSION_OFFSET);
        }
        assertEquals(1, liveVersion(newest) & 1);
        return newest;
    }

    private static long liveVersion(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer version = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(version, PartitionDescriptor.LIVE_VERSION_OFFSET);
            return version.getLong(0);
        }
    }
}

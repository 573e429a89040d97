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
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files as a power loss can leave them, written by hand, then reopened. */
class TornPartitionTest
{
    private static final SeriesKey KEY = SeriesKey.of("IWM", Timeframe.M1);
    private static final long T = 1_735_828_200_000_000_000L;
    private static final long MINUTE = Timeframe.M1.nanos();

    @TempDir
    Path dir;

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
    }

    @Test
    void aRowCountThatReachedDiskBeforeItsRowsIsCutBackToTheRowsThatDid() throws IOException
    {
        try (BarStore store = open())
        {
            final BarBatch batch = new BarBatch();
            for (int i = 0; i < 10; i++)
            {
                batch.add(T + i * MINUTE, 10, 11, 9, 10, 100, 10, 1);
            }
            store.write(KEY, batch);
        }
        final Path partition = onlyPartition();
        setRowCount(partition, 25); // rows 10..24 are zeros: their pages never reached the disk
        try (BarStore store = open())
        {
            assertEquals(10, store.stats(KEY).barCount());
            assertEquals(List.of(), store.verify());
            store.write(KEY, new BarBatch().add(T + 10 * MINUTE, 10, 11, 9, 10, 100, 10, 1));
            assertEquals(11, store.stats(KEY).barCount());
            assertEquals(List.of(), store.verify());
        }
    }

    @Test
    void aRewriteNotMarkedCompleteIsDroppedAndTheOlderGenerationKept() throws IOException
    {
        try (BarStore store = open())
        {
            store.write(KEY, new BarBatch().add(T, 10, 11, 9, 10, 100, 10, 1).add(T + 2 * MINUTE, 10, 11, 9, 10, 1, 10, 1));
        }
        final Path partition = onlyPartition();
        final Path unfinished = partition.resolveSibling(partition.getFileName().toString()
            .replace(".000001.", ".000009."));
        Files.copy(partition, unfinished);
        try (FileChannel ch = FileChannel.open(unfinished, StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0), PartitionDescriptor.FLAGS_OFFSET);
        }
        try (BarStore store = open())
        {
            assertEquals(2, store.stats(KEY).barCount());
            assertEquals(List.of(), store.verify());
        }
        assertEquals(List.of(partition), partitions(), "the unfinished generation is deleted on open");
    }

    private Path onlyPartition() throws IOException
    {
        final List<Path> files = partitions();
        assertEquals(1, files.size(), files.toString());
        return files.get(0);
    }

    private List<Path> partitions() throws IOException
    {
        try (Stream<Path> all = Files.walk(dir.resolve("series")))
        {
            return all.filter(p -> p.toString().endsWith(".bar")).sorted().toList();
        }
    }

    private static void setRowCount(final Path file, final long rows) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rows),
                PartitionDescriptor.ROW_COUNT_OFFSET);
        }
    }
}

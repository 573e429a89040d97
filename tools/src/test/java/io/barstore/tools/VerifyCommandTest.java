package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.Column;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.storage.PartitionDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barstore verify}: damage found and named, without opening the store. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VerifyCommandTest
{
    @TempDir
    Path tmp;
    Path data;

    /** Ten days of past 1m bars of two symbols, across a month end: generate seals them into month segments. */
    @BeforeEach
    void generate()
    {
        data = tmp.resolve("data");
        CliRun.of("generate", "--data", data.toString(), "--symbols", "AAPL,MSFT", "--days", "10", "--timeframe",
            "1m", "--end", "2025-02-05").assertOk();
    }

    @Test
    void aHealthyStorePassesWithASummary()
    {
        final CliRun run = CliRun.of("verify", "--data", data.toString()).assertOk();
        final List<String> lines = run.out().lines().toList();
        assertEquals("data: " + data, lines.get(0));
        assertTrue(lines.get(1).matches("checked 5 files of 2 series \\(6,240 bars, .*\\) in .*: no problems"),
            run::toString);
        assertEquals(2, lines.size(), run::toString);
    }

    @Test
    void aFlippedByteInASealedPartitionExits1NamingTheFileAndTheChecksum() throws IOException
    {
        final Path sealed = partitions().stream().filter(p -> p.toString().contains("/MSFT/2025-02_M.")).findFirst()
            .orElseThrow();
        assertTrue(isSealed(sealed), sealed + " is sealed");
        final long capacity = readLong(sealed, PartitionDescriptor.CAPACITY_OFFSET);
        flipBit(sealed, PartitionDescriptor.columnOffset(capacity, Column.VOLUME.ordinal()) + 17 * 8 + 2);

        final CliRun run = CliRun.of("verify", "--data", data.toString()).assertFails(1);
        assertTrue(run.out().contains(sealed + ": offset " + PartitionDescriptor.CHECKSUM_OFFSET +
            ": checksum mismatch (stored "), run::toString);
        assertTrue(run.out().contains(": 1 problem\n"), run::toString);
        assertEquals("barstore: the store is damaged: 1 problem in 1 file, " + sealed + " (listed above); restore " +
            "the files from a backup, or re-import the bars\n", run.err());
    }

    @Test
    void aTruncatedFileExits1NamingItWhichOpenWouldOnlyRefuse() throws IOException
    {
        final Path file = partitions().get(0);
        final long length = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.truncate(length - 4096);
        }
        final CliRun run = CliRun.of("verify", "--data", data.toString(), "--quiet").assertFails(1);
        assertEquals(file + ": offset 40: file length " + (length - 4096) + " does not match capacity " +
            readLong(file, PartitionDescriptor.CAPACITY_OFFSET) + " (" + length + " bytes): truncated\n", run.out());
        assertTrue(run.err().contains(file.toString()), run::toString);

        final CliRun stats = CliRun.of("stats", "--data", data.toString()).assertFails(1);
        assertTrue(stats.err().contains("partition file is damaged"), stats::toString);
    }

    @Test
    void worksWhileTheStoreIsOpenAndLocked()
    {
        try (BarStore store = BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build()))
        {
            assertTrue(CliRun.of("verify", "--data", data.toString()).assertOk().out().contains(": no problems"));
            assertTrue(store.exists(store.seriesKeys().get(0)));
        }
    }

    @Test
    void leftoversAreNotesAndDoNotFailTheCheck() throws IOException
    {
        final Path file = partitions().get(0);
        Files.write(file.resolveSibling(file.getFileName() + ".tmp"), new byte[100]);
        final CliRun run = CliRun.of("verify", "--data", data.toString()).assertOk();
        assertTrue(run.out().contains("note: " + file + ".tmp: temporary file of an interrupted write"), run::toString);
        assertTrue(run.out().contains(": no problems, 1 note"), run::toString);
        assertEquals("", CliRun.of("verify", "-q", "--data", data.toString()).assertOk().out());
    }

    @Test
    void aMissingDirectoryExits3()
    {
        assertTrue(CliRun.of("verify", "--data", tmp.resolve("absent").toString()).assertFails(3).err()
            .contains("no data directory"));
    }

    private List<Path> partitions() throws IOException
    {
        try (Stream<Path> all = Files.walk(data.resolve("series")))
        {
            final List<Path> files = all.filter(p -> p.toString().endsWith(".bar")).sorted().toList();
            assertEquals(4, files.size(), "two month segments of each symbol: " + files);
            return files;
        }
    }

    private static boolean isSealed(final Path file) throws IOException
    {
        return (readLong(file, PartitionDescriptor.FLAGS_OFFSET - 4) >>> 32 & PartitionDescriptor.FLAG_SEALED) != 0;
    }

    private static long readLong(final Path file, final long offset) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, offset);
            return b.getLong(0);
        }
    }

    private static void flipBit(final Path file, final long offset) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte)(b.get(0) ^ 0x10));
            ch.write(b.position(0), offset);
        }
    }
}

package io.barstore.engine.storage;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.engine.journal.Checkpoint;
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
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StoreVerifier}: the files of a store checked without opening it, each problem naming file and offset. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoreVerifierTest
{
    private static final SeriesKey SPY = SeriesKey.of("SPY", Timeframe.M1);
    private static final SeriesKey BRK = SeriesKey.of("BRK.B", Timeframe.M5, "polygon");
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** Four January days: after maintain, one sealed month segment. */
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 2);
    private static final int DAYS = 4;
    private static final int BARS_PER_DAY = 390;

    @TempDir
    Path dir;

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
    }

    /** SPY 1m: four past days, sealed into one month segment. BRK.B 5m: today's bars in a writable day partition. */
    private void writeSealedAndWritable()
    {
        try (BarStore store = open())
        {
            final BarBatch batch = new BarBatch();
            for (int d = 0; d < DAYS; d++)
            {
                batch.clear();
                final long open = (FIRST_DAY.plusDays(d).toEpochDay() * NANOS_PER_DAY) + 14 * 3_600_000_000_000L +
                    30 * 60_000_000_000L;
                for (int i = 0; i < BARS_PER_DAY; i++)
                {
                    addBar(batch, open + i * Timeframe.M1.nanos(), 100 + i * 0.01);
                }
                store.write(SPY, batch);
            }
            store.maintain(System.currentTimeMillis() * 1_000_000L);

            batch.clear();
            final long today = Math.floorDiv(System.currentTimeMillis() * 1_000_000L, NANOS_PER_DAY) * NANOS_PER_DAY;
            for (int i = 0; i < 12; i++)
            {
                addBar(batch, today + i * Timeframe.M5.nanos(), 50 + i);
            }
            store.write(BRK, batch);
        }
    }

    private static void addBar(final BarBatch batch, final long ts, final double price)
    {
        batch.add(ts, price, price + 0.5, price - 0.5, price + 0.25, 1000, price + 0.1, 10);
    }

    @Test
    void aHealthyStoreHasNoProblemsAndNoNotesAndEveryFileAndBarIsCounted() throws IOException
    {
        writeSealedAndWritable();
        final StoreVerifier.Report report = StoreVerifier.verify(dir);
        assertEquals(List.of(), report.problems());
        assertEquals(List.of(), report.notes());
        assertTrue(report.healthy());
        assertEquals(2, report.series());
        assertEquals(partitions().size() + 1, report.files(), "partitions and the checkpoint");
        assertEquals(DAYS * BARS_PER_DAY + 12, report.bars());
        assertEquals(2, partitions().size(), "one sealed month segment, one writable day: " + partitions());
    }

    @Test
    void aFlippedByteInASealedPartitionIsAChecksumMismatchNamingTheFile() throws IOException
    {
        writeSealedAndWritable();
        final Path sealed = sealedSegment();
        final long capacity = readLong(sealed, PartitionDescriptor.CAPACITY_OFFSET);
        // One bit of the close of row 100: still a valid bar, so only the checksum can tell.
        final long offset = PartitionDescriptor.columnOffset(capacity, Column.CLOSE.ordinal()) + 100 * 8;
        flipBit(sealed, offset);

        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(sealed + ": offset " + PartitionDescriptor.CHECKSUM_OFFSET +
            ": checksum mismatch"), problems.get(0));
    }

    @Test
    void aFlippedByteThatBreaksABarNamesTheRowAndItsOffsetToo() throws IOException
    {
        writeSealedAndWritable();
        final Path sealed = sealedSegment();
        final long capacity = readLong(sealed, PartitionDescriptor.CAPACITY_OFFSET);
        final long highOfRow7 = PartitionDescriptor.columnOffset(capacity, Column.HIGH.ordinal()) + 7 * 8;
        writeDouble(sealed, highOfRow7, 1.0); // below open and close

        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(sealed + ": offset " + highOfRow7 + ": row 7 "), problems.get(0));
        assertTrue(problems.get(0).contains("high 1.0 below max(open, close)"), problems.get(0));
        assertTrue(problems.get(1).contains("checksum mismatch"), problems.get(1));
    }

    @Test
    void aTruncatedPartitionIsFoundWithoutOpeningTheStoreWhichRefusesIt() throws IOException
    {
        writeSealedAndWritable();
        final Path sealed = sealedSegment();
        final long length = Files.size(sealed);
        try (FileChannel ch = FileChannel.open(sealed, StandardOpenOption.WRITE))
        {
            ch.truncate(length / 2);
        }

        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(sealed + ": offset " + PartitionDescriptor.CAPACITY_OFFSET + ": file length " + (length / 2) +
            " does not match capacity " + readLong(sealed, PartitionDescriptor.CAPACITY_OFFSET) + " (" + length +
            " bytes): truncated", problems.get(0));
        final BarStoreException refused = assertThrows(BarStoreException.class, this::open);
        assertEquals(BarStoreException.Category.CORRUPT, refused.category());
    }

    @Test
    void aTruncatedWritablePartitionIsFoundToo() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        try (FileChannel ch = FileChannel.open(writable, StandardOpenOption.WRITE))
        {
            ch.truncate(PartitionDescriptor.HEADER_LENGTH + 100);
        }
        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(writable + ": offset 40: file length 228 does not match capacity 288"),
            problems.get(0));
    }

    @Test
    void checksAStoreAnotherProcessHoldsOpen() throws IOException
    {
        writeSealedAndWritable();
        try (BarStore store = open())
        {
            store.write(BRK, new BarBatch().add(
                readLong(writableDay(), PartitionDescriptor.LAST_TS_OFFSET) + Timeframe.M5.nanos(), 1, 2, 0.5, 1.5, 10,
                Double.NaN, -1));
            final StoreVerifier.Report report = StoreVerifier.verify(dir);
            assertEquals(List.of(), report.problems());
            assertEquals(DAYS * BARS_PER_DAY + 13, report.bars());
        }
    }

    @Test
    void leftoversOfInterruptedWritesAreNotesNotProblemsAndTheNextOpenDeletesThem() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        final String name = writable.getFileName().toString();
        // An older generation of the same period, a newer one not marked complete, a temporary file and a stub.
        final Path older = writable.resolveSibling(name.replaceFirst("\\.\\d+\\.bar$", ".000000.bar"));
        Files.copy(writable, older);
        writeLong(older, PartitionDescriptor.GENERATION_OFFSET, 0);
        final Path unfinished = writable.resolveSibling(name.replaceFirst("\\.\\d+\\.bar$", ".000099.bar"));
        Files.copy(writable, unfinished);
        writeInt(unfinished, PartitionDescriptor.FLAGS_OFFSET, 0);
        final Path stub = writable.resolveSibling(name.replaceFirst("\\.\\d+\\.bar$", ".000100.bar"));
        Files.write(stub, new byte[40]);
        final Path tmp = Files.write(writable.resolveSibling("x.bar.tmp"), new byte[10]);

        final StoreVerifier.Report report = StoreVerifier.verify(dir);
        assertEquals(List.of(), report.problems());
        assertEquals(4, report.notes().size(), report.notes().toString());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith(older + ": generation 0, superseded by " + name)),
            report.notes().toString());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith(unfinished + ": not marked complete")),
            report.notes().toString());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith(stub + ": 40 bytes, shorter than the header")),
            report.notes().toString());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith(tmp + ": temporary file")),
            report.notes().toString());
        assertEquals(DAYS * BARS_PER_DAY + 12, report.bars(), "leftovers' rows are not counted");

        open().close();
        final StoreVerifier.Report after = StoreVerifier.verify(dir);
        assertEquals(List.of(), after.problems());
        assertEquals(List.of(), after.notes());
    }

    @Test
    void aCompleteFileWithABadMagicIsAProblemWhateverItsGeneration() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        final Path older = writable.resolveSibling(
            writable.getFileName().toString().replaceFirst("\\.\\d+\\.bar$", ".000000.bar"));
        Files.copy(writable, older);
        writeLong(older, PartitionDescriptor.MAGIC_OFFSET, 0x0102030405060708L);
        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(List.of(older + ": offset 0: bad magic (not a barstore partition)"), problems);
    }

    @Test
    void rowsOutOfOrderInAWritablePartitionAreAProblem() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        final long ts3 = PartitionDescriptor.HEADER_LENGTH + 3 * 8;
        writeLong(writable, ts3, readLong(writable, PartitionDescriptor.HEADER_LENGTH + 2 * 8));
        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(writable + ": offset " + ts3 + ": row 3 "), problems.get(0));
        assertTrue(problems.get(0).contains("is not after the previous row"), problems.get(0));
    }

    @Test
    void aRowCountThatReachedTheDiskBeforeItsRowsIsANoteTheNextOpenRepairs() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        writeLong(writable, PartitionDescriptor.ROW_COUNT_OFFSET, 20); // rows 12..19 are zeros
        final StoreVerifier.Report report = StoreVerifier.verify(dir);
        assertEquals(List.of(), report.problems());
        assertEquals(1, report.notes().size(), report.notes().toString());
        assertTrue(report.notes().get(0).startsWith(writable + ": rows 12 to 19 are zeros"), report.notes().get(0));
        open().close();
        assertEquals(List.of(), StoreVerifier.verify(dir).notes());
    }

    @Test
    void aPartitionInTheDirectoryOfAnotherTimeframeIsAProblem() throws IOException
    {
        writeSealedAndWritable();
        final Path writable = writableDay();
        final Path other = dir.resolve("series/1m/polygon").resolve(SeriesPaths.encode("BRK.B"));
        Files.createDirectories(other);
        Files.copy(writable, other.resolve(writable.getFileName()));
        final List<String> problems = StoreVerifier.problems(dir);
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).startsWith(other.resolve(writable.getFileName()) + ": offset 16: timeframe "),
            problems.toString());
    }

    @Test
    void aWreckedColumnListsTheFirstRowsAndCountsTheRest() throws IOException
    {
        writeSealedAndWritable();
        final Path sealed = sealedSegment();
        final long capacity = readLong(sealed, PartitionDescriptor.CAPACITY_OFFSET);
        final long volume = PartitionDescriptor.columnOffset(capacity, Column.VOLUME.ordinal());
        for (int r = 0; r < 50; r++)
        {
            writeDouble(sealed, volume + r * 8L, -1);
        }
        final List<String> problems = StoreVerifier.problems(dir);
        assertEquals(PartitionVerifier.MAX_ROW_PROBLEMS + 2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("row 0 ") && problems.get(0).contains("volume -1.0 is negative"));
        assertTrue(problems.get(PartitionVerifier.MAX_ROW_PROBLEMS).contains(": 30 more rows break a rule"),
            problems.get(PartitionVerifier.MAX_ROW_PROBLEMS));
    }

    @Test
    void aDamagedCheckpointIsAProblem() throws IOException
    {
        writeSealedAndWritable();
        final Path checkpoint = dir.resolve(Checkpoint.FILE_NAME);
        flipBit(checkpoint, 9);
        assertEquals(List.of(checkpoint + ": offset 0: damaged (bad length, magic or CRC32C); delete it and the next " +
            "open replays the whole journal"), StoreVerifier.problems(dir));
    }

    @Test
    void anEmptyDirectoryIsHealthyAndAMissingOneIsNotFound()
    {
        final StoreVerifier.Report report = StoreVerifier.verify(dir);
        assertTrue(report.healthy());
        assertEquals(0, report.files());
        final BarStoreException ex = assertThrows(BarStoreException.class,
            () -> StoreVerifier.verify(dir.resolve("absent")));
        assertEquals(BarStoreException.Category.NOT_FOUND, ex.category());
    }

    @Test
    void agreesWithTheEngineAfterRandomWritesUpsertsDeletesAndSealingWhetherOpenOrClosed()
    {
        final String fixed = System.getProperty("barstore.test.seed"); // as TestBars.seed(): replay a failure
        final long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new Random().nextLong();
        final Random rnd = new Random(seed);
        final List<SeriesKey> keys = List.of(SeriesKey.of("AAPL", Timeframe.M1), SeriesKey.of("ES_202503", Timeframe.H1,
            "cme"), SeriesKey.of("^GSPC", Timeframe.D1), SeriesKey.of("ETH/USD", Timeframe.S30, "binance"));
        final long origin = FIRST_DAY.toEpochDay() * NANOS_PER_DAY;
        try (BarStore store = open())
        {
            for (int op = 0; op < 300; op++)
            {
                final SeriesKey key = keys.get(rnd.nextInt(keys.size()));
                final long step = key.timeframe().nanos();
                final int choice = rnd.nextInt(20);
                if (choice == 0)
                {
                    store.delete(key, origin + rnd.nextInt(40) * NANOS_PER_DAY);
                }
                else if (choice == 1)
                {
                    store.maintain(System.currentTimeMillis() * 1_000_000L);
                }
                else
                {
                    final BarBatch batch = new BarBatch();
                    final long first = key.timeframe().floor(origin + (long)(rnd.nextDouble() * 60 * NANOS_PER_DAY));
                    for (int i = 0, n = 1 + rnd.nextInt(50); i < n; i++)
                    {
                        addBar(batch, first + i * step, 10 + rnd.nextInt(1000) / 100.0);
                    }
                    store.write(key, batch);
                }
            }
            final StoreVerifier.Report open = StoreVerifier.verify(dir);
            assertEquals(List.of(), open.problems(), "seed=" + seed);
            assertEquals(store.totals().bars(), open.bars(), "seed=" + seed + ": notes " + open.notes());
            assertEquals(List.of(), store.verify(), "seed=" + seed);
        }
        final StoreVerifier.Report closed = StoreVerifier.verify(dir);
        assertEquals(List.of(), closed.problems(), "seed=" + seed);
        assertEquals(List.of(), closed.notes(), "seed=" + seed + ": a clean close leaves no leftovers");
        try (BarStore store = open())
        {
            assertEquals(store.totals().bars(), closed.bars(), "seed=" + seed);
            assertEquals(store.totals().files(), closed.files() - 1, "seed=" + seed + ": partitions and checkpoint");
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private Path sealedSegment() throws IOException
    {
        return partitions().stream().filter(p -> p.getFileName().toString().startsWith("2024-01_M.")).findFirst()
            .orElseThrow(() -> new AssertionError("no sealed month segment in " + safePartitions()));
    }

    private Path writableDay() throws IOException
    {
        return partitions().stream().filter(p -> p.toString().contains("BRK%2EB")).findFirst()
            .orElseThrow(() -> new AssertionError("no BRK.B partition in " + safePartitions()));
    }

    private List<Path> partitions() throws IOException
    {
        try (Stream<Path> all = Files.walk(dir.resolve("series")))
        {
            return all.filter(p -> p.toString().endsWith(".bar")).sorted().toList();
        }
    }

    private String safePartitions()
    {
        try
        {
            return partitions().toString();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void flipBit(final Path file, final long offset) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte)(b.get(0) ^ 1));
            b.position(0);
            ch.write(b, offset);
        }
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

    private static void writeLong(final Path file, final long offset, final long value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private static void writeDouble(final Path file, final long offset, final double value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, value));
    }

    private static void writeInt(final Path file, final long offset, final int value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private static void write(final Path file, final long offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.write(bytes, offset);
        }
    }
}

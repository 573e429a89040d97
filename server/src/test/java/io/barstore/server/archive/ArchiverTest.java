package io.barstore.server.archive;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.server.sql.RandomBars;
import io.barstore.server.sql.SqlFormat;
import io.barstore.server.sql.SqlLimits;
import io.barstore.server.sql.SqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.barstore.server.sql.RandomBars.nanos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Parquet archive against real stores: its Hive-style tree as plain DuckDB reads it, crash safety, idempotence,
 * and how it follows upserts, consolidation and deletes. Each test has its own store: three months of 5-minute and
 * 1-hour bars of {@code BRK.B}, {@code ETH/USD} (source polygon) and {@code SPY}, sealed as of March 20 (January and
 * February as month segments, March 1 to 19 as sealed days) and archived up to March 10.
 */
class ArchiverTest
{
    static final long SEED = RandomBars.seed();
    static final long FIRST = nanos("2025-01-01");
    static final long LAST = nanos("2025-04-01");
    static final long NOW = nanos("2025-03-20");
    static final long CUT_OFF = nanos("2025-03-10");
    static final SeriesKey BRK = SeriesKey.of("BRK.B", Timeframe.M5);
    static final SeriesKey ETH = SeriesKey.of("ETH/USD", Timeframe.M5, "polygon");
    static final SeriesKey SPY = SeriesKey.of("SPY", Timeframe.H1);
    static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    BarStore store;
    RootAllocator allocator;
    Archiver archiver;
    ArchiveRun firstRun;
    Connection duckdb;

    @RegisterExtension
    static final TestWatcher PRINT_SEED = new TestWatcher()
    {
        public void testFailed(final ExtensionContext context, final Throwable cause)
        {
            System.err.println(context.getDisplayName() + " failed with " + RandomBars.replay(SEED));
        }
    };

    @BeforeEach
    void writeSealAndArchive() throws SQLException
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
        final SplittableRandom random = new SplittableRandom(SEED);
        RandomBars.write(store, BRK, FIRST, LAST, true, random);
        RandomBars.write(store, ETH, FIRST, LAST, false, random);
        RandomBars.write(store, SPY, FIRST, LAST, true, random);
        store.maintain(NOW);
        allocator = new RootAllocator();
        archiver = new Archiver(store, allocator);
        firstRun = archiver.run(CUT_OFF);
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws SQLException
    {
        duckdb.close();
        archiver.close();
        store.close();
        assertEquals(0, allocator.getAllocatedMemory(), "the archiver leaked Arrow memory");
        allocator.close();
    }

    @Test
    void writesOneHiveStyleZstdFilePerSealedPartitionThatEndedByTheCutOff() throws SQLException
    {
        final Map<ArchivedFile, PartitionInfo> files = ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "");
        long rows = 0;
        long bytes = 0;
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
        {
            assertTrue(e.getValue().periodEnd() <= CUT_OFF, "nothing later than the cut-off: " + e.getKey().path());
            rows += e.getValue().rows();
            bytes += size(e.getKey().path());
        }
        assertEquals(files.size(), firstRun.written());
        assertEquals(rows, firstRun.rows());
        assertEquals(bytes, firstRun.bytes());
        assertEquals(0, firstRun.removed());
        // January and February of the 5-minute series as month segments, the days of March 1 to 9 that have bars
        // (BRK.B trades on weekdays only), and January and February of the 1-hour series.
        assertEquals(sealedPartitions(CUT_OFF), files.size(), files.keySet().toString());
        assertEquals(2 + 5 + 2 + 9 + 2, files.size(), files.keySet().toString());

        final Path root = archiver.layout().root();
        assertEquals(dir.toAbsolutePath().normalize().resolve("archive"), root);
        final Path brkJanuary = root.resolve("timeframe=5m/source=default/symbol=BRK%2EB/year=2025")
            .resolve("2025-01_M." + generation(BRK, "2025-01-01") + ".parquet");
        final Path ethMarch3 = root.resolve("timeframe=5m/source=polygon/symbol=ETH%2FUSD/year=2025")
            .resolve("2025-03-03_D." + generation(ETH, "2025-03-03") + ".parquet");
        final Path spyFebruary = root.resolve("timeframe=1h/source=default/symbol=SPY/year=2025")
            .resolve("2025-02_M." + generation(SPY, "2025-02-01") + ".parquet");
        for (final Path path : List.of(brkJanuary, ethMarch3, spyFebruary))
        {
            assertTrue(Files.isRegularFile(path), path + " in " + files.keySet());
        }

        try (PreparedStatement statement = duckdb.prepareStatement(
            "SELECT DISTINCT path_in_schema, compression FROM parquet_metadata(?) ORDER BY ALL"))
        {
            statement.setString(1, brkJanuary.toString());
            final Map<String, String> compression = new TreeMap<>();
            try (ResultSet rs = statement.executeQuery())
            {
                while (rs.next())
                {
                    compression.put(rs.getString(1), rs.getString(2));
                }
            }
            assertEquals(new TreeSet<>(List.of("ts", "open", "high", "low", "close", "volume", "vwap", "trades")),
                compression.keySet(), "the bar columns; the series comes from the path");
            assertEquals(List.of("ZSTD"), compression.values().stream().distinct().toList());
        }
    }

    @Test
    void plainDuckDbReadsTheTreeWithHivePartitioningDecodingTheSymbols() throws SQLException
    {
        final Map<ArchivedFile, PartitionInfo> files = ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "");
        final Map<String, Long> expected = new TreeMap<>();
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
        {
            final SeriesKey key = e.getKey().key();
            expected.merge(key.symbol() + "|" + key.timeframe().label() + "|" + key.source() + "|2025",
                e.getValue().rows(), Long::sum);
        }
        final Map<String, Long> actual = new TreeMap<>();
        final String glob = SqlText.literal(archiver.layout().root() + "/**/*.parquet");
        try (Statement statement = duckdb.createStatement();
             ResultSet rs = statement.executeQuery("SELECT symbol, timeframe, source, year, count(*) FROM " +
                 "read_parquet(" + glob + ", hive_partitioning = true) GROUP BY ALL"))
        {
            while (rs.next())
            {
                actual.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4),
                    rs.getLong(5));
            }
        }
        assertEquals(expected, actual);
        assertTrue(actual.containsKey("BRK.B|5m|default|2025") && actual.containsKey("ETH/USD|5m|polygon|2025"),
            actual.toString());

        // A filter on a decoded symbol finds its rows, and ts reads back as the engine's instants.
        try (Statement statement = duckdb.createStatement();
             ResultSet rs = statement.executeQuery("SELECT min(epoch_ns(ts)), count(*), typeof(any_value(ts)) FROM " +
                 "read_parquet(" + glob + ", hive_partitioning = true) WHERE symbol = 'ETH/USD'"))
        {
            assertTrue(rs.next());
            final BarCursor cursor = store.newCursor();
            store.range(ETH, FIRST, CUT_OFF, cursor);
            assertTrue(cursor.next());
            assertEquals(cursor.ts(), rs.getLong(1));
            cursor.release();
            assertEquals(expected.get("ETH/USD|5m|polygon|2025"), rs.getLong(2));
            assertTrue(rs.getString(3).startsWith("TIMESTAMP"), rs.getString(3));
        }

        for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
        {
            ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(), e.getValue());
        }
    }

    @Test
    void everySymbolCharacterComesBackFromTheHivePath() throws SQLException
    {
        final List<String> symbols = List.of("^GSPC", "+X", "=CMD", "A:B", "ES_202503", "x-y", "AAPL250117C00150000",
            "BTC/USD.P");
        final SplittableRandom random = new SplittableRandom(SEED);
        final Map<String, Long> expected = new TreeMap<>();
        for (final String symbol : symbols)
        {
            expected.put(symbol, RandomBars.write(store, SeriesKey.of(symbol, Timeframe.H1, "vendor-1"), FIRST,
                nanos("2025-02-01"), false, random));
        }
        store.maintain(NOW);
        assertEquals(symbols.size(), archiver.run(CUT_OFF).written(), "January of each");
        ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "odd symbols");

        final Map<String, Long> plain = new TreeMap<>();
        try (Statement statement = duckdb.createStatement();
             ResultSet rs = statement.executeQuery("SELECT symbol, count(*) FROM read_parquet(" +
                 SqlText.literal(archiver.layout().root() + "/timeframe=1h/source=vendor-1/**/*.parquet") +
                 ", hive_partitioning = true) GROUP BY symbol"))
        {
            while (rs.next())
            {
                plain.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertEquals(expected, plain, "plain DuckDB");
        try (BarStore readOnly = BarStore.openReadOnly(dir);
             SqlSession session = new SqlSession(readOnly, SqlLimits.defaults(), allocator))
        {
            for (final String symbol : symbols)
            {
                final JsonNode rows = json(session.execute("SELECT count(*) FROM bars WHERE source = 'vendor-1' AND " +
                    "symbol = " + SqlText.literal(symbol), SqlFormat.JSON)).get("rows");
                assertEquals(expected.get(symbol), rows.get(0).get(0).asLong(), symbol + " through the bars view");
            }
        }
    }

    @Test
    void leavesNoTemporaryFileAndEveryFileIsComplete() throws IOException
    {
        final Map<ArchivedFile, PartitionInfo> files = ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "");
        for (final ArchivedFile file : files.keySet())
        {
            assertWholeParquet(file.path());
        }
        // A crash while writing March 10 left a torn temporary file, and one of a partition since deleted: readers
        // do not take them for archive files, and the next pass leaves neither behind.
        final Path march10 = new ArchiveLayout(dir).file(BRK, partition(BRK, "2025-03-10"));
        final Path torn = march10.resolveSibling(march10.getFileName() + ArchiveLayout.TEMP_SUFFIX);
        Files.createDirectories(torn.getParent());
        Files.write(torn, Arrays.copyOf(PARQUET_MAGIC, 3));
        final Path orphan = march10.resolveSibling("2025-03-11_D.000001.parquet" + ArchiveLayout.TEMP_SUFFIX);
        Files.write(orphan, PARQUET_MAGIC);
        assertEquals(files.size(), new ArchiveLayout(dir).list().size(), "temporary files are not archive files");

        final long later = nanos("2025-03-11");
        final ArchiveRun run = archiver.run(later);
        assertEquals(2, run.written(), "March 10 of the two 5-minute series: " + run);
        final Map<ArchivedFile, PartitionInfo> after = ArchiveChecks.assertArchiveMatchesStore(store, later,
            "after a crash");
        assertTrue(Files.isRegularFile(march10));
        assertWholeParquet(march10);
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : after.entrySet())
        {
            if (e.getKey().path().equals(march10))
            {
                ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(), e.getValue());
            }
        }
    }

    @Test
    void runningAgainWithNothingChangedWritesNothing() throws IOException
    {
        final Map<Path, FileTime> before = modified();
        final ArchiveRun again = archiver.run(CUT_OFF);
        assertEquals(0, again.written(), again.toString());
        assertEquals(0, again.removed(), again.toString());
        assertEquals(0, again.rows());
        assertEquals(before.size(), again.upToDate());
        assertEquals(before, modified(), "no file was touched");
    }

    @Test
    void anUpsertIntoAnArchivedPartitionReArchivesItAndConsolidationReplacesTheDays() throws SQLException
    {
        final PartitionInfo january = partition(BRK, "2025-01-01");
        final Path oldFile = new ArchiveLayout(dir).file(BRK, january);
        assertTrue(Files.isRegularFile(oldFile));
        final BarBatch batch = new BarBatch();
        RandomBars.add(batch, nanos("2025-01-15T03:00:00Z"), 400, new SplittableRandom(SEED));
        store.write(BRK, batch);
        final PartitionInfo rewritten = partition(BRK, "2025-01-01");
        assertNotEquals(january.generation(), rewritten.generation());
        assertTrue(rewritten.sealed(), "an upsert keeps a sealed partition sealed");

        final ArchiveRun run = archiver.run(CUT_OFF);
        assertEquals(1, run.written(), run.toString());
        assertEquals(1, run.removed(), run.toString());
        assertFalse(Files.exists(oldFile), "the old generation's file is gone");
        Map<ArchivedFile, PartitionInfo> files = ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF,
            "after an upsert");
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
        {
            if (e.getValue().periodStart() == january.periodStart() && e.getKey().key().equals(BRK))
            {
                assertEquals(january.rows() + 1, ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(),
                    e.getValue()));
            }
        }

        // March closes: its sealed days become one month segment, which ends after the cut-off but replaces days
        // that were archived, so it is archived in their place.
        store.maintain(nanos("2025-04-02"));
        final ArchiveRun consolidated = archiver.run(CUT_OFF);
        assertEquals(2, consolidated.written(), "March of BRK.B and of ETH/USD: " + consolidated);
        assertEquals(5 + 9, consolidated.removed(), "their days from March 1 to 9: " + consolidated);
        files = ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "after consolidating March");
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
        {
            ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(), e.getValue());
        }
    }

    @Test
    void deletingBarsAndWholeSeriesRemovesTheirFilesAndEmptyDirectories()
    {
        assertTrue(store.delete(ETH, Long.MAX_VALUE) > 0);
        assertTrue(store.delete(BRK, nanos("2025-03-04T15:00:00Z")) > 0);
        final ArchiveRun run = archiver.run(CUT_OFF);
        assertEquals(1, run.written(), "March 4 of BRK.B, cut short: " + run);
        assertEquals(11 + 4, run.removed(), "all 11 of ETH/USD; BRK.B's January, February, March 3 and the old " +
            "March 4: " + run);
        ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "after deletes");
        final Path root = archiver.layout().root();
        assertFalse(Files.exists(root.resolve("timeframe=5m/source=polygon")), "empty directories are removed");
        assertTrue(Files.isDirectory(root.resolve("timeframe=5m/source=default/symbol=BRK%2EB/year=2025")));
    }

    /**
     * A series' generations start again from the highest one left on disk when the store is opened, so a series
     * deleted (its archive files stay until the next pass) and written again after a restart can get the generation
     * numbers its old partitions had. The checksum in the file name keeps the old file from standing for the new rows.
     */
    @Test
    void aSeriesDeletedAndWrittenAgainAfterARestartIsNotServedFromItsOldArchive() throws SQLException
    {
        assertTrue(store.delete(BRK, Long.MAX_VALUE) > 0);
        archiver.close();
        store.close();
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
        archiver = new Archiver(store, allocator);
        RandomBars.write(store, BRK, FIRST, LAST, true, new SplittableRandom(SEED + 1)); // corrected data, say
        store.maintain(NOW);
        try (BarStore readOnly = BarStore.openReadOnly(dir);
             SqlSession session = new SqlSession(readOnly, SqlLimits.defaults(), allocator))
        {
            final JsonNode rows = json(session.execute("SELECT count(*), sum(close) FROM bars WHERE symbol = 'BRK.B'",
                SqlFormat.JSON)).get("rows");
            final BarCursor cursor = store.newCursor();
            store.range(BRK, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            long bars = 0;
            double closes = 0;
            while (cursor.next())
            {
                bars++;
                closes += cursor.close();
            }
            cursor.release();
            assertEquals(bars, rows.get(0).get(0).asLong(), "bars of BRK.B through SQL");
            assertEquals(closes, rows.get(0).get(1).asDouble(), Math.abs(closes) * 1e-9, "sum of closes through SQL");
        }
        archiver.run(CUT_OFF);
        for (final Map.Entry<ArchivedFile, PartitionInfo> e : ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF,
            "after deleting and writing BRK.B again").entrySet())
        {
            ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(), e.getValue());
        }
    }

    @Test
    void theBarsViewReadsArchivedPartitionsFromTheirParquetFiles() throws SQLException
    {
        // Rewrite one archived file in place with every close raised by 1000: SQL must show it, which proves the
        // view reads archived partitions from the archive and not from the store.
        final Path file = new ArchiveLayout(dir).file(BRK, partition(BRK, "2025-02-01"));
        final Path copy = file.resolveSibling("copy.tmp");
        try (Statement statement = duckdb.createStatement())
        {
            statement.execute("COPY (SELECT ts, open, high + 1000 AS high, low, close + 1000 AS close, volume, " +
                "vwap, trades FROM read_parquet(" + SqlText.literal(file.toString()) + ")) TO " +
                SqlText.literal(copy.toString()) + " (FORMAT parquet)");
        }
        try
        {
            Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        try (BarStore readOnly = BarStore.openReadOnly(dir);
             SqlSession session = new SqlSession(readOnly, SqlLimits.defaults(), allocator))
        {
            final JsonNode result = json(session.execute("SELECT ts >= TIMESTAMPTZ '2025-03-01 00:00:00+00' AS " +
                "later, min(close) FROM bars WHERE symbol = 'BRK.B' AND ts >= TIMESTAMPTZ '2025-02-01 00:00:00+00' " +
                "GROUP BY ALL ORDER BY ALL", SqlFormat.JSON));
            final JsonNode rows = result.get("rows");
            assertEquals(2, rows.size(), result.toString());
            assertTrue(rows.get(0).get(1).asDouble() > 1000, "February comes from its (doctored) file: " + rows);
            assertTrue(rows.get(1).get(1).asDouble() < 1000, "March from the store: " + rows);
        }
    }

    @Test
    void theBackgroundPolicyArchivesPartitionsOlderThanItsDays()
    {
        archiver.close();
        try (BackgroundArchiver background = new BackgroundArchiver(store, allocator, 30))
        {
            background.runOnce(); // the bars are of 2025, so every sealed partition is older than 30 days
        }
        archiver = new Archiver(store, allocator);
        final Map<ArchivedFile, PartitionInfo> files = ArchiveChecks.assertArchiveMatchesStore(store, NOW,
            "background");
        assertEquals(sealedPartitions(Long.MAX_VALUE), files.size(), "every sealed partition");
    }

    private PartitionInfo partition(final SeriesKey key, final String periodStart)
    {
        final long start = nanos(periodStart);
        return store.partitions(key).stream().filter(p -> p.periodStart() == start).findFirst().orElseThrow();
    }

    private int sealedPartitions(final long endedBy)
    {
        int sealed = 0;
        for (final SeriesKey key : store.seriesKeys())
        {
            for (final PartitionInfo p : store.partitions(key))
            {
                sealed += p.sealed() && p.periodEnd() <= endedBy ? 1 : 0;
            }
        }
        return sealed;
    }

    /** The generation and checksum part of an archive file name: {@code 000007.5c2e91d0}. */
    private String generation(final SeriesKey key, final String periodStart)
    {
        final PartitionInfo p = partition(key, periodStart);
        return String.format("%06d.%08x", p.generation(), p.checksum() & 0xFFFF_FFFFL);
    }

    private Map<Path, FileTime> modified() throws IOException
    {
        final Map<Path, FileTime> times = new HashMap<>();
        for (final ArchivedFile file : new ArchiveLayout(dir).list())
        {
            times.put(file.path(), Files.getLastModifiedTime(file.path()));
        }
        return times;
    }

    private static long size(final Path path)
    {
        try
        {
            return Files.size(path);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Starts and ends with the Parquet magic: written whole, footer included. */
    private static void assertWholeParquet(final Path path) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(path);
        assertTrue(bytes.length > 8, path.toString());
        assertArrayEquals(PARQUET_MAGIC, Arrays.copyOfRange(bytes, 0, 4), path.toString());
        assertArrayEquals(PARQUET_MAGIC, Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length), path.toString());
    }

    private static JsonNode json(final byte[] body)
    {
        try
        {
            return new ObjectMapper().readTree(body);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}

package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.server.BarServer;
import io.barstore.server.ServerConfig;
import io.barstore.server.archive.ArchiveChecks;
import io.barstore.server.archive.ArchiveLayout;
import io.barstore.server.archive.ArchiveRun;
import io.barstore.server.archive.ArchivedFile;
import io.barstore.server.archive.Archiver;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.barstore.server.sql.RandomBars.NANOS_PER_DAY;
import static io.barstore.server.sql.RandomBars.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property test of the {@code bars} view: for random ranges of every series, SQL returns exactly the bars the engine
 * reads, across the archived/live boundary, after upserts into archived partitions and after deletes, both before
 * and after the archiver catches up; in-process over a read-only view of the store, and through the SQL worker over
 * HTTP. The seed is printed on failure; replay with {@code -Dbarstore.test.seed=N}.
 * <p>
 * Three months of bars, sealed as of {@link #NOW} (January and February consolidated into month segments, March 1 to
 * 19 sealed days, the rest writable) and archived up to {@link #CUT_OFF} (January, February, March 1 to 9).
 */
class BarsViewMatchesEngineTest
{
    static final long SEED = RandomBars.seed();
    static final long FIRST = nanos("2025-01-01");
    static final long LAST = nanos("2025-04-01");
    static final long NOW = nanos("2025-03-20");
    static final long CUT_OFF = nanos("2025-03-10");
    static final long[] BOUNDARIES = { nanos("2025-02-01"), nanos("2025-03-01"), CUT_OFF, NOW };

    static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M5);
    static final SeriesKey BRK = SeriesKey.of("BRK.B", Timeframe.M5);
    static final SeriesKey BRK_POLYGON = SeriesKey.of("BRK.B", Timeframe.M5, "polygon");
    static final SeriesKey ETH_1M_POLYGON = SeriesKey.of("ETH/USD", Timeframe.M1, "polygon");
    static final SeriesKey ETH = SeriesKey.of("ETH/USD", Timeframe.M5);
    static final SeriesKey SPY_1H = SeriesKey.of("SPY", Timeframe.H1);
    static final List<SeriesKey> SERIES = List.of(AAPL, BRK, BRK_POLYGON, ETH_1M_POLYGON, ETH, SPY_1H);

    @TempDir
    static Path dir;
    static BarStore store;
    static RootAllocator allocator;
    static Archiver archiver;
    static BarStore readOnly;
    static BufferAllocator sessionAllocator;
    static SqlSession session;
    static BarServer server;
    static SqlHttp http;

    @RegisterExtension
    static final TestWatcher PRINT_SEED = new TestWatcher()
    {
        public void testFailed(final ExtensionContext context, final Throwable cause)
        {
            System.err.println(context.getDisplayName() + " failed with " + RandomBars.replay(SEED));
        }
    };

    @BeforeAll
    static void writeSealArchiveAndStart()
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
        final SplittableRandom random = new SplittableRandom(SEED);
        for (final SeriesKey key : SERIES)
        {
            RandomBars.write(store, key, FIRST, LAST, !key.symbol().equals("ETH/USD"), random);
        }
        store.maintain(NOW);
        allocator = new RootAllocator();
        archiver = new Archiver(store, allocator);
        final ArchiveRun run = archiver.run(CUT_OFF);
        ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "first pass");
        int archived = 0;
        int sealedLive = 0;
        int writable = 0;
        for (final SeriesKey key : SERIES)
        {
            for (final PartitionInfo p : store.partitions(key))
            {
                archived += p.sealed() && p.periodEnd() <= CUT_OFF ? 1 : 0;
                sealedLive += p.sealed() && p.periodEnd() > CUT_OFF ? 1 : 0;
                writable += p.sealed() ? 0 : 1;
            }
        }
        assertEquals(archived, run.written(), "one file per sealed partition that ended by the cut-off");
        assertTrue(sealedLive > 0 && writable > 0, "the data runs on past the archive, sealed and writable");

        readOnly = BarStore.openReadOnly(dir);
        sessionAllocator = allocator.newChildAllocator("sql-session", 0, Long.MAX_VALUE);
        session = new SqlSession(readOnly, SqlLimits.defaults().withMaxRows(1_000_000).withTimeoutMillis(60_000),
            sessionAllocator);
        server = new BarServer(store, ServerConfig.builder().port(0).build()).start();
        http = new SqlHttp(server);
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.stop();
        }
        if (session != null)
        {
            session.close();
            assertEquals(0, sessionAllocator.getAllocatedMemory(), "the SQL session leaked Arrow memory");
            sessionAllocator.close();
            readOnly.close();
        }
        if (archiver != null)
        {
            archiver.close();
        }
        if (store != null)
        {
            store.close();
        }
        if (allocator != null)
        {
            assertEquals(0, allocator.getAllocatedMemory(), "the archiver leaked Arrow memory");
            allocator.close();
        }
    }

    @Test
    void randomRangesGiveTheEngineBarsAcrossTheArchivedLiveBoundary()
    {
        final SplittableRandom random = new SplittableRandom(SEED ^ 1);
        int bars = 0;
        for (final SeriesKey key : SERIES)
        {
            bars += compareInProcess(key, FIRST - NANOS_PER_DAY, LAST + NANOS_PER_DAY, "whole series");
            for (final long boundary : BOUNDARIES)
            {
                bars += compareInProcess(key, boundary - key.timeframe().nanos() * 3,
                    boundary + key.timeframe().nanos() * 3, "across a boundary");
            }
            for (int i = 0; i < 8; i++)
            {
                final long[] range = randomRange(random, key);
                bars += compareInProcess(key, range[0], range[1], "random range " + i);
            }
        }
        assertTrue(bars > 100_000, "compared " + bars + " bars");
        assertCountsMatchTheStore(this::inProcess, "as written");
    }

    @Test
    void randomRangesGiveTheEngineBarsThroughTheWorkerOverHttp()
    {
        final SplittableRandom random = new SplittableRandom(SEED ^ 2);
        for (final SeriesKey key : SERIES)
        {
            for (int i = 0; i < 2; i++)
            {
                final long[] range = randomRange(random, key);
                compareOverHttp(key, range[0], range[1], "random range " + i);
            }
        }
        assertCountsMatchTheStore(http::rows, "over HTTP");
    }

    @Test
    void upsertsIntoArchivedPartitionsAreSeenBeforeAndAfterTheArchiverRunsAgain() throws SQLException
    {
        final SplittableRandom random = new SplittableRandom(SEED ^ 3);
        final List<Long> touched = new ArrayList<>();
        // BRK.B: bars replaced and inserted in the archived January segment and the archived day of March 5, one
        // inserted in a sealed day not archived yet (March 12), and the live bar replaced.
        final BarBatch batch = new BarBatch();
        for (final long ts : existingBars(BRK, nanos("2025-01-01"), nanos("2025-02-01"), 3, random))
        {
            RandomBars.add(batch, ts, 300, random);
            touched.add(ts);
        }
        for (final String ts : new String[]{ "2025-01-07T03:00:00Z", "2025-01-25T11:55:00Z", "2025-03-05T02:10:00Z",
            "2025-03-12T05:00:00Z" })
        {
            RandomBars.add(batch, nanos(ts), 300, random); // outside the session: a bar that was not there
            touched.add(nanos(ts));
        }
        for (final long ts : existingBars(BRK, nanos("2025-03-05"), nanos("2025-03-06"), 2, random))
        {
            RandomBars.add(batch, ts, 300, random);
            touched.add(ts);
        }
        final long newest = newestBar(BRK);
        RandomBars.add(batch, newest, 300, random);
        touched.add(newest);
        assertTrue(store.write(BRK, batch).upserted() > 0);
        // ETH/USD 1m (polygon): a whole archived hour of February rewritten.
        batch.clear();
        for (long ts = nanos("2025-02-14T10:00:00Z"); ts < nanos("2025-02-14T11:00:00Z"); ts += 60_000_000_000L)
        {
            RandomBars.add(batch, ts, 3000, random);
        }
        store.write(ETH_1M_POLYGON, batch);
        touched.add(nanos("2025-02-14T10:30:00Z"));

        final List<SeriesKey> changed = List.of(BRK, ETH_1M_POLYGON);
        checkEverything(random, changed, touched, "after upserts into archived partitions, before archiving again");
        final ArchiveRun run = archiver.run(CUT_OFF);
        assertTrue(run.written() >= 3 && run.removed() >= 3, "January and March 5 of BRK.B, February of ETH/USD: " +
            run);
        final Map<ArchivedFile, PartitionInfo> files =
            ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "after upserts");
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"))
        {
            for (final Map.Entry<ArchivedFile, PartitionInfo> e : files.entrySet())
            {
                if (e.getKey().key().equals(BRK) || e.getKey().key().equals(ETH_1M_POLYGON))
                {
                    ArchiveChecks.assertFileHoldsPartition(duckdb, store, e.getKey(), e.getValue());
                }
            }
        }
        checkEverything(random, changed, touched, "after upserts into archived partitions, archived again");
        assertEquals(0, archiver.run(CUT_OFF).written(), "nothing changed since");
    }

    @Test
    void deletesAreSeenBeforeAndAfterTheArchiverRunsAgain()
    {
        final SplittableRandom random = new SplittableRandom(SEED ^ 4);
        final long aaplBefore = nanos("2025-02-12T15:00:00Z"); // all of January, part of February: both archived
        final long brkBefore = nanos("2025-03-05T16:00:00Z"); // into the archived day of March 5
        assertTrue(store.delete(AAPL, aaplBefore) > 0);
        assertTrue(store.delete(BRK_POLYGON, brkBefore) > 0);
        assertTrue(store.delete(ETH, Long.MAX_VALUE) > 0);
        assertFalse(store.exists(ETH));
        final List<Long> touched = List.of(aaplBefore, nanos("2025-02-01"), brkBefore, nanos("2025-03-05"));

        final List<SeriesKey> changed = List.of(AAPL, BRK_POLYGON, ETH);
        checkEverything(random, changed, touched, "after deletes, before archiving again");
        final ArchiveRun run = archiver.run(CUT_OFF);
        assertTrue(run.removed() >= 4, "AAPL January, BRK.B (polygon) February and earlier, ETH/USD: " + run);
        ArchiveChecks.assertArchiveMatchesStore(store, CUT_OFF, "after deletes");
        final Path ethArchive = new ArchiveLayout(dir).root().resolve("timeframe=5m").resolve("source=default")
            .resolve("symbol=ETH%2FUSD");
        assertFalse(Files.exists(ethArchive), "the deleted series leaves nothing in the archive: " + ethArchive);
        checkEverything(random, changed, touched, "after deletes, archived again");
        final JsonNode eth = inProcess("SELECT count(*) FROM bars WHERE symbol = 'ETH/USD' AND timeframe = '5m' " +
            "AND source = 'default'");
        assertEquals(0, eth.get("rows").get(0).get(0).asLong());
    }

    /**
     * Ranges around the {@code touched} instants of the changed series (in-process, and one over HTTP each), random
     * ranges of every series, and the counts.
     */
    private void checkEverything(final SplittableRandom random, final List<SeriesKey> changed, final List<Long> touched,
        final String stage)
    {
        for (final SeriesKey key : changed)
        {
            for (final long ts : touched)
            {
                compareInProcess(key, ts - NANOS_PER_DAY, ts + NANOS_PER_DAY, stage + ", around " + ts);
            }
            final long ts = touched.get(random.nextInt(touched.size()));
            compareOverHttp(key, ts - 2 * NANOS_PER_DAY, ts + NANOS_PER_DAY, stage + ", around " + ts);
        }
        for (final SeriesKey key : SERIES)
        {
            for (int i = 0; i < 2; i++)
            {
                final long[] range = randomRange(random, key);
                compareInProcess(key, range[0], range[1], stage + ", random range " + i);
            }
        }
        assertCountsMatchTheStore(this::inProcess, stage);
        assertCountsMatchTheStore(http::rows, stage + ", over HTTP");
    }

    /** A random {@code [start, end)}: around a partition or archive boundary, short, medium or long. */
    private static long[] randomRange(final SplittableRandom random, final SeriesKey key)
    {
        final long span = LAST - FIRST + 2 * NANOS_PER_DAY;
        long start;
        long end;
        switch (random.nextInt(4))
        {
            case 0 ->
            {
                final long boundary = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
                start = boundary - random.nextLong(3 * NANOS_PER_DAY);
                end = boundary + random.nextLong(3 * NANOS_PER_DAY);
            }
            case 1 ->
            {
                start = FIRST - NANOS_PER_DAY + random.nextLong(span);
                end = start + random.nextLong(NANOS_PER_DAY);
            }
            case 2 ->
            {
                start = FIRST - NANOS_PER_DAY + random.nextLong(span);
                end = start + random.nextLong(10 * NANOS_PER_DAY);
            }
            default ->
            {
                start = FIRST - NANOS_PER_DAY + random.nextLong(span);
                end = start + random.nextLong(40 * NANOS_PER_DAY);
            }
        }
        if (random.nextBoolean())
        {
            start = key.timeframe().floor(start); // on a bar: the start bar is in, the end bar out
            end = key.timeframe().floor(end);
        }
        else
        {
            start = start / 1000 * 1000; // DuckDB timestamps are microseconds
            end = end / 1000 * 1000;
        }
        return new long[]{ start, Math.max(end, start + 1000) };
    }

    private int compareInProcess(final SeriesKey key, final long start, final long end, final String what)
    {
        final String sql = SqlOracle.rangeSql(key, start, end);
        return SqlOracle.assertSameBars(store, key, start, end, inProcess(sql),
            () -> key + " " + what + ", " + RandomBars.replay(SEED) + ": " + sql);
    }

    private void compareOverHttp(final SeriesKey key, final long start, final long end, final String what)
    {
        final String sql = SqlOracle.rangeSql(key, start, end);
        SqlOracle.assertSameBars(store, key, start, end, http.rows(sql),
            () -> key + " " + what + " over HTTP, " + RandomBars.replay(SEED) + ": " + sql);
    }

    private JsonNode inProcess(final String sql)
    {
        return SqlHttp.json(session.execute(sql, SqlFormat.JSON));
    }

    /** {@code count(*)} of the view, in all and per series, equals the store's statistics. */
    private static void assertCountsMatchTheStore(final java.util.function.Function<String, JsonNode> query,
        final String stage)
    {
        assertEquals(SqlOracle.storeBars(store), query.apply("SELECT count(*) FROM bars").get("rows").get(0).get(0)
            .asLong(), stage + ": count(*) of bars");
        final Map<String, Long> expected = new HashMap<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            final SeriesStats stats = store.stats(key);
            expected.put(key.symbol() + "|" + key.timeframe().label() + "|" + key.source(), stats.barCount());
        }
        final Map<String, Long> actual = new HashMap<>();
        for (final JsonNode row : query.apply("SELECT symbol, timeframe, source, count(*) FROM bars GROUP BY ALL")
            .get("rows"))
        {
            actual.put(row.get(0).asText() + "|" + row.get(1).asText() + "|" + row.get(2).asText(),
                row.get(3).asLong());
        }
        assertEquals(expected, actual, stage + ": bars per series");
    }

    /** {@code count} ts of bars of {@code key} in {@code [start, end)}, picked at random. */
    private static List<Long> existingBars(final SeriesKey key, final long start, final long end, final int count,
        final SplittableRandom random)
    {
        final List<Long> all = new ArrayList<>();
        final BarCursor cursor = store.newCursor();
        store.range(key, start, end, cursor);
        while (cursor.next())
        {
            all.add(cursor.ts());
        }
        cursor.release();
        final List<Long> picked = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            picked.add(all.get(random.nextInt(all.size())));
        }
        return picked.stream().distinct().toList();
    }

    private static long newestBar(final SeriesKey key)
    {
        final BarCursor cursor = store.newCursor();
        store.latest(key, cursor);
        assertTrue(cursor.next());
        final long ts = cursor.ts();
        cursor.release();
        return ts;
    }
}

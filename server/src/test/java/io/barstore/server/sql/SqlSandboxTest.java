package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.server.BarServer;
import io.barstore.server.ServerConfig;
import io.barstore.server.archive.ArchiveChecks;
import io.barstore.server.archive.ArchiveLayout;
import io.barstore.server.archive.Archiver;
import io.barstore.server.archive.SqlText;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.barstore.server.sql.RandomBars.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What user SQL may not do, each refused with a clear reason and the right status, and what it may: self-joins,
 * common table expressions, {@code time_bucket} roll-ups and Arrow results. One server with a 1 s time limit and a
 * 10-row limit, over two series of 5-minute bars from January 2 to 4, archived up to January 3.
 */
class SqlSandboxTest
{
    static final long TIMEOUT_MILLIS = 1_000;
    static final long MAX_ROWS = 10;
    static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M5);
    static final SeriesKey BRK = SeriesKey.of("BRK.B", Timeframe.M5);
    static final long FIRST = nanos("2025-01-02");
    static final long ARCHIVED_UNTIL = nanos("2025-01-03");

    @TempDir
    static Path dir;
    @TempDir
    static Path elsewhere;
    static BarStore store;
    static BarServer server;
    static SqlHttp http;

    @BeforeAll
    static void writeArchiveAndStart() throws SQLException
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
        final SplittableRandom random = new SplittableRandom(6);
        RandomBars.write(store, AAPL, FIRST, nanos("2025-01-05"), false, random);
        RandomBars.write(store, BRK, FIRST, nanos("2025-01-05"), false, random);
        store.maintain(ARCHIVED_UNTIL);
        try (RootAllocator allocator = new RootAllocator(); Archiver archiver = new Archiver(store, allocator))
        {
            assertEquals(2, archiver.run(ARCHIVED_UNTIL).written(), "January 2 of both series");
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duckdb.createStatement())
        {
            for (final Path outside : List.of(dir.resolve("outside.parquet"), elsewhere.resolve("outside.parquet")))
            {
                statement.execute("COPY (SELECT 42 AS secret) TO " + SqlText.literal(outside.toString()) +
                    " (FORMAT parquet)");
            }
        }
        server = new BarServer(store, ServerConfig.builder().port(0)
            .sqlLimits(SqlLimits.defaults().withTimeoutMillis(TIMEOUT_MILLIS).withMaxRows(MAX_ROWS)).build()).start();
        http = new SqlHttp(server);
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.stop();
        }
        if (store != null)
        {
            store.close();
        }
    }

    static Stream<Arguments> forbidden()
    {
        final String archive = new ArchiveLayout(dir).root().toString();
        final String rejected = "rejected";
        return Stream.of(
            Arguments.of("SELECT * FROM read_csv('/etc/passwd')", rejected, "sandbox"),
            Arguments.of("SELECT * FROM '/etc/passwd'", "failed", "Table with name /etc/passwd does not exist"),
            Arguments.of("SELECT * FROM read_text('/etc/hostname')", rejected, "sandbox"),
            Arguments.of("SELECT * FROM read_csv_auto('/proc/self/environ')", rejected, "sandbox"),
            Arguments.of("SELECT * FROM glob('/*')", rejected, "sandbox"),
            Arguments.of("SELECT * FROM read_parquet(" + SqlText.literal(elsewhere + "/outside.parquet") + ")",
                rejected, "sandbox"),
            Arguments.of("SELECT * FROM read_parquet(" + SqlText.literal(dir + "/outside.parquet") + ")",
                rejected, "sandbox"),
            Arguments.of("SELECT * FROM read_parquet(" + SqlText.literal(archive + "/../outside.parquet") + ")",
                rejected, "sandbox"),
            Arguments.of("COPY bars TO '/tmp/x'", rejected, "COPY is not"),
            Arguments.of("COPY bars TO " + SqlText.literal(archive + "/evil.parquet") + " (FORMAT parquet)",
                rejected, "COPY is not"),
            Arguments.of("COPY (SELECT 1) TO " + SqlText.literal(archive + "/evil.csv"), rejected, "COPY is not"),
            Arguments.of("EXPORT DATABASE " + SqlText.literal(archive + "/export"), rejected, "EXPORT is not"),
            Arguments.of("ATTACH " + SqlText.literal(elsewhere + "/other.duckdb") + " AS other", rejected,
                "ATTACH is not"),
            Arguments.of("INSTALL httpfs", rejected, "INSTALL is not"),
            Arguments.of("LOAD httpfs", rejected, "LOAD is not"),
            Arguments.of("SET enable_external_access = true", rejected, "SET is not"),
            Arguments.of("SET lock_configuration = false", rejected, "SET is not"),
            Arguments.of("RESET memory_limit", rejected, "RESET is not"),
            Arguments.of("PRAGMA memory_limit='10GB'", rejected, "PRAGMA is not"),
            Arguments.of("PRAGMA threads=8", rejected, "PRAGMA is not"),
            Arguments.of("CREATE TABLE t AS SELECT 1 AS x", rejected, "CREATE is not"),
            Arguments.of("CREATE MACRO twice(x) AS x * 2", rejected, "CREATE is not"),
            Arguments.of("INSERT INTO bars SELECT * FROM bars", rejected, "INSERT is not"),
            Arguments.of("UPDATE bars SET close = 0", rejected, "UPDATE is not"),
            Arguments.of("DELETE FROM bars", rejected, "DELETE is not"),
            Arguments.of("DROP VIEW bars", rejected, "DROP is not"),
            Arguments.of("CALL pragma_version()", rejected, "CALL is not"),
            Arguments.of("CHECKPOINT", rejected, "CHECKPOINT is not"),
            Arguments.of("SELECT * FROM query('SELECT 1')", rejected, "query() runs SQL from a string"),
            Arguments.of("SELECT * FROM query_table('bars')", rejected, "query_table() runs SQL from a string"),
            Arguments.of("SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM barstore_live_0'))",
                rejected, "json_execute_serialized_sql() runs SQL from a string"),
            Arguments.of("SELECT * FROM barstore_live_0", rejected, "internal to barstore"),
            Arguments.of("SELECT 1; SELECT 2", rejected, "one statement per request"),
            Arguments.of("SELECT 1; DROP VIEW bars", rejected, "only read-only queries"),
            Arguments.of("SELEC 1", rejected, "does not parse"),
            Arguments.of("", rejected, "no SQL given"),
            Arguments.of("SELECT no_such_column FROM bars", "failed", "no_such_column"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("forbidden")
    void isRefusedWithTheReasonAnd400(final String sql, final String reason, final String says)
    {
        final HttpResponse<byte[]> response = http.sql(sql);
        assertEquals(400, response.statusCode(), () -> sql + " -> " + SqlHttp.text(response));
        final JsonNode error = SqlHttp.json(response);
        assertEquals(reason, error.get("detail").get("reason").asText(), error.toString());
        assertTrue(error.get("error").asText().contains(says), () -> "\"" + says + "\" in " + error);
        assertEquals(TIMEOUT_MILLIS, error.get("detail").get("timeoutMillis").asLong());
        assertEquals(MAX_ROWS, error.get("detail").get("maxRows").asLong());
    }

    @Test
    void nothingWasWrittenIntoTheArchiveOrBesideTheStore() throws IOException
    {
        for (final String sql : List.of("COPY bars TO " + SqlText.literal(dir + "/archive/evil.parquet"),
            "COPY (SELECT 1) TO " + SqlText.literal(dir + "/archive/evil.csv"), "ATTACH " +
                SqlText.literal(dir + "/other.duckdb") + " AS other"))
        {
            assertEquals(400, http.sql(sql).statusCode(), sql);
        }
        assertEquals(List.of(), ArchiveChecks.leftovers(new ArchiveLayout(dir).root()));
        ArchiveChecks.assertArchiveMatchesStore(store, ARCHIVED_UNTIL, "after the refused statements");
        try (Stream<Path> files = Files.list(dir))
        {
            final List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.contains("other.duckdb"), names.toString());
        }
    }

    @Test
    void theSandboxSettingsAreInForceAndLocked()
    {
        final JsonNode row = http.rows("SELECT current_setting('enable_external_access'), " +
            "current_setting('lock_configuration'), current_setting('autoinstall_known_extensions'), " +
            "current_setting('autoload_known_extensions'), current_setting('threads'), " +
            "current_setting('allowed_directories'), current_setting('temp_directory')").get("rows").get(0);
        assertEquals("false", row.get(0).asText());
        assertEquals("true", row.get(1).asText());
        assertEquals("false", row.get(2).asText());
        assertEquals("false", row.get(3).asText());
        assertEquals(server.sqlWorker().limits().threads(), row.get(4).asInt());
        assertEquals("[" + new ArchiveLayout(dir).root() + "/]", row.get(5).asText(), "the archive, nothing else");
        assertEquals("", row.get(6).asText(), "no spill directory (DuckDB would allow reading it, and make it)");
    }

    @Test
    void aQueryPastTheTimeLimitIsInterruptedWith408AndTheSameWorkerAnswersTheNext()
    {
        assertEquals(1, http.rows("SELECT 1").get("rowCount").asInt());
        final long pid = server.sqlWorker().pid();
        final long started = System.nanoTime();
        final HttpResponse<byte[]> response = http.sql("SELECT count(*) FROM range(100000000) a, range(1000) b");
        final long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(408, response.statusCode(), SqlHttp.text(response));
        final JsonNode error = SqlHttp.json(response);
        assertEquals("timeout", error.get("detail").get("reason").asText());
        assertTrue(error.get("error").asText().contains("time limit of 1000 ms"), error.toString());
        assertTrue(millis >= TIMEOUT_MILLIS, millis + " ms");
        assertTrue(millis < TIMEOUT_MILLIS + SqlWorker.KILL_GRACE_MILLIS,
            "interrupted by DuckDB, not killed by the watchdog: " + millis + " ms");
        assertEquals(pid, server.sqlWorker().pid(), "the worker was not restarted");
        final long next = System.nanoTime();
        assertEquals(2, http.rows("SELECT count(*) FROM bars GROUP BY symbol").get("rowCount").asInt());
        assertTrue(System.nanoTime() - next < TIMEOUT_MILLIS * 1_000_000, "the interrupted query stopped");
    }

    @Test
    void aResultPastTheRowLimitIsRefusedWith400InJsonAndArrow()
    {
        assertEquals(MAX_ROWS, http.rows("SELECT * FROM range(10)").get("rows").size());
        for (final String query : List.of("", "?format=arrow"))
        {
            for (final String sql : List.of("SELECT * FROM range(11)", "SELECT * FROM bars"))
            {
                final HttpResponse<byte[]> response = http.sql(sql, query);
                assertEquals(400, response.statusCode(), () -> sql + query + " -> " + SqlHttp.text(response));
                final JsonNode error = SqlHttp.json(response);
                assertEquals("too_many_rows", error.get("detail").get("reason").asText());
                assertTrue(error.get("error").asText().contains("limit of 10 rows"), error.toString());
            }
        }
    }

    @Test
    void aSelfJoinOfBarsSeesEveryBarOnBothSides()
    {
        final JsonNode rows = http.rows("SELECT a.symbol, count(*) FROM bars a JOIN bars b ON a.symbol = b.symbol " +
            "AND a.timeframe = b.timeframe AND a.source = b.source AND b.ts = a.ts + INTERVAL 5 MINUTE " +
            "GROUP BY a.symbol ORDER BY a.symbol").get("rows");
        assertEquals(2, rows.size(), rows.toString());
        assertEquals("AAPL", rows.get(0).get(0).asText());
        assertEquals(barsFollowedByTheNext(AAPL), rows.get(0).get(1).asLong());
        assertEquals("BRK.B", rows.get(1).get(0).asText());
        assertEquals(barsFollowedByTheNext(BRK), rows.get(1).get(1).asLong());
    }

    @Test
    void aCommonTableExpressionUsedTwiceAndTwoSubqueriesSeeEveryBar()
    {
        final long aapl = store.stats(AAPL).barCount();
        final long brk = store.stats(BRK).barCount();
        final JsonNode rows = http.rows("WITH per AS (SELECT symbol, count(*) AS n FROM bars GROUP BY symbol) " +
            "SELECT a.symbol, a.n, b.n FROM per a JOIN per b USING (symbol) ORDER BY a.symbol").get("rows");
        assertEquals("[[\"AAPL\"," + aapl + "," + aapl + "],[\"BRK.B\"," + brk + "," + brk + "]]", rows.toString());
        final JsonNode twice = http.rows("SELECT (SELECT count(*) FROM bars), (SELECT count(*) FROM bars WHERE " +
            "symbol = 'BRK.B')").get("rows");
        assertEquals("[[" + (aapl + brk) + "," + brk + "]]", twice.toString());
    }

    @Test
    void timeBucketRollsFiveMinuteBarsUpIntoHourBarsAcrossTheArchiveBoundary()
    {
        final long start = ARCHIVED_UNTIL - 4 * 3_600_000_000_000L;
        final long end = ARCHIVED_UNTIL + 4 * 3_600_000_000_000L;
        final JsonNode result = http.rows("SELECT time_bucket(INTERVAL 1 HOUR, ts) AS hour, " +
            "arg_min(open, ts) AS open, max(high) AS high, min(low) AS low, arg_max(close, ts) AS close, " +
            "sum(volume) AS volume, count(*) AS bars FROM bars WHERE symbol = 'BRK.B' AND timeframe = '5m' " +
            "AND ts >= " + SqlOracle.timestamp(start) + " AND ts < " + SqlOracle.timestamp(end) +
            " GROUP BY hour ORDER BY hour");
        final TreeMap<Long, double[]> hours = new TreeMap<>(); // open, high, low, close, volume, bars
        final BarCursor cursor = store.newCursor();
        store.range(BRK, start, end, cursor);
        while (cursor.next())
        {
            final double[] h = hours.computeIfAbsent(Timeframe.H1.floor(cursor.ts()),
                k -> new double[]{ cursor.open(), cursor.high(), cursor.low(), 0, 0, 0 });
            h[1] = Math.max(h[1], cursor.high());
            h[2] = Math.min(h[2], cursor.low());
            h[3] = cursor.close();
            h[4] += cursor.volume();
            h[5]++;
        }
        cursor.release();
        final JsonNode rows = result.get("rows");
        assertEquals(8, hours.size());
        assertEquals(hours.size(), rows.size(), result.toString());
        int i = 0;
        for (final var e : hours.entrySet())
        {
            final JsonNode row = rows.get(i++);
            final double[] h = e.getValue();
            assertEquals(e.getKey(), SqlOracle.nanos(row.get(0)), row.toString());
            assertEquals(h[0], row.get(1).asDouble(), row.toString());
            assertEquals(h[1], row.get(2).asDouble(), row.toString());
            assertEquals(h[2], row.get(3).asDouble(), row.toString());
            assertEquals(h[3], row.get(4).asDouble(), row.toString());
            assertEquals(h[4], row.get(5).asDouble(), Math.max(1e-6, h[4] * 1e-12), row.toString());
            assertEquals((long)h[5], row.get(6).asLong(), row.toString());
        }
    }

    @Test
    void arrowResultsReadBackWithArrowStreamReader() throws IOException
    {
        final String sql = "SELECT symbol, ts, close, trades FROM bars WHERE symbol = 'BRK.B' ORDER BY ts LIMIT 10";
        for (final HttpResponse<byte[]> response : List.of(http.sql(sql, "?format=arrow"),
            http.sql(sql, "", "Accept", "application/vnd.apache.arrow.stream")))
        {
            assertEquals(200, response.statusCode(), SqlHttp.text(response));
            assertEquals("application/vnd.apache.arrow.stream",
                response.headers().firstValue("Content-Type").orElseThrow());
            final List<String> values = new ArrayList<>();
            try (RootAllocator allocator = new RootAllocator();
                 ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(response.body()), allocator))
            {
                final VectorSchemaRoot root = reader.getVectorSchemaRoot();
                assertEquals("[symbol, ts, close, trades]", root.getSchema().getFields().stream()
                    .map(f -> f.getName()).toList().toString());
                final ArrowType.Timestamp tsType = assertInstanceOf(ArrowType.Timestamp.class,
                    root.getVector("ts").getField().getType());
                assertEquals("UTC", tsType.getTimezone());
                assertEquals(org.apache.arrow.vector.types.TimeUnit.NANOSECOND, tsType.getUnit(),
                    "the contract's timestamp[ns, tz=UTC], as the bar API sends");
                while (reader.loadNextBatch())
                {
                    final VarCharVector symbol = (VarCharVector)root.getVector("symbol");
                    final TimeStampVector ts = (TimeStampVector)root.getVector("ts");
                    final Float8Vector close = (Float8Vector)root.getVector("close");
                    final BigIntVector trades = (BigIntVector)root.getVector("trades");
                    final long toNanos = switch (tsType.getUnit())
                    {
                        case SECOND -> 1_000_000_000L;
                        case MILLISECOND -> 1_000_000L;
                        case MICROSECOND -> 1_000L;
                        case NANOSECOND -> 1L;
                    };
                    for (int i = 0; i < root.getRowCount(); i++)
                    {
                        values.add(new String(symbol.get(i), StandardCharsets.UTF_8) + " " + ts.get(i) * toNanos +
                            " " + close.get(i) + " " + trades.get(i));
                    }
                }
            }
            assertEquals(expectedFirstBars(BRK, 10), values);
        }
    }

    @Test
    void takesTheSqlAsPlainTextAndRefusesCsvAndBodiesWithoutSql()
    {
        final HttpResponse<byte[]> plain = http.post("/v1/sql", "text/plain", "SELECT count(*) AS n FROM bars");
        assertEquals(200, plain.statusCode(), SqlHttp.text(plain));
        final JsonNode result = SqlHttp.json(plain);
        assertEquals("n", result.get("columns").get(0).get("name").asText());
        assertEquals("BIGINT", result.get("columns").get(0).get("type").asText());
        assertEquals(store.stats(AAPL).barCount() + store.stats(BRK).barCount(),
            result.get("rows").get(0).get(0).asLong());
        assertEquals(1, result.get("rowCount").asLong());
        assertTrue(result.get("elapsedMillis").asLong() >= 0);

        assertEquals(400, http.sql("SELECT 1", "?format=csv").statusCode());
        assertEquals(400, http.post("/v1/sql", "application/json", "{}").statusCode());
        assertEquals(400, http.post("/v1/sql", "application/json", "SELECT 1").statusCode());
        assertEquals(400, http.post("/v1/sql", "application/json", "{\"sql\": 1}").statusCode());
    }

    @Test
    void numbersComeBackAsJsonNumbersEvenHugeSums()
    {
        long trades = 0;
        final BarCursor cursor = store.newCursor();
        store.range(BRK, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
        while (cursor.next())
        {
            trades += Math.max(0, cursor.trades());
        }
        cursor.release();
        final JsonNode result = http.rows("SELECT sum(trades) FILTER (WHERE trades >= 0), " +
            "18446744073709551615::UBIGINT, 1.5::DOUBLE, 'NaN'::DOUBLE, NULL::BIGINT, true, DATE '2025-01-02' " +
            "FROM bars WHERE symbol = 'BRK.B'");
        assertEquals("HUGEINT", result.get("columns").get(0).get("type").asText());
        assertEquals("[[" + trades + ",18446744073709551615,1.5,null,null,true,\"2025-01-02\"]]",
            result.get("rows").toString());
    }

    @Test
    void aServerWithSqlTurnedOffAnswers503()
    {
        try (BarServer off = new BarServer(store, ServerConfig.builder().port(0).sqlLimits(null).build()).start())
        {
            final HttpResponse<byte[]> response = new SqlHttp(off).sql("SELECT 1");
            assertEquals(503, response.statusCode());
            assertTrue(SqlHttp.json(response).get("error").asText().toLowerCase(Locale.ROOT).contains("turned off"));
            assertTrue(off.sqlWorker() == null);
        }
    }

    /** Bars of {@code key} whose next bar (one timeframe later) is there too. */
    private static long barsFollowedByTheNext(final SeriesKey key)
    {
        final BarCursor cursor = store.newCursor();
        store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
        long pairs = 0;
        long previous = Long.MIN_VALUE;
        while (cursor.next())
        {
            pairs += cursor.ts() - previous == key.timeframe().nanos() ? 1 : 0;
            previous = cursor.ts();
        }
        cursor.release();
        return pairs;
    }

    private static List<String> expectedFirstBars(final SeriesKey key, final int count)
    {
        final List<String> bars = new ArrayList<>();
        final BarCursor cursor = store.newCursor();
        store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
        while (bars.size() < count && cursor.next())
        {
            bars.add(key.symbol() + " " + cursor.ts() + " " + cursor.close() + " " + cursor.trades());
        }
        cursor.release();
        return bars;
    }
}

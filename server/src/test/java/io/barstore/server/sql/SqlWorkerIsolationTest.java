package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.server.BarServer;
import io.barstore.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.barstore.server.sql.RandomBars.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User SQL runs in a worker process: killing it (SIGKILL), or a query that exhausts its memory, leaves ingest and the
 * bar API serving, and the next SQL request works again. One server, SQL memory limited to 64 MB.
 */
class SqlWorkerIsolationTest
{
    static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M5);
    static final String SLOW = "SELECT count(*) FROM range(100000000) a, range(1000) b";

    @TempDir
    static Path dir;
    static BarStore store;
    static BarServer server;
    static SqlHttp http;
    static long nextBar = nanos("2025-01-03");

    @BeforeAll
    static void start()
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .build());
        RandomBars.write(store, AAPL, nanos("2025-01-02"), nextBar, false, new SplittableRandom(1));
        server = new BarServer(store, ServerConfig.builder().port(0)
            .sqlLimits(SqlLimits.defaults().withMemoryLimit("64MB").withTimeoutMillis(20_000)).build()).start();
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

    @Test
    void killingTheWorkerLeavesIngestAndTheBarApiServingAndTheNextQueryStartsANewWorker() throws Exception
    {
        final long before = sqlCount();
        final long pid = server.sqlWorker().pid();
        final long restarts = server.sqlWorker().restarts();
        assertTrue(pid > 0, "the worker runs after a query");
        assertNotEquals(ProcessHandle.current().pid(), pid, "in a process of its own");
        kill(pid);
        assertEquals(-1, server.sqlWorker().pid(), "the server sees the worker gone");

        assertBarApiServes(before + 1);
        assertEquals(before + 1, sqlCount(), "the next query starts a new worker and sees the new bar");
        assertNotEquals(pid, server.sqlWorker().pid());
        assertEquals(restarts + 1, server.sqlWorker().restarts());
    }

    @Test
    void killingTheWorkerInTheMiddleOfAQueryAnswers503AndTheNextQueryWorks() throws Exception
    {
        final long before = sqlCount();
        final long pid = server.sqlWorker().pid();
        final CompletableFuture<HttpResponse<byte[]>> slow = CompletableFuture.supplyAsync(() -> http.sql(SLOW));
        Thread.sleep(500);
        final long started = System.nanoTime();
        assertBarApiServes(before + 1); // while DuckDB is busy in the worker
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "ingest and reads do not wait for SQL");
        assertTrue(!slow.isDone(), "the query is still running");
        kill(pid);

        final HttpResponse<byte[]> response = slow.get(30, TimeUnit.SECONDS);
        assertEquals(503, response.statusCode(), SqlHttp.text(response));
        final JsonNode error = SqlHttp.json(response);
        assertEquals("unavailable", error.get("detail").get("reason").asText());
        assertTrue(error.get("error").asText().contains("restarted"), error.toString());
        assertEquals(before + 1, sqlCount());
        assertNotEquals(pid, server.sqlWorker().pid());
    }

    @Test
    void aQueryThatExhaustsTheMemoryLimitFailsClearlyAndLeavesEverythingServing()
    {
        final long before = sqlCount();
        for (final String hungry : new String[]{
            "SELECT max(len(l)) FROM (SELECT list(range) AS l FROM range(100000000))",
            "SELECT count(DISTINCT range) FROM range(100000000)" })
        {
            final HttpResponse<byte[]> response = http.sql(hungry);
            assertEquals(503, response.statusCode(), SqlHttp.text(response));
            final JsonNode error = SqlHttp.json(response);
            final String reason = error.get("detail").get("reason").asText();
            assertTrue(reason.equals("out_of_memory") || reason.equals("unavailable"), error.toString());
            assertEquals("64MB", error.get("detail").get("memoryLimit").asText());
            if (reason.equals("out_of_memory"))
            {
                assertTrue(error.get("error").asText().contains("memory limit of 64MB"), error.toString());
            }
        }
        // A result too large for the worker's heap (10 rows of 50 MB, within DuckDB's limit as it streams out).
        for (final String query : new String[]{ "", "?format=arrow" })
        {
            final HttpResponse<byte[]> response = http.sql("SELECT repeat('x', 50000000) FROM range(10)", query);
            assertEquals(503, response.statusCode(), SqlHttp.text(response));
            final JsonNode error = SqlHttp.json(response);
            assertEquals("out_of_memory", error.get("detail").get("reason").asText(), error.toString());
            assertTrue(error.get("error").asText().contains("does not fit the SQL worker's memory"), error.toString());
        }
        assertBarApiServes(before + 1);
        assertEquals(before + 1, sqlCount(), "the next query works");
    }

    private static long sqlCount()
    {
        return http.rows("SELECT count(*) FROM bars").get("rows").get(0).get(0).asLong();
    }

    /** Ingests one bar over HTTP and reads the series back: it holds {@code expected} bars. */
    private static void assertBarApiServes(final long expected)
    {
        final String ts = Instant.ofEpochSecond(0, nextBar).toString();
        nextBar += AAPL.timeframe().nanos();
        final HttpResponse<byte[]> ingest = http.post("/v1/bars/AAPL?timeframe=5m", "application/json",
            "[{\"ts\":\"" + ts + "\",\"open\":10,\"high\":11,\"low\":9,\"close\":10.5,\"volume\":100}]");
        assertEquals(200, ingest.statusCode(), SqlHttp.text(ingest));
        final HttpResponse<byte[]> read = http.get("/v1/bars/AAPL?timeframe=5m&limit=" + (expected + 5));
        assertEquals(200, read.statusCode(), SqlHttp.text(read));
        final JsonNode bars = SqlHttp.json(read).get("bars");
        assertEquals(expected, bars.size());
        assertEquals(ts, bars.get(bars.size() - 1).get("ts").asText());
    }

    private static void kill(final long pid) throws Exception
    {
        final ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        assertTrue(worker.destroyForcibly());
        worker.onExit().get(10, TimeUnit.SECONDS);
    }
}

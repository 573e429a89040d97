package io.barstore.server;

import io.barstore.engine.BarCursor;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.JsonBarWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /metrics: Prometheus text with requests per route template and status, bars, store size and the JVM. */
class MetricsTest
{
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir);
        TestBars.write(t.store, SeriesKey.of("AAPL", Timeframe.M5), DAY, 100);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @Test
    void countsRequestsPerRouteTemplateAndStatusWithALatencyHistogram()
    {
        final String ok = "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/bars/{symbol}\",status=\"200\"}";
        final String notFound =
            "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/bars/{symbol}\",status=\"404\"}";
        final String unmatched = "http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}";
        final String before = scrape();
        for (int i = 0; i < 3; i++)
        {
            assertEquals(200, t.get("/v1/bars/AAPL?timeframe=5m&limit=10").statusCode());
        }
        assertEquals(404, t.get("/v1/bars/NOPE?timeframe=5m").statusCode());
        assertEquals(404, t.get("/no/such/path/" + System.nanoTime()).statusCode());
        final String after = scrape();
        assertEquals(valueOrZero(before, ok) + 3, value(after, ok));
        assertEquals(valueOrZero(before, notFound) + 1, value(after, notFound));
        assertEquals(valueOrZero(before, unmatched) + 1, value(after, unmatched), "unknown paths share one tag value");
        assertTrue(after.contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/bars/{symbol}\"," +
            "status=\"200\",le=\""), "a histogram");
        assertTrue(after.contains("# TYPE http_server_requests_seconds histogram"), after);
    }

    @Test
    void countsBarsServedAndIngestedPerFormat()
    {
        final double before = value(scrape(), "barstore_bars_served_total{format=\"arrow\"}");
        assertEquals(200, t.get("/v1/bars/AAPL?timeframe=5m&format=arrow&limit=7").statusCode());
        assertEquals(before + 7, value(scrape(), "barstore_bars_served_total{format=\"arrow\"}"));
        assertEquals(200, t.post("/v1/bars/NEW?timeframe=1m", "text/csv",
            "ts,open,high,low,close,volume\n2025-01-02T00:00:00Z,1,1,1,1,1\n2025-01-02T00:01:00Z,1,1,1,1,1\n")
            .statusCode());
        assertEquals(2.0, value(scrape(), "barstore_bars_ingested_total{format=\"csv\"}"));
    }

    @Test
    void servesSealedBarsAsJsonFromTheCacheTheSecondTime() throws IOException
    {
        final SeriesKey key = SeriesKey.of("SEALED", Timeframe.M5);
        TestBars.write(t.store, key, DAY, 600);
        t.store.maintain(DAY + 30 * Timeframe.D1.nanos()); // seals the days written
        final String url = "/v1/bars/SEALED?timeframe=5m&start=2025-01-02T01:00:00Z";
        final double renderedBefore = value(scrape(), "barstore_json_cache_blocks_rendered_total");
        final String first = t.getText(url);
        final String metrics = scrape();
        assertTrue(value(metrics, "barstore_json_cache_blocks_rendered_total") > renderedBefore, metrics);
        assertTrue(value(metrics, "barstore_json_cache_size_bytes") > first.length(), metrics);
        final double served = value(metrics, "barstore_json_cache_blocks_served_total");
        final double rendered = value(metrics, "barstore_json_cache_blocks_rendered_total");
        assertEquals(first, t.getText(url), "the same text, rendered or cached");
        final String again = scrape();
        assertTrue(value(again, "barstore_json_cache_blocks_served_total") > served, again);
        assertEquals(rendered, value(again, "barstore_json_cache_blocks_rendered_total"), "nothing rendered again");
        assertEquals(600 - 12, t.getJson(url).get("bars").size(), "bars from 01:00 on");

        // What the server sent from its cache is what rendering every bar gives.
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final JsonBarWriter writer = new JsonBarWriter(expected);
        final BarCursor cursor = t.store.newCursor();
        writer.startSeries(key);
        assertTrue(t.store.range(key, DAY + Timeframe.H1.nanos(), Long.MAX_VALUE, cursor));
        writer.writeBars(key, cursor);
        writer.end();
        cursor.release();
        assertEquals(expected.toString(StandardCharsets.UTF_8), first);
    }

    @Test
    void gzipsSealedBarsWhetherRenderedNowOrTakenFromTheCache() throws IOException
    {
        final SeriesKey key = SeriesKey.of("ZIPPED", Timeframe.M5);
        TestBars.write(t.store, key, DAY, 900);
        t.store.maintain(DAY + 30 * Timeframe.D1.nanos()); // seals the days: each a cached slice of about 36 KB
        final String url = "/v1/bars/ZIPPED?timeframe=5m";
        final HttpResponse<byte[]> rendered = t.get(url, "Accept-Encoding", "gzip"); // renders the blocks
        final String plain = t.getText(url);
        final HttpResponse<byte[]> cached = t.get(url, "Accept-Encoding", "gzip");
        for (final HttpResponse<byte[]> zipped : List.of(rendered, cached))
        {
            final String when = zipped == rendered ? "rendered now" : "from the cache";
            assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse("none"),
                when + ": a client that accepts gzip gets it whatever the size of the first text written");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body())))
            {
                assertEquals(plain, new String(in.readAllBytes(), StandardCharsets.UTF_8), when);
            }
        }
    }

    @Test
    void reportsTheStoreSizeAndTheJvm()
    {
        final String metrics = scrape();
        assertTrue(value(metrics, "barstore_store_bars") >= 100, metrics);
        assertTrue(value(metrics, "barstore_store_size_bytes") > 0);
        assertTrue(value(metrics, "barstore_store_series") >= 1);
        assertTrue(metrics.contains("jvm_memory_used_bytes{"), "JVM memory");
        assertTrue(metrics.contains("jvm_threads_live_threads"), "JVM threads");
        assertTrue(metrics.contains("process_uptime_seconds"), "uptime");
    }

    private static String scrape()
    {
        final HttpResponse<byte[]> response = t.get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        return TestServer.text(response);
    }

    private static double valueOrZero(final String metrics, final String series)
    {
        return metrics.contains(series + " ") ? value(metrics, series) : 0;
    }

    /** The value of the sample whose name and labels are exactly {@code series}. */
    private static double value(final String metrics, final String series)
    {
        final Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        if (!m.find())
        {
            throw new AssertionError("no sample " + series + " in:\n" + metrics);
        }
        return Double.parseDouble(m.group(1));
    }
}

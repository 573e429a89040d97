package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses hold at most the cap of bars; following the Link headers gives every bar exactly once. */
class PagingTest
{
    static final int CAP = 1_000;
    static final SeriesKey A = SeriesKey.of("A", Timeframe.M5);
    static final SeriesKey B = SeriesKey.of("B", Timeframe.M5);
    static final int A_BARS = 2_500;
    static final int B_BARS = 1_200;
    /** B starts 600 bars after A, so the series overlap only in part. */
    static final long B_FIRST = DAY + 600 * Timeframe.M5.nanos();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir, config -> config.maxBarsPerResponse(CAP));
        TestBars.write(t.store, A, DAY, A_BARS);
        TestBars.write(t.store, B, B_FIRST, B_BARS);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @AfterEach
    void serverHoldsNoArrowMemoryBetweenRequests()
    {
        assertEquals(0, t.serverArrowMemory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv", "arrow"})
    void followsTheLinksThroughEveryBarOfOneSeriesExactlyOnce(final String format)
    {
        final List<List<String>> pages = follow("/v1/bars/A?timeframe=5m&format=" + format);
        assertEquals(List.of(1000, 1000, 500), sizes(pages));
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < A_BARS; i++)
        {
            expected.add("A@" + TestBars.ts(A, DAY, i));
        }
        assertEquals(expected, flatten(pages));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv", "arrow"})
    void followsTheLinksThroughSeveralSeriesCutAtOneInstantForAll(final String format)
    {
        final List<List<String>> pages = follow("/v1/bars?symbols=A,B,NOPE&timeframe=5m&format=" + format);
        final Set<String> seen = new LinkedHashSet<>();
        long previousPageLast = Long.MIN_VALUE;
        for (final List<String> page : pages)
        {
            assertTrue(page.size() <= CAP, "a page holds at most the cap: " + page.size());
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (final String bar : page)
            {
                assertTrue(seen.add(bar), "served twice: " + bar);
                final long ts = Long.parseLong(bar.substring(2));
                first = Math.min(first, ts);
                last = Math.max(last, ts);
            }
            assertTrue(first > previousPageLast, "each page is a later slice of time for every series");
            previousPageLast = last;
        }
        assertEquals(A_BARS + B_BARS, seen.size(), "every bar of both series");
        assertTrue(pages.size() >= 4, "3,700 bars in pages of at most 1,000: " + sizes(pages));
    }

    @Test
    void keepsTheRequestsOwnParametersInTheLinkAndStopsAtItsEnd()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/A?format=csv&timeframe=5Min&start=2025-01-02" +
            "&end=2025-01-08T12:00:00Z&source=default");
        final String link = response.headers().firstValue("Link").orElseThrow();
        assertEquals("<" + t.server.url() + "/v1/bars/A?format=csv&timeframe=5Min&end=2025-01-08T12:00:00Z" +
            "&source=default&start=2025-01-05T11:20:00Z>; rel=\"next\"", link, "start moved to bar 1000, others kept");
        final List<List<String>> pages = follow("/v1/bars/A?timeframe=5m&format=json&end=2025-01-08T12:00:00Z");
        assertEquals(List.of(1000, 872), sizes(pages), "6.5 days of 5-minute bars");
    }

    @Test
    void neverPagesAReadWithLimitAndRefusesALimitAboveTheCap()
    {
        final HttpResponse<byte[]> newest = t.get("/v1/bars/A?timeframe=5m&limit=1000");
        assertEquals(200, newest.statusCode());
        assertFalse(newest.headers().firstValue("Link").isPresent());
        assertEquals(1000, TestServer.json(newest).get("bars").size());

        final HttpResponse<byte[]> tooMany = t.get("/v1/bars/A?timeframe=5m&limit=1001");
        assertEquals(400, tooMany.statusCode());
        assertTrue(TestServer.json(tooMany).get("error").asText().contains("'limit'"));
        assertEquals(400, t.get("/v1/bars?symbols=A,B&timeframe=5m&limit=600").statusCode(), "2 x 600 > 1,000");
        assertEquals(200, t.get("/v1/bars?symbols=A,B&timeframe=5m&limit=500").statusCode());
    }

    @Test
    void sendsNoLinkWhenEverythingFitsOneResponse()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/A?timeframe=5m&start=2025-01-02&end=2025-01-03");
        assertEquals(200, response.statusCode());
        assertFalse(response.headers().firstValue("Link").isPresent());
        assertEquals(288, TestServer.json(response).get("bars").size());
    }

    /** Fetches {@code first}, then each next page, and returns the pages as "SYMBOL@ts" strings. */
    private static List<List<String>> follow(final String first)
    {
        final List<List<String>> pages = new ArrayList<>();
        URI next = t.uri(first);
        while (next != null)
        {
            assertTrue(pages.size() < 20, "the links do not end");
            final HttpResponse<byte[]> response = t.send(HttpRequest.newBuilder(next).GET());
            assertEquals(200, response.statusCode(), () -> TestServer.text(response));
            pages.add(bars(response, next.getQuery()));
            final String link = response.headers().firstValue("Link").orElse(null);
            if (link == null)
            {
                next = null;
            }
            else
            {
                final Matcher m = NEXT.matcher(link);
                assertTrue(m.matches(), link);
                next = URI.create(m.group(1));
            }
        }
        return pages;
    }

    private static List<String> bars(final HttpResponse<byte[]> response, final String query)
    {
        final List<String> bars = new ArrayList<>();
        final String type = response.headers().firstValue("Content-Type").orElseThrow();
        if (type.startsWith("application/json"))
        {
            final JsonNode body = TestServer.json(response);
            if (body.has("symbol"))
            {
                for (final JsonNode bar : body.get("bars"))
                {
                    bars.add(body.get("symbol").asText() + "@" + TestBars.epochNanos(bar.get("ts").asText()));
                }
            }
            else
            {
                final Iterator<Map.Entry<String, JsonNode>> series = body.get("bars").fields();
                while (series.hasNext())
                {
                    final Map.Entry<String, JsonNode> entry = series.next();
                    for (final JsonNode bar : entry.getValue())
                    {
                        bars.add(entry.getKey() + "@" + TestBars.epochNanos(bar.get("ts").asText()));
                    }
                }
            }
        }
        else if (type.startsWith("text/csv"))
        {
            final String[] lines = TestServer.text(response).split("\n");
            final boolean multi = lines[0].startsWith("symbol,");
            for (int i = 1; i < lines.length; i++)
            {
                final String[] cells = lines[i].split(",");
                bars.add((multi ? cells[0] : "A") + "@" + TestBars.epochNanos(cells[multi ? 1 : 0]));
            }
        }
        else
        {
            final boolean multi = query.contains("symbols=");
            t.readArrow(response.body(), root ->
            {
                final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
                final IntVector symbol = multi ? (IntVector)root.getVector("symbol") : null;
                for (int r = 0; r < root.getRowCount(); r++)
                {
                    bars.add((symbol == null ? "A" : symbol.get(r) == 0 ? "A" : "B") + "@" + ts.get(r));
                }
            });
        }
        return bars;
    }

    private static List<Integer> sizes(final List<List<String>> pages)
    {
        final List<Integer> sizes = new ArrayList<>();
        pages.forEach(p -> sizes.add(p.size()));
        return sizes;
    }

    private static List<String> flatten(final List<List<String>> pages)
    {
        final List<String> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }
}

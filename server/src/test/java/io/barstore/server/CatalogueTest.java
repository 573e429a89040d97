package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is stored: symbols, the series of a symbol, store totals; and liveness. */
class CatalogueTest
{
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir);
        TestBars.write(t.store, SeriesKey.of("MSFT", Timeframe.M5), DAY, 30);
        TestBars.write(t.store, SeriesKey.of("AAPL", Timeframe.M5), DAY, 100);
        TestBars.write(t.store, SeriesKey.of("AAPL", Timeframe.D1, "polygon"), DAY, 5);
        TestBars.write(t.store, SeriesKey.of("ETH/USD", Timeframe.M1), DAY, 3);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @Test
    void listsEverySymbolOnceSorted()
    {
        final JsonNode symbols = t.getJson("/v1/symbols").get("symbols");
        assertEquals("[\"AAPL\",\"ETH/USD\",\"MSFT\"]", symbols.toString());
    }

    @Test
    void describesEachSeriesOfASymbol()
    {
        final JsonNode body = t.getJson("/v1/series/AAPL");
        assertEquals("AAPL", body.get("symbol").asText());
        final JsonNode series = body.get("series");
        assertEquals(2, series.size());
        final JsonNode m5 = series.get(0);
        assertEquals("5m", m5.get("timeframe").asText());
        assertEquals("default", m5.get("source").asText());
        assertEquals("2025-01-02T00:00:00Z", m5.get("first").asText());
        assertEquals("2025-01-02T08:15:00Z", m5.get("last").asText());
        assertEquals(100, m5.get("bars").asLong());
        assertTrue(m5.get("bytes").asLong() > 100 * 64, m5.toString());
        assertEquals(1, m5.get("files").asInt());
        assertEquals("polygon", series.get(1).get("source").asText());
        assertEquals("2025-01-06T00:00:00Z", series.get(1).get("last").asText());
        assertEquals(3, t.getJson("/v1/series/ETH%2FUSD").get("series").get(0).get("bars").asLong());
    }

    @Test
    void answersNotFoundForASymbolWithNoSeries()
    {
        assertEquals(404, t.get("/v1/series/NOPE").statusCode());
    }

    @Test
    void reportsStoreTotalsAndEverySeries()
    {
        final JsonNode stats = t.getJson("/v1/stats");
        final JsonNode totals = stats.get("totals");
        assertEquals(4, totals.get("series").asInt());
        assertEquals(138, totals.get("bars").asLong());
        assertTrue(totals.get("bytes").asLong() > 0);
        assertEquals(4, totals.get("files").asLong());
        assertEquals(4, stats.get("series").size());
        assertEquals("AAPL", stats.get("series").get(0).get("symbol").asText());
    }

    @Test
    void answersHealthChecks()
    {
        assertEquals("ok", t.getJson("/health").get("status").asText());
    }
}

package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad requests of every kind get the right status and a JSON error that names what was wrong, never a stack trace. */
class BadRequestTest
{
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir);
        TestBars.write(t.store, SeriesKey.of("AAPL", Timeframe.M5), TestBars.DAY, 10);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @Test
    void rejectsAnUnknownQueryParameterNamingIt()
    {
        final JsonNode error = expect(400, "/v1/bars/AAPL?timeframe=5m&strat=2025-01-02");
        assertTrue(error.get("error").asText().contains("unknown query parameter 'strat'"), error.toString());
        assertTrue(error.get("error").asText().contains("timeframe, start, end, limit, source, format"), error.toString());
        assertEquals("strat", error.get("detail").get("parameter").asText());
        assertTrue(expect(400, "/v1/stats?verbose=1").get("error").asText().contains("takes none"));
        assertTrue(expect(400, "/v1/latest?symbols=AAPL&timeframe=5m&start=2025-01-02").get("error").asText()
            .contains("'start'"), "latest takes no range");
    }

    @Test
    void rejectsAMalformedDateNamingTheParameter()
    {
        final JsonNode start = expect(400, "/v1/bars/AAPL?timeframe=5m&start=yesterday");
        assertTrue(start.get("error").asText().startsWith("query parameter 'start' must be an ISO-8601 instant"),
            start.toString());
        assertEquals("yesterday", start.get("detail").get("value").asText());
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&end=2025-02-30").get("error").asText()
            .contains("'end'"));
        assertTrue(expect(400, "/v1/bars?symbols=AAPL&timeframe=5m&start=2025-01-02T25:00:00Z").get("error").asText()
            .contains("'start'"));
    }

    @Test
    void rejectsAnEndThatIsNotAfterTheStart()
    {
        final JsonNode error = expect(400, "/v1/bars/AAPL?timeframe=5m&start=2025-01-03&end=2025-01-02");
        assertTrue(error.get("error").asText().contains("'end' must be after 'start'"), error.toString());
        expect(400, "/v1/bars/AAPL?timeframe=5m&start=2025-01-03&end=2025-01-03");
    }

    @Test
    void rejectsABadSymbolNamingTheCharacter()
    {
        final JsonNode error = expect(400, "/v1/bars/AA%20PL?timeframe=5m");
        assertTrue(error.get("error").asText().contains("symbol has a character that is not allowed"), error.toString());
        assertEquals("U+0020", error.get("detail").get("character").asText());
        assertEquals(2, error.get("detail").get("position").asInt());
        expect(400, "/v1/bars/" + "A".repeat(65) + "?timeframe=5m");
        expect(400, "/v1/bars?symbols=AAPL,AA%24PL&timeframe=5m");
        expect(400, "/v1/series/AA%24PL");
        expect(400, "/v1/bars?symbols=AAPL,,MSFT&timeframe=5m");
    }

    @Test
    void rejectsABadOrMissingTimeframeListingTheAcceptedOnes()
    {
        final JsonNode bad = expect(400, "/v1/bars/AAPL?timeframe=7m");
        assertTrue(bad.get("error").asText().contains("1s 5s 10s"), bad.toString());
        assertEquals("7m", bad.get("detail").get("timeframe").asText());
        assertTrue(expect(400, "/v1/bars/AAPL").get("error").asText().contains("'timeframe' is required"));
        assertTrue(expect(400, "/v1/latest?symbols=AAPL").get("error").asText().contains("'timeframe' is required"));
    }

    @Test
    void rejectsABadSourceLimitOrFormat()
    {
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&source=a.b").get("error").asText().contains("source"));
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&limit=ten").get("error").asText().contains("'limit'"));
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&limit=0").get("error").asText().contains("at least 1"));
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&format=xml").get("error").asText()
            .contains("json, csv or arrow"));
    }

    @Test
    void rejectsAParameterGivenTwiceOrEmpty()
    {
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&timeframe=1m").get("error").asText()
            .contains("given 2 times"));
        assertTrue(expect(400, "/v1/bars/AAPL?timeframe=5m&start=").get("error").asText().contains("'start' is empty"));
    }

    @Test
    void answersUnknownRoutesAndMethodsWithAJsonError()
    {
        assertTrue(expect(404, "/v2/bars").get("error").asText().contains("/openapi.json"));
        final HttpResponse<byte[]> delete = t.send(java.net.http.HttpRequest.newBuilder(t.uri("/v1/bars/AAPL"))
            .DELETE());
        assertEquals(405, delete.statusCode(), TestServer.text(delete));
        assertTrue(TestServer.json(delete).has("error"));
    }

    @Test
    void neverSendsAStackTrace()
    {
        for (final String path : new String[] {"/v1/bars/AAPL?timeframe=5m&start=x", "/v1/bars/NOPE?timeframe=5m",
            "/nope", "/v1/bars/%5E?timeframe=1m&limit=-1"})
        {
            final String body = TestServer.text(t.get(path));
            assertFalse(body.contains("\tat ") || body.contains("Exception"), body);
        }
    }

    private static JsonNode expect(final int status, final String pathAndQuery)
    {
        final HttpResponse<byte[]> response = t.get(pathAndQuery);
        assertEquals(status, response.statusCode(), () -> pathAndQuery + " -> " + TestServer.text(response));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        final JsonNode error = TestServer.json(response);
        assertTrue(error.has("error") && error.has("detail"), error.toString());
        return error;
    }
}

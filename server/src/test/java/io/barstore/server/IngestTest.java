package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.BarCursor;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /v1/bars/{symbol} in each format: what is accepted, what is rejected whole, and who may write. */
class IngestTest
{
    static final String TOKEN = "correct horse battery staple";
    static final String AUTH = "Bearer " + TOKEN;
    static final long MAX_BODY = 64 * 1024;

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir, config -> config.token(TOKEN).maxBodyBytes(MAX_BODY));
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

    @Test
    void ingestsAJsonArrayAndReportsAppendedReplacedAndUpserted()
    {
        final String first = "[" + jsonBar("2025-01-02T14:30:00Z", 10, 12) + "," +
            jsonBar("2025-01-02T14:40:00Z", 11, null) + "]";
        final JsonNode created = ok(t.post("/v1/bars/JSN?timeframe=5m", "application/json", first, "Authorization", AUTH));
        assertEquals(2, created.get("bars").asLong());
        assertEquals(2, created.get("appended").asLong());
        assertEquals("JSN", created.get("symbol").asText());
        assertEquals("5m", created.get("timeframe").asText());

        final String second = "[" + jsonBar("2025-01-02T14:40:00Z", 12, 3) + "," + jsonBar("2025-01-02T14:35:00Z", 13, 4) +
            "," + jsonBar("2025-01-02T14:45:00Z", 14, 5) + "]";
        final JsonNode result = ok(t.post("/v1/bars/JSN?timeframe=5Min", "application/json; charset=utf-8", second,
            "Authorization", AUTH));
        assertEquals(1, result.get("appended").asLong());
        assertEquals(1, result.get("replaced").asLong());
        assertEquals(1, result.get("upserted").asLong());

        final JsonNode bars = t.getJson("/v1/bars/JSN?timeframe=5m").get("bars");
        assertEquals(4, bars.size());
        assertEquals("2025-01-02T14:35:00Z", bars.get(1).get("ts").asText());
        assertEquals(12.0, bars.get(2).get("open").asDouble(), "replaced");
        assertFalse(bars.get(0).get("vwap").isNull());
    }

    @Test
    void acceptsTheShortFieldNamesAndNullForUnknownVwapAndTrades()
    {
        final String body = "[{\"t\":\"2025-01-02T15:00:00+01:00\",\"o\":1,\"h\":2,\"l\":0.5,\"c\":1.5,\"v\":10," +
            "\"vw\":null,\"n\":null}]";
        ok(t.post("/v1/bars/SHORT?timeframe=1h&source=alpaca", "application/json", body, "Authorization", AUTH));
        final JsonNode bar = t.getJson("/v1/bars/SHORT?timeframe=1h&source=alpaca").get("bars").get(0);
        assertEquals("2025-01-02T14:00:00Z", bar.get("ts").asText(), "the offset is applied");
        assertTrue(bar.get("vwap").isNull());
        assertEquals(-1, bar.get("trades").asLong());
    }

    @Test
    void ingestsCsvWithItsColumnsInAnyOrderAndEmptyCellsForUnknowns()
    {
        final String csv = "\uFEFFClose,ts,open,high,low,volume,vwap,trades\r\n" +
            "1.5,2025-01-02T14:30:00Z,1.0,2.0,0.5,100,1.25,7\r\n" +
            "\r\n" +
            "2.5,2025-01-02 14:31:00,2.0,3.0,1.5,200,,\r\n";
        final JsonNode result = ok(t.post("/v1/bars/CSV?timeframe=1m", "text/csv", csv, "Authorization", AUTH));
        assertEquals(2, result.get("appended").asLong());
        final String back = t.getText("/v1/bars/CSV?timeframe=1m&format=csv");
        assertEquals("ts,open,high,low,close,volume,vwap,trades\n" +
            "2025-01-02T14:30:00Z,1.0,2.0,0.5,1.5,100.0,1.25,7\n" +
            "2025-01-02T14:31:00Z,2.0,3.0,1.5,2.5,200.0,,-1\n", back);
    }

    @Test
    void ingestsAnArrowStreamWithAnyTimestampUnit() throws IOException
    {
        final byte[] body;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(
            Field.notNullable("ts",
                new ArrowType.Timestamp(
                    TimeUnit.MICROSECOND, "UTC")),
            float64("open"), float64("high"), float64("low"), float64("close"), float64("volume"),
            Field.nullable("vwap",
                new ArrowType.FloatingPoint(
                    FloatingPointPrecision.DOUBLE)),
            Field.nullable("trades",
                new ArrowType.Int(64, true)))), t.allocator);
             ByteArrayOutputStream out = new ByteArrayOutputStream();
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out))
        {
            writer.start();
            for (int batch = 0; batch < 2; batch++)
            {
                root.allocateNew();
                for (int r = 0; r < 3; r++)
                {
                    final int i = batch * 3 + r;
                    ((TimeStampMicroTZVector)root.getVector("ts")).set(r, (TestBars.DAY / 1000) + i * 300_000_000L);
                    ((Float8Vector)root.getVector("open")).set(r, TestBars.open(i));
                    ((Float8Vector)root.getVector("high")).set(r, TestBars.high(i));
                    ((Float8Vector)root.getVector("low")).set(r, TestBars.low(i));
                    ((Float8Vector)root.getVector("close")).set(r, TestBars.close(i));
                    ((Float8Vector)root.getVector("volume")).set(r, TestBars.volume(i));
                    if (i == 4)
                    {
                        ((Float8Vector)root.getVector("vwap")).setNull(r);
                        ((BigIntVector)root.getVector("trades")).setNull(r);
                    }
                    else
                    {
                        ((Float8Vector)root.getVector("vwap")).set(r, TestBars.open(i) + 0.25);
                        ((BigIntVector)root.getVector("trades")).set(r, 10 + i);
                    }
                }
                root.setRowCount(3);
                writer.writeBatch();
            }
            writer.end();
            body = out.toByteArray();
        }
        final JsonNode result = ok(t.post("/v1/bars/ARW?timeframe=5m", "application/vnd.apache.arrow.stream", body,
            "Authorization", AUTH));
        assertEquals(6, result.get("appended").asLong());
        final JsonNode bars = t.getJson("/v1/bars/ARW?timeframe=5m").get("bars");
        assertEquals("2025-01-02T00:25:00Z", bars.get(5).get("ts").asText());
        assertEquals(TestBars.close(5), bars.get(5).get("close").asDouble());
        assertTrue(bars.get(4).get("vwap").isNull());
        assertEquals(-1, bars.get(4).get("trades").asLong());
    }

    @Test
    void roundTripsBarsThroughEachFormat()
    {
        final SeriesKey source = SeriesKey.of("SRC", Timeframe.M5);
        TestBars.write(t.store, source, DAY, 500);
        for (final String format : new String[] {"json", "csv", "arrow"})
        {
            final HttpResponse<byte[]> read = t.get("/v1/bars/SRC?timeframe=5m&format=" + format);
            assertEquals(200, read.statusCode());
            final byte[] body = format.equals("json") ? barsArray(read.body()) : read.body();
            final String type = read.headers().firstValue("Content-Type").orElseThrow();
            final String target = "RT_" + format;
            ok(t.post("/v1/bars/" + target + "?timeframe=5m", type, body, "Authorization", AUTH));
            assertSameBars(source, SeriesKey.of(target, Timeframe.M5));
        }
    }

    @Test
    void rejectsABatchWithBadRowsWholeNamingEveryRowAndWritesNothing()
    {
        final String body = "[" + jsonBar("2025-01-02T14:30:00Z", 10, 1) + "," +
            "{\"ts\":\"2025-01-02T14:35:00Z\",\"open\":10,\"high\":9,\"low\":8,\"close\":10,\"volume\":1}," +
            "{\"ts\":\"2025-01-02T14:41:00Z\",\"open\":10,\"high\":11,\"low\":9,\"close\":10,\"volume\":-1}]";
        final JsonNode error = expect(400, t.post("/v1/bars/BAD?timeframe=5m", "application/json", body,
            "Authorization", AUTH));
        assertTrue(error.get("error").asText().startsWith("batch rejected, nothing was written: 3 broken rules"),
            error.toString());
        final JsonNode detail = error.get("detail");
        assertEquals("BAD/5m/default", detail.get("series").asText());
        assertEquals(3, detail.get("total").asInt());
        assertEquals(1, detail.get("rows").get(0).get("row").asInt());
        assertEquals("high", detail.get("rows").get(0).get("field").asText());
        assertEquals("must be >= max(open, close)", detail.get("rows").get(0).get("rule").asText());
        assertEquals("2 ts 2 volume", detail.get("rows").get(1).get("row").asInt() + " " +
            detail.get("rows").get(1).get("field").asText() + " " + detail.get("rows").get(2).get("row").asInt() + " " +
            detail.get("rows").get(2).get("field").asText());
        assertFalse(t.store.exists(SeriesKey.of("BAD", Timeframe.M5)), "nothing was written");
    }

    @Test
    void listsAtMostOneHundredBadRowsAndSaysHowManyInTotal()
    {
        final StringBuilder csv = new StringBuilder("ts,open,high,low,close,volume\n");
        for (int i = 0; i < 250; i++)
        {
            csv.append("2025-01-02T14:").append(String.format("%02d", i % 60)).append(":00Z,1,x,1,1,1\n");
        }
        final JsonNode error = expect(400, t.post("/v1/bars/MANY?timeframe=1m", "text/csv", csv.toString(),
            "Authorization", AUTH));
        assertEquals(250, error.get("detail").get("total").asInt());
        assertEquals(100, error.get("detail").get("listed").asInt());
        assertEquals(100, error.get("detail").get("rows").size());
        assertTrue(error.get("error").asText().contains("250 broken rules, the first 100 listed"), error.toString());
        assertEquals("must be a number", error.get("detail").get("rows").get(99).get("rule").asText());
    }

    @Test
    void namesBadFieldsOfJsonRowsByRowAndField()
    {
        final String body = "[{\"ts\":1735828200,\"open\":\"1\",\"high\":2,\"low\":0,\"close\":1,\"volume\":1," +
            "\"colour\":\"red\"}, 5, {\"ts\":\"2025-01-02T00:00:00Z\",\"open\":1,\"high\":1,\"low\":1,\"close\":1}]";
        final JsonNode rows = expect(400, t.post("/v1/bars/ROWS?timeframe=1m", "application/json", body,
            "Authorization", AUTH)).get("detail").get("rows");
        assertEquals("0 ts 0 open 0 colour 1 bar 2 volume", describe(rows));
        assertEquals("is required", rows.get(4).get("rule").asText());
    }

    @Test
    void rejectsMalformedBodiesOfEachFormat()
    {
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "application/json", "[{\"ts\": ",
            "Authorization", AUTH)).get("error").asText().startsWith("malformed JSON at line 1"));
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "application/json", "{\"bars\": []}",
            "Authorization", AUTH)).get("error").asText().contains("must be a JSON array"));
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "text/csv", "ts,open,hi,low,close,volume\n",
            "Authorization", AUTH)).get("error").asText().contains("unknown column 'hi'"));
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "text/csv", "ts,open,high,low,volume\n",
            "Authorization", AUTH)).get("error").asText().contains("no close column"));
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "text/csv", "",
            "Authorization", AUTH)).get("error").asText().contains("empty"));
        assertTrue(expect(400, t.post("/v1/bars/MAL?timeframe=1m", "application/vnd.apache.arrow.stream",
            "this is not arrow at all, not even close".getBytes(StandardCharsets.UTF_8), "Authorization", AUTH))
            .get("error").asText().contains("Arrow"));
        assertFalse(t.store.exists(SeriesKey.of("MAL", Timeframe.M1)));
    }

    @Test
    void rejectsAnArrowMessageClaimingGigabytesOfMetadataBeforeAllocatingThem()
    {
        // A continuation marker, then a metadata length of almost 2 GiB: Arrow's reader would allocate that much heap
        // before reading a byte of it (more than this JVM's whole heap: an OutOfMemoryError and a 500).
        final byte[] body = {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xF0, (byte)0xFF, (byte)0xFF, 0x7F,
            1, 2, 3, 4};
        final JsonNode error = expect(400, t.post("/v1/bars/HUGE?timeframe=1m", "application/vnd.apache.arrow.stream",
            body, "Authorization", AUTH));
        assertTrue(error.get("error").asText().contains("not an Arrow IPC stream: a message claims 2147483632 bytes " +
            "of metadata"), error.toString());
        assertFalse(t.store.exists(SeriesKey.of("HUGE", Timeframe.M1)));
    }

    @Test
    void rejectsABodyOfAnUnknownContentType()
    {
        expect(415, t.post("/v1/bars/TYPE?timeframe=1m", "application/xml", "<bars/>", "Authorization", AUTH));
        expect(415, t.post("/v1/bars/TYPE?timeframe=1m", null, "[]", "Authorization", AUTH));
    }

    @Test
    void rejectsAnOversizedBodyWithContentLengthBeforeReadingIt()
    {
        final JsonNode error = expect(413, t.post("/v1/bars/BIG?timeframe=1m", "text/csv",
            new byte[(int)MAX_BODY + 1], "Authorization", AUTH));
        assertTrue(error.get("error").asText().contains("--max-body"), error.toString());
        assertEquals(MAX_BODY, error.get("detail").get("limitBytes").asLong());
    }

    @Test
    void rejectsAnOversizedChunkedBodyWhileStreamingIt()
    {
        final StringBuilder csv = new StringBuilder("ts,open,high,low,close,volume\n");
        for (int i = 0; csv.length() <= MAX_BODY; i++)
        {
            csv.append("2025-01-02T00:00:00Z,1,1,1,1,").append(i).append('\n');
        }
        final byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        final HttpResponse<byte[]> response = t.send(HttpRequest.newBuilder(t.uri("/v1/bars/CHUNK?timeframe=1m"))
            .header("Content-Type", "text/csv").header("Authorization", AUTH)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        expect(413, response);
        assertFalse(t.store.exists(SeriesKey.of("CHUNK", Timeframe.M1)));
    }

    @Test
    void rejectsIngestWithoutTokenWhenTokenIsConfigured()
    {
        final HttpResponse<byte[]> response = t.post("/v1/bars/AUTH?timeframe=1m", "application/json", "[]");
        final JsonNode error = expect(401, response);
        assertTrue(error.get("error").asText().contains("Authorization: Bearer"), error.toString());
        assertEquals("Bearer realm=\"barstore\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void rejectsIngestWithAWrongTokenOrScheme()
    {
        final HttpResponse<byte[]> wrong = t.post("/v1/bars/AUTH?timeframe=1m", "application/json", "[]",
            "Authorization", "Bearer " + TOKEN + "x");
        assertTrue(expect(401, wrong).get("error").asText().contains("wrong"));
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        expect(401, t.post("/v1/bars/AUTH?timeframe=1m", "application/json", "[]", "Authorization", "Basic " + TOKEN));
        expect(401, t.post("/v1/bars/AUTH?timeframe=1m", "application/json", "[]", "Authorization", "Bearer "));
    }

    @Test
    void checksTheTokenBeforeAnythingElseAboutAWrite()
    {
        expect(401, t.post("/v1/bars/bad%20symbol?timeframe=nope&x=1", "application/xml", "junk"));
    }

    @Test
    void acceptsTheBearerSchemeInAnyCaseAndLetsReadsThroughWithoutAToken()
    {
        ok(t.post("/v1/bars/CASE?timeframe=1m", "application/json", "[]", "Authorization", "bearer " + TOKEN));
        assertEquals(200, t.get("/v1/symbols").statusCode());
    }

    @Test
    void acceptsWritesWithoutATokenWhenNoneIsConfigured(@TempDir final Path open)
    {
        try (TestServer server = TestServer.start(open))
        {
            final JsonNode result = ok(server.post("/v1/bars/OPEN?timeframe=1m", "application/json",
                "[" + jsonBar("2025-01-02T14:30:00Z", 1, 1) + "]"));
            assertEquals(1, result.get("appended").asLong());
        }
    }

    private static String jsonBar(final String ts, final double open, final Integer trades)
    {
        return "{\"ts\":\"" + ts + "\",\"open\":" + open + ",\"high\":" + (open + 1) + ",\"low\":" + (open - 1) +
            ",\"close\":" + open + ",\"volume\":100,\"vwap\":" + open + ",\"trades\":" + trades + "}";
    }

    private static Field float64(final String name)
    {
        return Field.notNullable(name,
            new ArrowType.FloatingPoint(
                FloatingPointPrecision.DOUBLE));
    }

    /** The {@code bars} array of a one-series JSON response: the body POST takes. */
    private static byte[] barsArray(final byte[] response)
    {
        try
        {
            return TestServer.JSON.writeValueAsBytes(TestServer.JSON.readTree(response).get("bars"));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void assertSameBars(final SeriesKey expected, final SeriesKey actual)
    {
        final BarCursor a = t.store.newCursor();
        final BarCursor b = t.store.newCursor();
        try
        {
            assertTrue(t.store.range(expected, Long.MIN_VALUE, Long.MAX_VALUE, a));
            assertTrue(t.store.range(actual, Long.MIN_VALUE, Long.MAX_VALUE, b), actual + " was not written");
            int n = 0;
            while (a.next())
            {
                assertTrue(b.next(), actual + " has fewer bars");
                assertEquals(a.ts(), b.ts());
                assertEquals(a.open(), b.open());
                assertEquals(a.high(), b.high());
                assertEquals(a.low(), b.low());
                assertEquals(a.close(), b.close());
                assertEquals(a.volume(), b.volume());
                assertEquals(a.vwap(), b.vwap(), actual + " bar " + n);
                assertEquals(a.trades(), b.trades(), actual + " bar " + n);
                n++;
            }
            assertFalse(b.next(), actual + " has more bars");
        }
        finally
        {
            a.release();
            b.release();
        }
    }

    private static String describe(final JsonNode rows)
    {
        final StringBuilder sb = new StringBuilder();
        for (final JsonNode row : rows)
        {
            sb.append(sb.length() == 0 ? "" : " ").append(row.get("row").asInt()).append(' ')
                .append(row.get("field").asText());
        }
        return sb.toString();
    }

    private static JsonNode ok(final HttpResponse<byte[]> response)
    {
        assertEquals(200, response.statusCode(), () -> TestServer.text(response));
        return TestServer.json(response);
    }

    private static JsonNode expect(final int status, final HttpResponse<byte[]> response)
    {
        assertEquals(status, response.statusCode(), () -> TestServer.text(response));
        final JsonNode error = TestServer.json(response);
        assertTrue(error.has("error") && error.has("detail"), error.toString());
        return error;
    }
}

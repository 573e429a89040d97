package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.BarArrowSchema;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every read route in every format against a real store: shapes, types and values. */
class ReadRoutesTest
{
    static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M5);
    static final SeriesKey MSFT = SeriesKey.of("MSFT", Timeframe.M5);
    static final SeriesKey ETH = SeriesKey.of("ETH/USD", Timeframe.M1);
    static final SeriesKey GSPC = SeriesKey.of("^GSPC", Timeframe.D1);
    static final SeriesKey FORMULA = SeriesKey.of("=CMD", Timeframe.M5);
    static final SeriesKey PLUS = SeriesKey.of("+X", Timeframe.M5);
    static final SeriesKey AAPL_POLYGON = SeriesKey.of("AAPL", Timeframe.M5, "polygon");
    static final int AAPL_BARS = 2_340;
    static final int MSFT_BARS = 100;
    static final SeriesKey BIG = SeriesKey.of("BIG", Timeframe.M1);
    static final int BIG_BARS = 10_000;

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void writeBarsAndStart()
    {
        t = TestServer.start(dir);
        TestBars.write(t.store, AAPL, DAY, AAPL_BARS);
        TestBars.write(t.store, MSFT, DAY, MSFT_BARS);
        TestBars.write(t.store, ETH, DAY, 50);
        TestBars.write(t.store, GSPC, DAY, 10);
        TestBars.write(t.store, FORMULA, DAY, 3);
        TestBars.write(t.store, PLUS, DAY, 2);
        TestBars.write(t.store, AAPL_POLYGON, DAY, 7);
        TestBars.write(t.store, BIG, DAY, BIG_BARS); // 1.3 MB of JSON, 650 KB of CSV: writes of up to 512 KiB
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
    void servesOneSeriesAsJsonByDefault()
    {
        final JsonNode body = t.getJson("/v1/bars/AAPL?timeframe=5m");
        assertEquals("AAPL", body.get("symbol").asText());
        assertEquals("5m", body.get("timeframe").asText());
        assertEquals("default", body.get("source").asText());
        final JsonNode bars = body.get("bars");
        assertEquals(AAPL_BARS, bars.size());
        assertEquals("2025-01-02T00:00:00Z", bars.get(0).get("ts").asText());
        assertEquals("2025-01-02T00:05:00Z", bars.get(1).get("ts").asText());
        for (int i = 0; i < AAPL_BARS; i++)
        {
            assertJsonBar(bars.get(i), i);
        }
    }

    @Test
    void writesUnknownVwapAsNullAndUnknownTradesAsMinusOneInJson()
    {
        final JsonNode bars = t.getJson("/v1/bars/AAPL?timeframe=5m&limit=20").get("bars");
        assertEquals(20, bars.size());
        int unknownVwap = 0;
        int unknownTrades = 0;
        for (final JsonNode bar : bars)
        {
            final int i = index(bar.get("ts").asText());
            assertJsonBar(bar, i);
            unknownVwap += bar.get("vwap").isNull() ? 1 : 0;
            unknownTrades += bar.get("trades").asLong() == -1 ? 1 : 0;
        }
        assertEquals(2, unknownVwap, "bars 2323 and 2333");
        assertEquals(3, unknownTrades, "bars 2326, 2333 and 2340-7");
    }

    @Test
    void servesCsvWithIsoTimestampsAndAnEmptyCellForUnknownVwap()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/AAPL?timeframe=5m&format=csv&end=2025-01-02T01:00:00Z");
        assertEquals(200, response.statusCode());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        final String[] lines = TestServer.text(response).split("\n");
        assertEquals("ts,open,high,low,close,volume,vwap,trades", lines[0]);
        assertEquals(13, lines.length, "12 bars in the first hour and the header");
        assertEquals("2025-01-02T00:00:00Z,100.0,101.0,99.0,100.5,1000.0,100.25,10", lines[1]);
        assertEquals("2025-01-02T00:15:00Z,100.75,101.75,99.75,101.25,1003.0,,13", lines[4], "bar 3: vwap unknown");
        assertEquals("2025-01-02T00:25:00Z,101.25,102.25,100.25,101.75,1005.0,101.5,-1", lines[6], "bar 5: trades unknown");
    }

    @Test
    void servesArrowStreamWithTheContractSchemaAndNoCompression()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/AAPL?timeframe=5m&format=arrow",
            "Accept-Encoding", "gzip");
        assertEquals(200, response.statusCode());
        assertEquals("application/vnd.apache.arrow.stream", response.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(response.headers().firstValue("Content-Encoding").isPresent(), "Arrow goes out uncompressed");
        final int[] rows = {0};
        t.readArrow(response.body(), root ->
        {
            assertEquals(BarArrowSchema.SINGLE_SERIES, root.getSchema());
            final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
            assertEquals("UTC", ((ArrowType.Timestamp)root.getSchema().findField("ts").getType()).getTimezone());
            final Float8Vector close = (Float8Vector)root.getVector("close");
            final Float8Vector vwap = (Float8Vector)root.getVector("vwap");
            final BigIntVector trades = (BigIntVector)root.getVector("trades");
            for (int r = 0; r < root.getRowCount(); r++)
            {
                final int i = rows[0] + r;
                assertEquals(TestBars.ts(AAPL, DAY, i), ts.get(r));
                assertEquals(TestBars.close(i), close.get(r));
                assertEquals(TestBars.vwap(i), vwap.get(r)); // NaN equals NaN for assertEquals(double, double)
                assertEquals(TestBars.trades(i), trades.get(r));
            }
            rows[0] += root.getRowCount();
        });
        assertEquals(AAPL_BARS, rows[0]);
    }

    @Test
    void choosesTheFormatFromTheAcceptHeaderWithQualityValues()
    {
        assertEquals("text/csv", mediaType("/v1/bars/MSFT?timeframe=5m", "Accept", "text/csv"));
        assertEquals("application/vnd.apache.arrow.stream", mediaType("/v1/bars/MSFT?timeframe=5m",
            "Accept", "application/json;q=0.5, application/vnd.apache.arrow.stream"));
        assertEquals("application/json", mediaType("/v1/bars/MSFT?timeframe=5m",
            "Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
        assertEquals("application/json", mediaType("/v1/bars/MSFT?timeframe=5m"), "JSON without Accept");
        assertEquals("text/csv", mediaType("/v1/bars/MSFT?timeframe=5m&format=csv",
            "Accept", "application/json"), "format= wins over Accept");
    }

    @Test
    void refusesAnAcceptHeaderNamingNoFormatServedHere()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/MSFT?timeframe=5m", "Accept", "application/xml");
        assertEquals(406, response.statusCode());
        assertTrue(TestServer.json(response).get("error").asText().contains("format="));
    }

    @Test
    void keepsOnlyTheNewestBarsWithLimit()
    {
        final JsonNode bars = t.getJson("/v1/bars/AAPL?timeframe=5m&limit=3").get("bars");
        assertEquals(3, bars.size());
        for (int k = 0; k < 3; k++)
        {
            assertJsonBar(bars.get(k), AAPL_BARS - 3 + k);
        }
    }

    @Test
    void readsTheHalfOpenRangeBetweenStartAndEndGivenAsInstantsOrDates()
    {
        final JsonNode firstHour = t.getJson(
            "/v1/bars/AAPL?timeframe=5m&start=2025-01-02T00:30:00Z&end=2025-01-02T01:00:00%2B00:00").get("bars");
        assertEquals(6, firstHour.size());
        assertJsonBar(firstHour.get(0), 6);
        final JsonNode day = t.getJson("/v1/bars/AAPL?timeframe=5m&start=2025-01-02&end=2025-01-03").get("bars");
        assertEquals(288, day.size());
        // An offset's + sent unencoded arrives as a space; it is read as the offset it was meant to be.
        final JsonNode offset = t.getJson(
            "/v1/bars/AAPL?timeframe=5m&start=2025-01-02T02:00:00+02:00&end=2025-01-02T00:10:00Z").get("bars");
        assertEquals(2, offset.size());
    }

    @Test
    void readsTheSeriesOfTheSourceAsked()
    {
        final JsonNode body = t.getJson("/v1/bars/AAPL?timeframe=5min&source=polygon");
        assertEquals("polygon", body.get("source").asText());
        assertEquals(7, body.get("bars").size());
    }

    @Test
    void readsSymbolsWithSlashesAndCaretsFromThePath()
    {
        assertEquals(50, t.getJson("/v1/bars/ETH/USD?timeframe=1m").get("bars").size());
        assertEquals(50, t.getJson("/v1/bars/ETH%2FUSD?timeframe=1m").get("bars").size());
        final JsonNode gspc = t.getJson("/v1/bars/%5EGSPC?timeframe=1d");
        assertEquals("^GSPC", gspc.get("symbol").asText());
        assertEquals(10, gspc.get("bars").size());
    }

    @Test
    void answersNotFoundForASeriesTheStoreDoesNotHold()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/NOPE?timeframe=5m");
        assertEquals(404, response.statusCode());
        final JsonNode error = TestServer.json(response);
        assertTrue(error.get("error").asText().contains("no series NOPE"), error.toString());
        assertEquals("NOPE", error.get("detail").get("symbol").asText());
        assertEquals(404, t.get("/v1/bars/AAPL?timeframe=1h").statusCode(), "AAPL is stored at 5m only");
    }

    @Test
    void servesSeveralSymbolsAsJsonKeyedBySymbolInTheOrderAsked()
    {
        final JsonNode body = t.getJson("/v1/bars?symbols=MSFT,AAPL,NOPE,MSFT&timeframe=5m&end=2025-01-02T08:00:00Z");
        assertEquals("5m", body.get("timeframe").asText());
        final List<String> symbols = new ArrayList<>();
        body.get("bars").fieldNames().forEachRemaining(symbols::add);
        assertEquals(List.of("MSFT", "AAPL", "NOPE"), symbols, "in the order asked, duplicates dropped");
        assertEquals(96, body.get("bars").get("MSFT").size());
        assertEquals(96, body.get("bars").get("AAPL").size());
        assertEquals(0, body.get("bars").get("NOPE").size());
        assertJsonBar(body.get("bars").get("MSFT").get(95), 95);
    }

    @Test
    void servesSeveralSymbolsAsArrowWithADictionaryEncodedSymbolColumn()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars?symbols=AAPL,MSFT&timeframe=5m&format=arrow&limit=4");
        assertEquals(200, response.statusCode());
        final List<String> rows = new ArrayList<>();
        assertEquals(List.of("AAPL", "MSFT"), t.arrowSymbolDictionary(response.body()));
        t.readArrow(response.body(), root ->
        {
            assertEquals(BarArrowSchema.SINGLE_SERIES.getFields(), root.getSchema().getFields().subList(1, 9));
            final Field symbol = root.getSchema().getFields().get(0);
            assertEquals("symbol", symbol.getName());
            assertEquals(new ArrowType.Int(32, true), symbol.getDictionary().getIndexType());
            final IntVector indices = (IntVector)root.getVector("symbol");
            final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
            for (int r = 0; r < root.getRowCount(); r++)
            {
                rows.add(indices.get(r) + "@" + ts.get(r));
            }
        });
        final List<String> expected = new ArrayList<>();
        for (int i = AAPL_BARS - 4; i < AAPL_BARS; i++)
        {
            expected.add("0@" + TestBars.ts(AAPL, DAY, i));
        }
        for (int i = MSFT_BARS - 4; i < MSFT_BARS; i++)
        {
            expected.add("1@" + TestBars.ts(MSFT, DAY, i));
        }
        assertEquals(expected, rows, "symbol index 0 = AAPL, 1 = MSFT: the dictionary is in the order asked");
    }

    @Test
    void servesSeveralSymbolsAsCsvWithTheSymbolColumnFirst()
    {
        final String[] lines = t.getText("/v1/bars?symbols=MSFT,AAPL&timeframe=5m&format=csv&limit=2").split("\n");
        assertEquals("symbol,ts,open,high,low,close,volume,vwap,trades", lines[0]);
        assertEquals(5, lines.length);
        assertTrue(lines[1].startsWith("MSFT,2025-01-02T08:10:00Z,"), lines[1]);
        assertTrue(lines[3].startsWith("AAPL,"), lines[3]);
    }

    @Test
    void neutralisesSymbolCellsASpreadsheetWouldRunAsFormulas()
    {
        final String[] lines = t.getText("/v1/bars?symbols=%3DCMD,%2BX,MSFT&timeframe=5m&format=csv&limit=1")
            .split("\n");
        assertEquals("'=CMD,2025-01-02T00:10:00Z,100.5,101.5,99.5,101.0,1002.0,100.75,12", lines[1]);
        assertTrue(lines[2].startsWith("'+X,2025-01-02T00:05:00Z,"), lines[2]);
        assertTrue(lines[3].startsWith("MSFT,"), lines[3]);
        // JSON and Arrow carry the symbol as it is: they are data formats, not spreadsheets.
        assertTrue(t.getJson("/v1/latest?symbols=%3DCMD&timeframe=5m").get("bars").has("=CMD"));
    }

    @Test
    void servesTheLatestBarOfEachSymbolInEveryFormat()
    {
        final JsonNode bars = t.getJson("/v1/latest?symbols=AAPL,MSFT,NOPE&timeframe=5m").get("bars");
        assertJsonBar(bars.get("AAPL"), AAPL_BARS - 1);
        assertJsonBar(bars.get("MSFT"), MSFT_BARS - 1);
        assertTrue(bars.get("NOPE").isNull());

        final String[] csv = t.getText("/v1/latest?symbols=AAPL,MSFT&timeframe=5m&format=csv").split("\n");
        assertEquals(3, csv.length);
        assertTrue(csv[1].startsWith("AAPL,2025-01-10T02:55:00Z,"), csv[1]);

        final int[] rows = {0};
        final byte[] arrow = t.get("/v1/latest?symbols=AAPL,MSFT&timeframe=5m&format=arrow").body();
        assertEquals(List.of("AAPL", "MSFT"), t.arrowSymbolDictionary(arrow));
        t.readArrow(arrow, root ->
        {
            assertEquals("symbol", root.getSchema().getFields().get(0).getName());
            rows[0] += root.getRowCount();
        });
        assertEquals(2, rows[0]);
    }

    @Test
    void answersNotFoundWhenNoneOfTheSymbolsHasASeries()
    {
        assertEquals(404, t.get("/v1/bars?symbols=NOPE,NADA&timeframe=5m").statusCode());
        assertEquals(404, t.get("/v1/latest?symbols=NOPE&timeframe=5m").statusCode());
    }

    @Test
    void gzipsJsonForClientsThatAcceptIt()
    {
        final HttpResponse<byte[]> response = t.get("/v1/bars/AAPL?timeframe=5m", "Accept-Encoding", "gzip");
        assertEquals(200, response.statusCode());
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse("none"));
    }

    @Test
    void sendsResponsesLongerThanOneWriteWholeAndAsTheGzippedOnesDecompress() throws IOException
    {
        for (final String format : List.of("json", "csv"))
        {
            final String url = "/v1/bars/BIG?timeframe=1m&format=" + format;
            final byte[] plain = t.get(url).body();
            final HttpResponse<byte[]> gzipped = t.get(url, "Accept-Encoding", "gzip");
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse("none"));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body())))
            {
                assertArrayEquals(in.readAllBytes(), plain, format + ": the same bytes either way");
            }
            assertTrue(plain.length > 512 * 1024, format + " is " + plain.length + " bytes, more than one write");
        }
        assertEquals(BIG_BARS, t.getJson("/v1/bars/BIG?timeframe=1m").get("bars").size());
    }

    @Test
    void givesTheLengthOfBodiesThatFitOneWriteAndChunksLongerOnesInEveryFormat()
    {
        for (final String format : List.of("json", "csv", "arrow"))
        {
            final HttpResponse<byte[]> small = t.get("/v1/bars/AAPL?timeframe=5m&format=" + format);
            assertEquals(200, small.statusCode(), TestServer.text(small));
            assertEquals(String.valueOf(small.body().length), small.headers().firstValue("Content-Length")
                .orElse("none"), format + ": a body sent whole carries its length");
            final HttpResponse<byte[]> big = t.get("/v1/bars/BIG?timeframe=1m&format=" + format);
            assertTrue(big.body().length > 512 * 1024,
                format + " is " + big.body().length + " bytes, not more than one write");
            assertEquals("none", big.headers().firstValue("Content-Length").orElse("none"),
                format + ": a body longer than one write is sent before its length is known");
            assertEquals("chunked", big.headers().firstValue("Transfer-Encoding").orElse("none"), format);
        }
        final long[] rows = {0};
        final long[] previousTs = {Long.MIN_VALUE};
        t.readArrow(t.get("/v1/bars/BIG?timeframe=1m&format=arrow").body(), root ->
        {
            final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
            for (int r = 0; r < root.getRowCount(); r++)
            {
                assertTrue(ts.get(r) > previousTs[0], "ascending ts across the writes, row " + (rows[0] + r));
                previousTs[0] = ts.get(r);
            }
            rows[0] += root.getRowCount();
        });
        assertEquals(BIG_BARS, rows[0], "every bar of an Arrow body longer than one write");
    }

    /** The response's media type, parameters left out. */
    private static String mediaType(final String pathAndQuery, final String... headers)
    {
        final HttpResponse<byte[]> response = t.get(pathAndQuery, headers);
        assertEquals(200, response.statusCode(), TestServer.text(response));
        return response.headers().firstValue("Content-Type").orElseThrow().split(";")[0].trim();
    }

    /** The index of the AAPL-like bar at {@code ts} (bars start at {@link TestBars#DAY}, 5 minutes apart). */
    private static int index(final String ts)
    {
        return (int)((TestBars.epochNanos(ts) - DAY) / Timeframe.M5.nanos());
    }

    static void assertJsonBar(final JsonNode bar, final int i)
    {
        assertEquals(TestBars.open(i), bar.get("open").asDouble(), bar.toString());
        assertEquals(TestBars.high(i), bar.get("high").asDouble(), bar.toString());
        assertEquals(TestBars.low(i), bar.get("low").asDouble(), bar.toString());
        assertEquals(TestBars.close(i), bar.get("close").asDouble(), bar.toString());
        assertEquals(TestBars.volume(i), bar.get("volume").asDouble(), bar.toString());
        if (Double.isNaN(TestBars.vwap(i)))
        {
            assertTrue(bar.get("vwap").isNull(), bar.toString());
        }
        else
        {
            assertEquals(TestBars.vwap(i), bar.get("vwap").asDouble(), bar.toString());
        }
        assertEquals(TestBars.trades(i), bar.get("trades").asLong(), bar.toString());
    }
}

package io.barstore.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SymbolsCommandTest
{
    private static final long T = Instant.parse("2025-01-02T14:30:00Z").getEpochSecond() * 1_000_000_000L;

    @TempDir
    static Path root;
    static String data;

    /** AAPL at 1m (default) and 1d (polygon), BRK.B at 5m, and a symbol a spreadsheet would run as a formula. */
    @BeforeAll
    static void writeAFewSeries()
    {
        data = root.resolve("data").toString();
        try (BarStore store = BarStore.open(StoreConfig.builder(root.resolve("data")).maintenanceIntervalMillis(0)
            .build()))
        {
            store.write(SeriesKey.of("AAPL", Timeframe.M1), bars(T, Timeframe.M1, 3));
            store.write(SeriesKey.of("AAPL", Timeframe.D1, "polygon"), bars(T - T % Timeframe.D1.nanos(),
                Timeframe.D1, 2));
            store.write(SeriesKey.of("BRK.B", Timeframe.M5), bars(T, Timeframe.M5, 4));
            store.write(SeriesKey.of("=CMD", Timeframe.M1), bars(T, Timeframe.M1, 1));
        }
    }

    private static BarBatch bars(final long first, final Timeframe tf, final int n)
    {
        final BarBatch batch = new BarBatch();
        for (int i = 0; i < n; i++)
        {
            batch.add(first + i * tf.nanos(), 10, 11, 9, 10.5, 100, Double.NaN, -1);
        }
        return batch;
    }

    @Test
    void listsOneSymbolALineSorted()
    {
        assertEquals("=CMD\nAAPL\nBRK.B\n", CliRun.of("symbols", "--data", data).assertOk().out());
    }

    @Test
    void withSeriesATableShowsEachSymbolsTimeframesSourcesBarsAndRange()
    {
        final List<String> lines = CliRun.of("symbols", "--data", data, "--series").assertOk().out().lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(List.of("symbol", "timeframes", "sources", "series", "bars", "first", "ts", "last", "ts"),
            List.of(lines.get(0).split("\\s+")));
        assertEquals(List.of("AAPL", "1m", "1d", "default", "polygon", "2", "5", "2025-01-02T00:00:00Z",
            "2025-01-03T00:00:00Z"), List.of(lines.get(2).split("\\s+")));
        assertEquals(List.of("BRK.B", "5m", "default", "1", "4", "2025-01-02T14:30:00Z", "2025-01-02T14:45:00Z"),
            List.of(lines.get(3).split("\\s+")));
    }

    @Test
    void csvIsASymbolColumnOrOneRowASeriesWithFormulasDefused()
    {
        assertEquals("symbol\n'=CMD\nAAPL\nBRK.B\n",
            CliRun.of("symbols", "--data", data, "--format", "csv").assertOk().out());
        final String csv = CliRun.of("symbols", "--data", data, "--series", "-f", "csv").assertOk().out();
        final List<String> lines = csv.lines().toList();
        assertEquals("symbol,timeframe,source,first,last,bars,bytes,files", lines.get(0));
        assertEquals(5, lines.size(), csv);
        assertTrue(lines.get(2).startsWith("AAPL,1m,default,2025-01-02T14:30:00Z,2025-01-02T14:32:00Z,3,"), csv);
        assertTrue(lines.get(3).startsWith("AAPL,1d,polygon,2025-01-02T00:00:00Z,2025-01-03T00:00:00Z,2,"), csv);
    }

    @Test
    void jsonHasTheShapesOfTheHttpApi() throws Exception
    {
        final ObjectMapper mapper = new ObjectMapper();
        final JsonNode plain = mapper.readTree(CliRun.of("symbols", "--data", data, "-f", "json").assertOk().out());
        assertEquals(mapper.readTree("{\"symbols\":[\"=CMD\",\"AAPL\",\"BRK.B\"]}"), plain);

        final JsonNode withSeries = mapper.readTree(
            CliRun.of("symbols", "--data", data, "-f", "json", "--series").assertOk().out());
        final JsonNode aapl = withSeries.get("symbols").get(1);
        assertEquals("AAPL", aapl.get("symbol").asText());
        assertEquals(2, aapl.get("series").size());
        final JsonNode daily = aapl.get("series").get(1);
        assertEquals("1d", daily.get("timeframe").asText());
        assertEquals("polygon", daily.get("source").asText());
        assertEquals("2025-01-02T00:00:00Z", daily.get("first").asText());
        assertEquals("2025-01-03T00:00:00Z", daily.get("last").asText());
        assertEquals(2, daily.get("bars").asLong());
        assertTrue(daily.get("bytes").asLong() > 0 && daily.get("files").asInt() == 1, daily.toString());
    }

    @Test
    void filtersByTimeframeAndSource()
    {
        assertEquals("AAPL\n", CliRun.of("symbols", "--data", data, "--timeframe", "1Day").assertOk().out());
        assertEquals("AAPL\n", CliRun.of("symbols", "--data", data, "--source", "polygon").assertOk().out());
        assertEquals("=CMD\nAAPL\n", CliRun.of("symbols", "--data", data, "-t", "1m").assertOk().out());
        assertEquals("", CliRun.of("symbols", "--data", data, "-t", "1h").assertOk().out());
    }

    @Test
    void anEmptyStoreListsNothingAMissingOneExits3AndABadFormat2() throws Exception
    {
        final Path empty = java.nio.file.Files.createDirectories(root.resolve("empty"));
        assertEquals("", CliRun.of("symbols", "--data", empty.toString()).assertOk().out());
        assertEquals("symbol\n", CliRun.of("symbols", "--data", empty.toString(), "-f", "csv").assertOk().out());
        CliRun.of("symbols", "--data", root.resolve("absent").toString()).assertFails(3);
        assertTrue(CliRun.of("symbols", "--data", data, "-f", "xml").assertFails(2).err().contains("xml"));
        CliRun.of("symbols", "--data", data, "-t", "7m").assertFails(2);
    }
}

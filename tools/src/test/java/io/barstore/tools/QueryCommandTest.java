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
class QueryCommandTest
{
    private static final long T = Instant.parse("2025-01-02T14:30:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long MINUTE = Timeframe.M1.nanos();

    @TempDir
    static Path root;
    static String data;

    /**
     * AAPL 1m default: four bars, one with vwap and trades unknown; AAPL 1m alpaca; MSFT 5m (its only series);
     * SPY 1m and 1d.
     */
    @BeforeAll
    static void writeSeries()
    {
        data = root.resolve("data").toString();
        try (BarStore store = BarStore.open(StoreConfig.builder(root.resolve("data")).maintenanceIntervalMillis(0)
            .build()))
        {
            store.write(SeriesKey.of("AAPL", Timeframe.M1), new BarBatch()
                .add(T, 187.25, 187.5, 187.0, 187.4, 1200, 187.3125, 42)
                .add(T + MINUTE, 187.4, 187.45, 186.9, 187.0, 800.5, Double.NaN, -1)
                .add(T + 2 * MINUTE, 187.0, 188.0, 187.0, 187.75, 0, 187.5, 0)
                .add(T + 3 * MINUTE, 187.75, 187.8, 187.6, 187.7, 10, 187.7, 3));
            store.write(SeriesKey.of("AAPL", Timeframe.M1, "alpaca"), new BarBatch()
                .add(T, 1, 1, 1, 1, 1, 1, 1));
            store.write(SeriesKey.of("MSFT", Timeframe.M5), new BarBatch()
                .add(T, 420, 421, 419, 420.5, 5000, 420.25, 100));
            store.write(SeriesKey.of("SPY", Timeframe.M1), new BarBatch().add(T, 1, 1, 1, 1, 1, 1, 1));
            store.write(SeriesKey.of("SPY", Timeframe.D1), new BarBatch().add(T - T % Timeframe.D1.nanos(),
                1, 1, 1, 1, 1, 1, 1));
        }
    }

    @Test
    void csvMatchesTheContractHeaderIsoTimesAndAnEmptyCellForAnUnknownVwap()
    {
        assertEquals("""
            ts,open,high,low,close,volume,vwap,trades
            2025-01-02T14:30:00Z,187.25,187.5,187.0,187.4,1200.0,187.3125,42
            2025-01-02T14:31:00Z,187.4,187.45,186.9,187.0,800.5,,-1
            2025-01-02T14:32:00Z,187.0,188.0,187.0,187.75,0.0,187.5,0
            2025-01-02T14:33:00Z,187.75,187.8,187.6,187.7,10.0,187.7,3
            """, CliRun.of("query", "AAPL", "--timeframe", "1m", "--format", "csv", "--data", data).assertOk().out());
    }

    @Test
    void jsonHasTheShapeOfTheHttpApi() throws Exception
    {
        final String out = CliRun.of("query", "AAPL", "-t", "1Min", "-f", "json", "--limit", "2", "--data", data)
            .assertOk().out();
        assertEquals("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"source\":\"default\",\"bars\":[" +
            "{\"ts\":\"2025-01-02T14:32:00Z\",\"open\":187.0,\"high\":188.0,\"low\":187.0,\"close\":187.75," +
            "\"volume\":0.0,\"vwap\":187.5,\"trades\":0}," +
            "{\"ts\":\"2025-01-02T14:33:00Z\",\"open\":187.75,\"high\":187.8,\"low\":187.6,\"close\":187.7," +
            "\"volume\":10.0,\"vwap\":187.7,\"trades\":3}]}\n", out);
        final JsonNode one = new ObjectMapper().readTree(CliRun.of("query", "AAPL", "-t", "1m", "-f", "json",
            "--start", "2025-01-02T14:31:00Z", "--end", "2025-01-02T14:32:00Z", "--data", data).assertOk().out());
        assertTrue(one.get("bars").get(0).get("vwap").isNull(), "unknown vwap is null: " + one);
    }

    @Test
    void aTableAlignsTheColumnsAndLeavesUnknownsEmpty()
    {
        final List<String> lines = CliRun.of("query", "AAPL", "--timeframe", "1m", "--data", data).assertOk().out()
            .lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals(List.of("ts", "open", "high", "low", "close", "volume", "vwap", "trades"),
            List.of(lines.get(0).trim().split("\\s+")));
        assertEquals(List.of("2025-01-02T14:31:00Z", "187.40", "187.45", "186.90", "187.00", "800.50"),
            List.of(lines.get(2).trim().split("\\s+")), "vwap and trades unknown: empty");
        assertEquals(lines.get(0).length(), lines.get(1).length(), "right-aligned numbers: " + lines);
    }

    @Test
    void startIsInclusiveEndExclusiveAndLimitKeepsTheNewest()
    {
        final String csv = CliRun.of("query", "AAPL", "-t", "1m", "-f", "csv", "--data", data,
            "--start", "2025-01-02T09:31:00-05:00", "--end", "2025-01-02T14:33:00Z").assertOk().out();
        assertEquals(List.of("2025-01-02T14:31:00Z", "2025-01-02T14:32:00Z"),
            csv.lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList());
        final String newest = CliRun.of("query", "AAPL", "-t", "1m", "-f", "csv", "-n", "1", "--data", data,
            "--end", "2025-01-02T14:33:00Z").assertOk().out();
        assertTrue(newest.lines().skip(1).toList().equals(List.of(
            "2025-01-02T14:32:00Z,187.0,188.0,187.0,187.75,0.0,187.5,0")), newest);
        assertEquals("ts,open,high,low,close,volume,vwap,trades\n", CliRun.of("query", "AAPL", "-t", "1m", "-f", "csv",
            "--start", "2025-01-03", "--data", data).assertOk().out(), "an empty range is just the header");
    }

    @Test
    void aSymbolWithOneSeriesNeedsNoTimeframeAndTheDefaultSourceWinsATie()
    {
        assertTrue(CliRun.of("query", "MSFT", "-f", "csv", "--data", data).assertOk().out()
            .contains("2025-01-02T14:30:00Z,420.0,421.0,419.0,420.5,5000.0,420.25,100"));
        assertEquals(5, CliRun.of("query", "AAPL", "-f", "csv", "-t", "1m", "--data", data).assertOk().out()
            .lines().count(), "AAPL 1m: default rather than alpaca");
        assertEquals("ts,open,high,low,close,volume,vwap,trades\n2025-01-02T14:30:00Z,1.0,1.0,1.0,1.0,1.0,1.0,1\n",
            CliRun.of("query", "AAPL", "-f", "csv", "--source", "alpaca", "--data", data).assertOk().out());
        final CliRun ambiguous = CliRun.of("query", "SPY", "--data", data).assertFails(2);
        assertTrue(ambiguous.err().contains("SPY matches several series, 1m default, 1d default; give --timeframe"),
            ambiguous::toString);
    }

    @Test
    void anUnknownSeriesExits3WithOneLineNamingWhatIsStored()
    {
        final CliRun missing = CliRun.of("query", "MSFT", "--timeframe", "1m", "--data", data).assertFails(3);
        assertEquals("barstore: no series MSFT 1m is stored; MSFT has 5m default\n", missing.err());
        assertEquals("", missing.out());
        assertTrue(CliRun.of("query", "TSLA", "-t", "1m", "--data", data).assertFails(3).err()
            .contains("no series of TSLA is stored"));
        CliRun.of("query", "AAPL", "-t", "1m", "--data", root.resolve("absent").toString()).assertFails(3);
    }

    @Test
    void badInputExits2WithOneLine()
    {
        assertTrue(CliRun.of("query", "AAPL", "-t", "1m", "--start", "yesterday", "--data", data).assertFails(2)
            .err().contains("--start must be an ISO-8601 instant"));
        assertTrue(CliRun.of("query", "AAPL", "-t", "1m", "--start", "2025-01-03", "--end", "2025-01-02", "--data",
            data).assertFails(2).err().contains("--end must be after --start"));
        assertTrue(CliRun.of("query", "AAPL", "-t", "1m", "-n", "0", "--data", data).assertFails(2).err()
            .contains("--limit must be at least 1"));
        CliRun.of("query", "AAPL", "-t", "1m", "-f", "xml", "--data", data).assertFails(2);
        assertTrue(CliRun.of("query", "AA PL", "-t", "1m", "--data", data).assertFails(2).err()
            .contains("character=U+0020"));
        CliRun.of("query", "--data", data).assertFails(2);
    }
}

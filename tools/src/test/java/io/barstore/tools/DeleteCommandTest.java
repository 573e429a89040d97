package io.barstore.tools;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeleteCommandTest
{
    private static final SeriesKey AAPL_5M = SeriesKey.of("AAPL", Timeframe.M5);
    private static final SeriesKey AAPL_1D = SeriesKey.of("AAPL", Timeframe.D1);
    private static final SeriesKey MSFT_5M = SeriesKey.of("MSFT", Timeframe.M5);
    private static final SeriesKey AAPL_5M_ALPACA = SeriesKey.of("AAPL", Timeframe.M5, "alpaca");
    /** 2024-01-02 to 2024-01-05, a regular session of 78 five-minute bars a day. */
    private static final List<String> DAYS = List.of("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05");
    private static final int BARS_A_DAY = 78;

    @TempDir
    Path data;

    /** Every series as written, for comparing after the command. */
    private Map<SeriesKey, List<Row>> written;

    @BeforeEach
    void writeFourSeries()
    {
        written = new TreeMap<>(Stores.KEY_ORDER);
        try (BarStore store = open())
        {
            write(store, AAPL_5M, intraday(0));
            write(store, AAPL_5M_ALPACA, intraday(5_000));
            write(store, MSFT_5M, intraday(10_000));
            final List<Row> daily = new ArrayList<>();
            for (int d = 0; d < DAYS.size(); d++)
            {
                daily.add(row(nanos(DAYS.get(d) + "T00:00:00Z"), 20_000 + d));
            }
            write(store, AAPL_1D, daily);
        }
    }

    @Test
    void deleteBeforeADateRemovesTheEarlierBarsAndKeepsEveryLaterBarExactly()
    {
        final Run run = run("delete", "AAPL", "--timeframe", "5m", "--source", "default", "--before", "2024-01-04");
        assertEquals(0, run.status, run::toString);
        assertEquals("", run.err, run::toString);
        assertTrue(run.out.lines().anyMatch(l -> l.matches("AAPL\\s+5m\\s+default\\s+156\\s+156")), run::toString);
        assertTrue(run.out.contains("total: deleted 156 bars from 1 of 1 series"), run::toString);

        final long cutoff = nanos("2024-01-04T00:00:00Z");
        final Map<SeriesKey, List<Row>> now = readAll();
        assertEquals(written.get(AAPL_5M).stream().filter(r -> r.ts >= cutoff).toList(), now.get(AAPL_5M));
        assertEquals(written.get(AAPL_5M_ALPACA), now.get(AAPL_5M_ALPACA), "another source is untouched");
        assertEquals(written.get(AAPL_1D), now.get(AAPL_1D), "another timeframe is untouched");
        assertEquals(written.get(MSFT_5M), now.get(MSFT_5M), "another symbol is untouched");
    }

    @Test
    void deleteBeforeAnInstantKeepsTheBarThatOpensAtThatInstant()
    {
        final Run run = run("delete", "AAPL", "-t", "5m", "--source", "default", "--before", "2024-01-03T15:30:00Z");
        assertEquals(0, run.status, run::toString);
        final List<Row> kept = readAll().get(AAPL_5M);
        assertEquals(nanos("2024-01-03T15:30:00Z"), kept.get(0).ts);
        assertEquals(written.get(AAPL_5M).subList(BARS_A_DAY + 12, 4 * BARS_A_DAY), kept);
    }

    @Test
    void deleteBeforeAnInstantWithAnOffsetReadsItAsThatUtcInstant()
    {
        // 10:30 at -05:00 is 15:30 UTC.
        final Run run = run("delete", "AAPL", "-t", "5m", "--source", "default", "--before", "2024-01-03T10:30:00-05:00");
        assertEquals(0, run.status, run::toString);
        assertEquals(nanos("2024-01-03T15:30:00Z"), readAll().get(AAPL_5M).get(0).ts);
    }

    @Test
    void withoutTimeframeOrSourceEverySeriesOfTheSymbolIsTrimmed()
    {
        final Run run = run("delete", "AAPL", "--before", "2024-01-04");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("total: deleted 314 bars from 3 of 3 series"), run::toString); // 156 + 156 + 2

        final long cutoff = nanos("2024-01-04T00:00:00Z");
        final Map<SeriesKey, List<Row>> now = readAll();
        for (final SeriesKey key : List.of(AAPL_5M, AAPL_5M_ALPACA, AAPL_1D))
        {
            assertEquals(written.get(key).stream().filter(r -> r.ts >= cutoff).toList(), now.get(key), key::toString);
        }
        assertEquals(written.get(MSFT_5M), now.get(MSFT_5M));
    }

    @Test
    void severalSymbolsAreTrimmedInOneRun()
    {
        final Run run = run("delete", "AAPL", "MSFT", "-t", "5m", "--before", "2024-01-05");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("total: deleted 702 bars from 3 of 3 series"), run::toString);
        final Map<SeriesKey, List<Row>> now = readAll();
        for (final SeriesKey key : List.of(AAPL_5M, AAPL_5M_ALPACA, MSFT_5M))
        {
            assertEquals(BARS_A_DAY, now.get(key).size(), key::toString);
        }
        assertEquals(written.get(AAPL_1D), now.get(AAPL_1D));
    }

    @Test
    void aCutoffBeforeEveryBarDeletesNothingAndSucceeds()
    {
        final Run run = run("delete", "AAPL", "--before", "2023-06-01");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("total: deleted 0 bars from 0 of 3 series"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void deletingAWholeSeriesWithoutYesExits2AndDeletesNothing()
    {
        final Run run = run("delete", "AAPL", "--timeframe", "1d");
        assertEquals(2, run.status, run::toString);
        assertEquals("", run.out, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.startsWith("barstore: ") && run.err.contains("add --yes"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void deletingAWholeSeriesWithYesRemovesEveryBarOfItOnly()
    {
        final Run run = run("delete", "AAPL", "--timeframe", "1d", "--yes");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.lines().anyMatch(l -> l.matches("AAPL\\s+1d\\s+default\\s+4\\s+0")), run::toString);
        assertTrue(run.out.contains("barstore compact"), run::toString);

        final Map<SeriesKey, List<Row>> now = readAll();
        assertFalse(now.containsKey(AAPL_1D), now.keySet()::toString);
        assertEquals(written.get(AAPL_5M), now.get(AAPL_5M));
        assertEquals(written.get(AAPL_5M_ALPACA), now.get(AAPL_5M_ALPACA));
        assertEquals(written.get(MSFT_5M), now.get(MSFT_5M));
    }

    @Test
    void aDryRunCountsWhatWouldGoAndChangesNothing()
    {
        final Run run = run("delete", "AAPL", "--before", "2024-01-03T15:30:00Z", "--dry-run");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("dry run, nothing changed"), run::toString);
        assertTrue(run.out.lines().anyMatch(l -> l.matches("AAPL\\s+5m\\s+default\\s+90\\s+222")), run::toString);
        assertTrue(run.out.lines().anyMatch(l -> l.matches("AAPL\\s+1d\\s+default\\s+2\\s+2")), run::toString);
        assertTrue(run.out.contains("total: would delete 182 bars from 3 of 3 series"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void aDryRunOfAWholeSeriesNeedsNoYesAndChangesNothing()
    {
        final Run run = run("delete", "MSFT", "-n");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("total: would delete 312 bars from 1 of 1 series"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void anUnknownSymbolExits3NamingItAndDeletesNothing()
    {
        final Run run = run("delete", "AAPL", "NOPE", "--before", "2024-01-04");
        assertEquals(Main.EXIT_NOT_FOUND, run.status, run::toString);
        assertEquals("", run.out, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("NOPE"), run::toString);
        assertEquals(written, readAll(), "AAPL, checked first, is not touched either");
    }

    @Test
    void aTimeframeTheSymbolLacksExits3NamingWhatItHas()
    {
        final Run run = run("delete", "MSFT", "--timeframe", "1h", "--before", "2024-01-04");
        assertEquals(Main.EXIT_NOT_FOUND, run.status, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("MSFT 1h") && run.err.contains("5m default"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void aBadDateExits2NamingTheOption()
    {
        final Run run = run("delete", "AAPL", "--before", "2024-13-45");
        assertEquals(Main.EXIT_BAD_INPUT, run.status, run::toString);
        assertEquals("", run.out, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("--before") && run.err.contains("2024-13-45"), run::toString);
        assertEquals(written, readAll());
    }

    @Test
    void aBadTimeframeExits2NamingIt()
    {
        final Run run = run("delete", "AAPL", "--timeframe", "7m", "--before", "2024-01-04");
        assertEquals(Main.EXIT_BAD_INPUT, run.status, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("timeframe") && run.err.contains("7m"), run::toString);
    }

    @Test
    void noSymbolExits2()
    {
        final Run run = run("delete", "--before", "2024-01-04");
        assertEquals(Main.EXIT_BAD_INPUT, run.status, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("SYMBOL"), run::toString);
    }

    // ------------------------------------------------------------------------------------------------------------

    private Run run(final String... args)
    {
        final String[] withData = new String[args.length + 2];
        System.arraycopy(args, 0, withData, 0, args.length);
        withData[args.length] = "--data";
        withData[args.length + 1] = data.toString();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err), withData);
        return new Run(status, out.toString().replace(System.lineSeparator(), "\n"),
            err.toString().replace(System.lineSeparator(), "\n"));
    }

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build());
    }

    private void write(final BarStore store, final SeriesKey key, final List<Row> rows)
    {
        final BarBatch batch = new BarBatch(rows.size());
        for (final Row r : rows)
        {
            batch.add(r.ts, r.open, r.high, r.low, r.close, r.volume, r.vwap, r.trades);
        }
        store.write(key, batch);
        written.put(key, List.copyOf(rows));
    }

    /** Every bar of every series, read back from a reopened store. */
    private Map<SeriesKey, List<Row>> readAll()
    {
        final Map<SeriesKey, List<Row>> all = new TreeMap<>(Stores.KEY_ORDER);
        try (BarStore store = open())
        {
            final BarCursor cursor = store.newCursor();
            for (final SeriesKey key : store.seriesKeys())
            {
                final List<Row> rows = new ArrayList<>();
                assertTrue(store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor));
                while (cursor.next())
                {
                    rows.add(new Row(cursor.ts(), cursor.open(), cursor.high(), cursor.low(), cursor.close(),
                        cursor.volume(), cursor.vwap(), cursor.trades()));
                }
                all.put(key, rows);
            }
            cursor.release();
        }
        return all;
    }

    private static List<Row> intraday(final int seed)
    {
        final List<Row> rows = new ArrayList<>();
        int k = seed;
        for (final String day : DAYS)
        {
            final long open = nanos(day + "T14:30:00Z");
            for (int i = 0; i < BARS_A_DAY; i++)
            {
                rows.add(row(open + i * Timeframe.M5.nanos(), k++));
            }
        }
        return rows;
    }

    /** A valid bar with values from {@code k}; every seventh has an unknown vwap and trade count. */
    private static Row row(final long ts, final int k)
    {
        final double open = 100 + k * 0.01;
        final boolean unknown = k % 7 == 0;
        return new Row(ts, open, open + 1.5, open - 1.25, open + 0.5, 1_000 + k,
            unknown ? Double.NaN : open + 0.25, unknown ? BarBatch.UNKNOWN_TRADES : k % 50);
    }

    static long nanos(final String instant)
    {
        final Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static void assertOneLine(final String text)
    {
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
    }

    /** One bar; a record, so equality compares every field (NaN vwap equals NaN). */
    private record Row(long ts, double open, double high, double low, double close, double volume, double vwap,
                       long trades)
    {
    }

    private record Run(int status, String out, String err)
    {
        public String toString()
        {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

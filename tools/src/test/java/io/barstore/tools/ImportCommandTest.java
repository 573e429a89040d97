package io.barstore.tools;

import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.tools.importer.Fixtures;
import io.barstore.tools.importer.Fixtures.Bar;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.barstore.tools.importer.Fixtures.DAY;
import static io.barstore.tools.importer.Fixtures.MINUTE;
import static io.barstore.tools.importer.Fixtures.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barstore import}: every format and option, through {@link Main#run} into real stores. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImportCommandTest
{
    private static final Pattern COUNTS = Pattern.compile(
        "(\\d[\\d,]*) appended, (\\d[\\d,]*) replaced, (\\d[\\d,]*) upserted");

    @TempDir
    Path tmp;

    private Path data()
    {
        return tmp.resolve("data");
    }

    private Run importing(final Object... args)
    {
        final List<String> all = new ArrayList<>(List.of("import", "--data", data().toString(), "--progress", "none"));
        for (final Object a : args)
        {
            all.add(a.toString());
        }
        return run(all.toArray(new String[0]));
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString().replace(System.lineSeparator(), "\n"),
            err.toString().replace(System.lineSeparator(), "\n"));
    }

    private List<Bar> stored(final String symbol, final Timeframe tf)
    {
        return Fixtures.read(data(), SeriesKey.of(symbol, tf));
    }

    private List<Bar> stored(final String symbol, final Timeframe tf, final String source)
    {
        return Fixtures.read(data(), SeriesKey.of(symbol, tf, source));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Generic CSV
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aGenericCsvWithAHeaderIsStoredBarForBarAndTheSummaryCountsIt()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 30);
        final Path file = Fixtures.write(tmp.resolve("aapl.csv"), Fixtures.csv(bars));

        final Run run = importing(file, "--symbol", "AAPL", "--timeframe", "1m").assertOk();

        assertEquals(bars, stored("AAPL", Timeframe.M1));
        assertTrue(run.out.contains("aapl.csv: csv, AAPL 1m: 30 rows -> 30 bars: 30 appended, 0 replaced, 0 upserted"),
            run::toString);
        assertTrue(run.lastLine().matches("imported 1 file: 30 rows read, 30 bars written \\(30 appended, 0 " +
            "replaced, 0 upserted\\), 0 rows rejected in \\d.* \\([\\d,]+ bars/s\\)"), run::toString);
    }

    @Test
    void importingTheSameFileAgainReportsEveryBarReplacedAndChangesNothing()
    {
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 3000, 0); // three days
        final Path file = Fixtures.write(tmp.resolve("aapl.csv"), Fixtures.csv(bars));
        assertEquals(List.of(3000L, 0L, 0L), importing(file, "--symbol", "AAPL", "--timeframe", "1m").assertOk().counts());
        final Map<SeriesKey, List<Bar>> before = Fixtures.readAll(data());

        final Run again = importing(file, "--symbol", "AAPL", "--timeframe", "1m").assertOk();

        assertEquals(List.of(0L, 3000L, 0L), again.counts(), again::toString);
        assertEquals(before, Fixtures.readAll(data()));
        assertEquals(bars, stored("AAPL", Timeframe.M1));
    }

    @Test
    void gzipIsReadByItsMagicBytesWhateverTheFileIsCalled()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 20);
        final Path gz = Fixtures.gzip(tmp.resolve("aapl.csv.gz"), Fixtures.csv(bars.subList(0, 10)));
        final Path disguised = Fixtures.gzip(tmp.resolve("more.csv"), Fixtures.csv(bars.subList(10, 20)));

        importing(gz, disguised, "--symbol", "AAPL", "--timeframe", "1m").assertOk();

        assertEquals(bars, stored("AAPL", Timeframe.M1));
    }

    @Test
    void epochSecondsMillisecondsMicrosecondsAndNanosecondsAreDetectedPerFile()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 40);
        final long[] divisors = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
        final List<Object> args = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final long divisor = divisors[i];
            args.add(Fixtures.write(tmp.resolve("unit" + i + ".csv"),
                Fixtures.csv(bars.subList(i * 10, i * 10 + 10), b -> Long.toString(b.ts() / divisor))));
        }
        args.addAll(List.of("--symbol", "AAPL", "--timeframe", "1m"));

        importing(args.toArray()).assertOk();

        assertEquals(bars, stored("AAPL", Timeframe.M1));
    }

    @Test
    void columnsAreMappedByNameOrNumberWithAnyDelimiterAndWithoutAHeader()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 5);
        final StringBuilder named = new StringBuilder("Close;Time Stamp;Hi;Lo;Op;Vol\n");
        final StringBuilder numbered = new StringBuilder();
        for (final Bar b : bars)
        {
            named.append(b.close()).append(';').append(iso(b.ts())).append(';').append(b.high()).append(';').append(b.low()).append(';').append(b.open())
                .append(';').append(b.volume()).append('\n');
            numbered.append(b.volume()).append('\t').append(b.open()).append('\t').append(b.high()).append('\t')
                .append(b.low()).append('\t').append(b.close()).append('\t').append(b.ts() / 1_000_000).append('\n');
        }
        final Path byName = Fixtures.write(tmp.resolve("named.csv"), named.toString());
        final Path byNumber = Fixtures.write(tmp.resolve("numbered.tsv"), numbered.toString());

        importing(byName, "--symbol", "A", "--timeframe", "1m", "--ts-col", "time_stamp", "--open-col", "Op",
            "--high-col", "HI", "--low-col", "lo", "--close-col", "close", "--volume-col", "Vol").assertOk();
        importing(byNumber, "--symbol", "B", "--timeframe", "1m", "--no-header", "--delimiter", "tab",
            "--ts-col", "6", "--open-col", "2", "--high-col", "3", "--low-col", "4", "--close-col", "5",
            "--volume-col", "1").assertOk();

        final List<Bar> expected = new ArrayList<>();
        for (final Bar b : bars)
        {
            expected.add(new Bar(b.ts(), b.open(), b.high(), b.low(), b.close(), b.volume(), Double.NaN, -1));
        }
        assertEquals(expected, stored("A", Timeframe.M1));
        assertEquals(expected, stored("B", Timeframe.M1));
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsAreFine()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 3);
        final Path file = Fixtures.write(tmp.resolve("win.csv"), "\uFEFF" + Fixtures.csv(bars).replace("\n", "\r\n"));
        importing(file, "--symbol", "W", "--timeframe", "1m").assertOk();
        assertEquals(bars, stored("W", Timeframe.M1));
    }

    @Test
    void aMissingColumnNamesTheHeaderAndTheFlagThatFixesIt()
    {
        final Path file = Fixtures.write(tmp.resolve("x.csv"), "ts,open,low,close\n2024-01-02T14:30:00Z,1,1,1\n");
        final Run run = importing(file, "--symbol", "X", "--timeframe", "1m").assertFails(2);
        assertTrue(run.err.contains("x.csv: no high column: the header has ts, open, low, close; name it with " +
            "--high-col"), run::toString);
    }

    @Test
    void localNewYorkTimesAreStoredInUtcAcrossBothDaylightSavingChanges()
    {
        final String csv = """
            time,open,high,low,close,volume
            2024-03-09 23:00:00,1,2,0.5,1.5,10
            2024-03-10 00:00:00,1,2,0.5,1.5,10
            2024-03-10 01:00:00,1,2,0.5,1.5,10
            2024-03-10 03:00:00,1,2,0.5,1.5,10
            2024-11-03 00:00:00,1,2,0.5,1.5,10
            2024-11-03 01:00:00,1,2,0.5,1.5,10
            2024-11-03 01:00:00,1,2,0.5,1.5,10
            2024-11-03 02:00:00,1,2,0.5,1.5,10
            """;
        final Path file = Fixtures.write(tmp.resolve("ny.csv"), csv);

        importing(file, "--symbol", "ES", "--timeframe", "1h", "--tz", "America/New_York").assertOk();

        final List<Long> ts = stored("ES", Timeframe.H1).stream().map(Bar::ts).toList();
        assertEquals(List.of(nanos("2024-03-10T04:00:00Z"), nanos("2024-03-10T05:00:00Z"),
            nanos("2024-03-10T06:00:00Z"), nanos("2024-03-10T07:00:00Z"), nanos("2024-11-03T04:00:00Z"),
            nanos("2024-11-03T05:00:00Z"), nanos("2024-11-03T06:00:00Z"), nanos("2024-11-03T07:00:00Z")), ts);
    }

    @Test
    void aLocalTimeTheClocksSkippedIsABadRowNamingTheZone()
    {
        final Path file = Fixtures.write(tmp.resolve("gap.csv"),
            "time,open,high,low,close,volume\n2024-03-10 01:30:00,1,2,0.5,1.5,10\n2024-03-10 02:30:00,1,2,0.5,1.5,10\n");
        final Run run = importing(file, "--symbol", "ES", "--timeframe", "30m", "--tz", "America/New_York")
            .assertFails(2);
        assertTrue(run.err.contains("gap.csv line 3: ts \"2024-03-10 02:30:00\" does not exist in America/New_York"),
            run::toString);
    }

    @Test
    void dailyBarsStampedAtATimeOfDayNeedTzAndThenTakeTheLocalDate()
    {
        // Daily bars stamped at the New York close (16:00 local = 21:00 or 20:00 UTC), across the March change.
        final String csv = "date,open,high,low,close,volume\n2024-03-08T21:00:00Z,1,2,0.5,1.5,10\n" +
            "2024-03-11T20:00:00Z,1,2,0.5,1.5,10\n";
        final Path file = Fixtures.write(tmp.resolve("d.csv"), csv);

        final Run without = importing(file, "--symbol", "SPY", "--timeframe", "1d").assertFails(2);
        assertTrue(without.err.contains("line 2: ts 2024-03-08T21:00:00Z is not aligned to the 1d timeframe " +
            "(daily bars open at 00:00 UTC; for bars stamped at the exchange's midnight or close, give --tz"),
            without::toString);

        importing(file, "--symbol", "SPY", "--timeframe", "1d", "--tz", "America/New_York").assertOk();
        assertEquals(List.of(nanos("2024-03-08"), nanos("2024-03-11")),
            stored("SPY", Timeframe.D1).stream().map(Bar::ts).toList());
    }

    @Test
    void rowsOutOfTimeOrderAreStoredInOrderAndCountAsAppended()
    {
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 50, 0);
        final List<Bar> newestFirst = new ArrayList<>(bars);
        Collections.reverse(newestFirst);
        final Path file = Fixtures.write(tmp.resolve("rev.csv"), Fixtures.csv(newestFirst));

        final Run run = importing(file, "--symbol", "AAPL", "--timeframe", "1m").assertOk();

        assertEquals(List.of(50L, 0L, 0L), run.counts());
        assertEquals(bars, stored("AAPL", Timeframe.M1));
    }

    @Test
    void twoRowsWithOneTsRejectTheFileNamingBothLinesAndLenientKeepsTheFirst()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 5);
        final List<Bar> withDuplicate = new ArrayList<>(bars);
        withDuplicate.add(new Bar(bars.get(1).ts(), 1, 2, 0.5, 1.5, 7, Double.NaN, -1)); // line 7, same ts as line 3
        final Path file = Fixtures.write(tmp.resolve("dup.csv"), Fixtures.csv(withDuplicate));

        final Run strict = importing(file, "--symbol", "D", "--timeframe", "1m").assertFails(2);
        assertTrue(strict.err.contains("dup.csv line 7: duplicate ts 2024-01-02T14:31:00Z of D: line 3 has the same " +
            "bar open time"), strict::toString);
        assertTrue(stored("D", Timeframe.M1).isEmpty());

        final Run lenient = importing(file, "--symbol", "D", "--timeframe", "1m", "--lenient").assertOk();
        assertTrue(lenient.out.contains("line 7: duplicate ts"), lenient::toString);
        assertEquals(bars, stored("D", Timeframe.M1));
    }

    @Test
    void strictRejectsAFileAtItsFirstBadLineWritesNothingFromItAndImportsTheOtherFiles()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 10);
        final List<Bar> bad = new ArrayList<>(bars);
        bad.set(6, new Bar(bars.get(6).ts(), 11, 10.5, 11, 11, 1, Double.NaN, -1)); // high below low, line 8
        bad.set(8, new Bar(bars.get(8).ts(), 11, 9, 11, 11, 1, Double.NaN, -1));    // line 10
        final Path badFile = Fixtures.write(tmp.resolve("trades.csv"), Fixtures.csv(bad));
        final Path good = Fixtures.write(tmp.resolve("good.csv"), Fixtures.csv(bars));

        final Run run = importing(badFile, good, "--symbol", "AAPL", "--timeframe", "1m", "--source", "s1")
            .assertFails(2);

        assertEquals("barstore: 1 of 2 files rejected; the first: trades.csv line 8: high 10.5 is below low 11 " +
            "(nothing was written from it; --lenient skips bad rows)", run.err.strip().replace(tmp + "/", ""));
        assertTrue(run.out.contains("trades.csv: REJECTED, nothing was written from it: line 8: high 10.5 is below " +
            "low 11"), run::toString);
        assertTrue(run.out.contains("good.csv: csv, AAPL 1m (source s1): 10 rows -> 10 bars: 10 appended"),
            run::toString);
        assertEquals(bars, stored("AAPL", Timeframe.M1, "s1"));
    }

    @Test
    void lenientSkipsBadRowsAndListsTheFirstTwentyThenACount()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 60);
        final StringBuilder csv = new StringBuilder(Fixtures.csv(bars));
        for (int i = 0; i < 25; i++)
        {
            csv.append("2024-01-03T00:").append(String.format("%02d", i)).append(":00Z,1,abc,1,1,1,,\n");
        }
        final Path file = Fixtures.write(tmp.resolve("bad.csv"), csv.toString());

        final Run run = importing(file, "--symbol", "L", "--timeframe", "1m", "--lenient").assertOk();

        assertEquals(bars, stored("L", Timeframe.M1));
        assertTrue(run.out.contains("85 rows -> 60 bars: 60 appended, 0 replaced, 0 upserted, 25 rows rejected"),
            run::toString);
        assertTrue(run.out.contains("  rows rejected (the first 20 of 25):\n    line 62: high \"abc\" is not a number " +
            "(column 3)\n"), run::toString);
        assertTrue(run.out.contains("    line 81: high \"abc\""), run::toString);
        assertFalse(run.out.contains("line 82:"), run::toString);
        assertTrue(run.out.contains("    and 5 more\n"), run::toString);
        assertTrue(run.lastLine().contains("85 rows read, 60 bars written"), run::toString);
        assertTrue(run.lastLine().contains("25 rows rejected"), run::toString);
    }

    @Test
    void aDryRunReadsAndChecksButWritesNothing()
    {
        final Path file = Fixtures.write(tmp.resolve("a.csv"), Fixtures.csv(Fixtures.minuteBars("2024-01-02T14:30:00Z", 5)));
        final Run run = importing(file, "--symbol", "A", "--timeframe", "1m", "--dry-run").assertOk();
        assertTrue(run.out.contains("5 rows -> 5 bars checked, nothing written (--dry-run)"), run::toString);
        assertFalse(Files.exists(data()), "a dry run does not even create the store");
    }

    @Test
    void stdinIsReadWhenTheFileIsADash()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 5);
        final InputStream stdin = System.in;
        try
        {
            System.setIn(new ByteArrayInputStream(Fixtures.csv(bars).getBytes(StandardCharsets.UTF_8)));
            final Run run = importing("-", "--symbol", "A", "--timeframe", "1m").assertOk();
            assertTrue(run.out.startsWith("stdin: csv, A 1m: 5 rows"), run::toString);
        }
        finally
        {
            System.setIn(stdin);
        }
        assertEquals(bars, stored("A", Timeframe.M1));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Vendor presets
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void polygonMinuteAggregatesOfManyTickersBecomeOneSeriesEachWithTheTimeframeFromThePath()
    {
        final Map<String, List<Bar>> bySymbol = new LinkedHashMap<>();
        bySymbol.put("AAPL", Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 20, 0));
        bySymbol.put("BRK.B", Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 15, 1));
        bySymbol.put("O:SPY240119C00470000", Fixtures.bars(nanos("2024-01-02T14:35:00Z"), MINUTE, 3, 2));
        final Path file = Fixtures.gzip(mkdirs(tmp.resolve("minute_aggs_v1/2024/01")).resolve("2024-01-02.csv.gz"),
            Fixtures.polygon(bySymbol));

        final Run run = importing(file, "--source", "polygon").assertOk();

        assertTrue(run.out.contains("polygon, 3 symbols 1m (source polygon): 38 rows -> 38 bars: 38 appended"),
            run::toString);
        bySymbol.forEach((symbol, bars) -> assertEquals(noVwap(bars), stored(symbol, Timeframe.M1, "polygon"), symbol));
    }

    @Test
    void polygonDayAggregatesAtNewYorkMidnightBecomeUtcMidnightAcrossTheMarchChange()
    {
        final Map<String, List<Bar>> bySymbol = new LinkedHashMap<>();
        final List<Bar> utcMidnights = Fixtures.bars(nanos("2024-03-07"), DAY, 5, 0); // Thu..Mon, 03-10 in between
        final List<Bar> nyMidnights = new ArrayList<>();
        for (final Bar b : utcMidnights)
        {
            final boolean summer = b.ts() >= nanos("2024-03-10T07:00:00Z");
            nyMidnights.add(b.withTs(b.ts() + (summer ? 4 : 5) * 3_600_000_000_000L));
        }
        bySymbol.put("SPY", nyMidnights);
        bySymbol.put("X:BTCUSD", utcMidnights); // crypto: already 00:00 UTC
        final Path file = Fixtures.write(mkdirs(tmp.resolve("day_aggs_v1/2024/03")).resolve("2024-03.csv"),
            Fixtures.polygon(bySymbol));

        importing(file).assertOk();

        assertEquals(noVwap(utcMidnights), stored("SPY", Timeframe.D1));
        assertEquals(noVwap(utcMidnights), stored("X:BTCUSD", Timeframe.D1));
    }

    @Test
    void symbolOnAMultiSymbolFileImportsOnlyThoseSymbols()
    {
        final Map<String, List<Bar>> bySymbol = new LinkedHashMap<>();
        bySymbol.put("AAPL", Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 4, 0));
        bySymbol.put("MSFT", Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 4, 1));
        bySymbol.put("NVDA", Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 4, 2));
        final Path file = Fixtures.write(tmp.resolve("aggs.csv"), Fixtures.polygon(bySymbol));

        final Run run = importing(file, "--timeframe", "1m", "--symbol", "NVDA,AAPL").assertOk();

        assertTrue(run.out.contains("4 rows of other symbols skipped"), run::toString);
        assertEquals(4, stored("AAPL", Timeframe.M1).size());
        assertEquals(4, stored("NVDA", Timeframe.M1).size());
        assertTrue(stored("MSFT", Timeframe.M1).isEmpty());
    }

    @Test
    void aPolygonFileWithoutATimeframeInItsNameAsksForOne()
    {
        final Path file = Fixtures.write(tmp.resolve("aggs.csv"),
            Fixtures.polygon(Map.of("A", Fixtures.minuteBars("2024-01-02T14:30:00Z", 2))));
        final Run run = importing(file).assertFails(2);
        assertTrue(run.err.contains("aggs.csv: give --timeframe: a polygon file does not say which (--timeframe 1m " +
            "for minute aggregates, 1d for day aggregates)"), run::toString);
    }

    @Test
    void alpacaMultiSymbolJsonKeepsVwapAndTradesAndMovesDailyBarsToTheirUtcDate()
    {
        final List<Bar> aapl = Fixtures.bars(nanos("2024-03-07"), DAY, 5, 0);
        final List<Bar> msft = Fixtures.bars(nanos("2024-03-07"), DAY, 5, 3);
        final Map<String, List<Bar>> stamped = new LinkedHashMap<>();
        stamped.put("AAPL", atNewYorkMidnight(aapl));
        stamped.put("MSFT", atNewYorkMidnight(msft));
        final Path file = Fixtures.write(tmp.resolve("bars.json"), Fixtures.alpaca(stamped));

        final Run run = importing(file, "--timeframe", "1Day", "--source", "alpaca").assertOk();

        assertTrue(run.out.contains("bars.json: alpaca, 2 symbols 1d (source alpaca): 10 rows -> 10 bars"),
            run::toString);
        assertEquals(aapl, stored("AAPL", Timeframe.D1, "alpaca"));
        assertEquals(msft, stored("MSFT", Timeframe.D1, "alpaca"));
    }

    @Test
    void alpacaSingleSymbolJsonTakesTheSymbolThatFollowsTheBars()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T14:30:00Z", 7);
        final Path file = Fixtures.gzip(tmp.resolve("page1.json.gz"), Fixtures.alpacaSingle("BTC/USD", bars));

        importing(file, "--timeframe", "1Min").assertOk();

        assertEquals(bars, stored("BTC/USD", Timeframe.M1));
    }

    @Test
    void alpacaJsonWithoutATimeframeAsksForOne()
    {
        final Path file = Fixtures.write(tmp.resolve("bars.json"),
            Fixtures.alpaca(Map.of("A", Fixtures.minuteBars("2024-01-02T14:30:00Z", 2))));
        final Run run = importing(file).assertFails(2);
        assertTrue(run.err.contains("bars.json: give --timeframe: a alpaca file does not say which"), run::toString);
    }

    @Test
    void binanceKlinesTakeSymbolAndTimeframeFromTheFileNameAndVwapFromTheQuoteVolume()
    {
        final List<Bar> bars = Fixtures.minuteBars("2024-01-02T00:00:00Z", 30);
        final Path csv = Fixtures.write(tmp.resolve("BTCUSDT-1m-2024-01-02.csv"),
            Fixtures.binance(bars.subList(0, 15), MINUTE, false, false));
        final Path zip = Fixtures.zip(tmp.resolve("BTCUSDT-1m-2024-01.zip"), "BTCUSDT-1m-2024-01.csv",
            Fixtures.binance(bars.subList(15, 30), MINUTE, true, true));

        final Run run = importing(csv, zip, "--source", "binance").assertOk();

        assertTrue(run.out.contains("BTCUSDT-1m-2024-01-02.csv: binance, BTCUSDT 1m (source binance): 15 rows"),
            run::toString);
        assertEquals(bars, stored("BTCUSDT", Timeframe.M1, "binance"));
    }

    @Test
    void yahooAndStooqDailyFilesAre1dAndIgnoreTheAdjustedClose()
    {
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02"), DAY, 10, 0);
        final Path yahoo = Fixtures.write(tmp.resolve("SPY.csv"), Fixtures.yahoo(bars.subList(0, 5)));
        final StringBuilder stooq = new StringBuilder("Date,Open,High,Low,Close,Volume\n");
        for (final Bar b : bars.subList(5, 10))
        {
            stooq.append(iso(b.ts()), 0, 10).append(',').append(b.open()).append(',').append(b.high()).append(',')
                .append(b.low()).append(',').append(b.close()).append(',').append(b.volume()).append('\n');
        }
        final Path stooqFile = Fixtures.write(tmp.resolve("spy_us_d.csv"), stooq.toString());

        final Run run = importing(yahoo, stooqFile, "--symbol", "SPY").assertOk();

        assertTrue(run.out.contains("SPY.csv: yahoo, SPY 1d: 5 rows"), run::toString);
        assertTrue(run.out.contains("spy_us_d.csv: yahoo, SPY 1d: 5 rows"), run::toString);
        final List<Bar> expected = new ArrayList<>();
        for (final Bar b : bars)
        {
            expected.add(new Bar(b.ts(), b.open(), b.high(), b.low(), b.close(), b.volume(), Double.NaN, -1));
        }
        assertEquals(expected, stored("SPY", Timeframe.D1));
    }

    @Test
    void tradesBecomeBarsMatchingOnesComputedByHand()
    {
        final String trades = """
            timestamp,price,size
            2024-01-02T14:30:00.100Z,10.00,100
            2024-01-02T14:30:20Z,10.50,200
            2024-01-02T14:30:30Z,9.50,100
            2024-01-02T14:30:59.999Z,10.20,100
            2024-01-02T14:32:05Z,11.00,50
            2024-01-02T14:32:01Z,10.90,150
            """;
        final Path file = Fixtures.write(tmp.resolve("trades.csv"), trades);

        final Run run = importing(file, "--symbol", "AAPL", "--timeframe", "1m").assertOk();

        assertTrue(run.out.contains("trades.csv: trades, AAPL 1m: 6 trades -> 2 bars: 2 appended"), run::toString);
        assertEquals(List.of(
            new Bar(nanos("2024-01-02T14:30:00Z"), 10.0, 10.5, 9.5, 10.2, 500, 5070.0 / 500, 4),
            new Bar(nanos("2024-01-02T14:32:00Z"), 10.9, 11.0, 10.9, 11.0, 200, (10.9 * 150 + 11.0 * 50) / 200, 2)),
            stored("AAPL", Timeframe.M1));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Files that are not what they should be
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aMissingFileExits3BeforeAnythingIsImported()
    {
        final Path good = Fixtures.write(tmp.resolve("a.csv"), Fixtures.csv(Fixtures.minuteBars("2024-01-02T14:30:00Z", 2)));
        final Run run = importing(good, tmp.resolve("absent.csv"), "--symbol", "A", "--timeframe", "1m")
            .assertFails(3);
        assertTrue(run.err.contains("no such file: ") && run.err.contains("absent.csv"), run::toString);
        assertFalse(Files.exists(data()));
    }

    @Test
    void anEmptyFileAndBinaryGarbageAreRejectedWithAClearMessage()
    {
        final Path empty = Fixtures.write(tmp.resolve("empty.csv"), "");
        final Run emptyRun = importing(empty, "--symbol", "A", "--timeframe", "1m").assertFails(2);
        assertEquals("barstore: empty.csv: is empty (nothing was written from it; --lenient skips bad rows)",
            emptyRun.err.strip().replace(tmp.toString() + "/", ""));

        final Path garbage = tmp.resolve("garbage.csv");
        final byte[] bytes = new byte[4096];
        new java.util.Random(42).nextBytes(bytes);
        bytes[0] = 'x';
        writeBytes(garbage, bytes);
        final Run garbageRun = importing(garbage, "--symbol", "A", "--timeframe", "1m", "--lenient").assertFails(2);
        assertTrue(garbageRun.err.contains("garbage.csv: is not text (binary data at byte "), garbageRun::toString);
    }

    @Test
    void badOptionsExit2WithOneLineNamingTheOption()
    {
        final Path file = Fixtures.write(tmp.resolve("a.csv"), "ts,open,high,low,close\n");
        assertTrue(importing(file, "--timeframe", "7m").assertFails(2).err.contains("'7m' is not a timeframe"));
        assertTrue(importing(file, "--tz", "Mars/Olympus").assertFails(2).err.contains("is not a time zone"));
        assertTrue(importing(file, "--format", "excel").assertFails(2).err.contains("'excel' is not a format"));
        assertTrue(importing(file, "--symbol", "A B").assertFails(2).err.contains("symbol has a character"));
        assertTrue(importing(file, "--strict", "--lenient").assertFails(2).err.contains("contradict"));
        assertTrue(importing(file, "--symbol", "A", "--timeframe", "1m", "--high-col", "9").assertFails(2).err
            .contains("--high-col 9: the file has 5 columns"));
        final Run noSymbol = importing(file, "--timeframe", "1m").assertFails(2);
        assertTrue(noSymbol.err.contains("a.csv: give --symbol: the file has no symbol column"), noSymbol::toString);
    }

    @Test
    void helpListsTheOptions()
    {
        final Run run = run("import", "--help");
        assertEquals(0, run.status, run::toString);
        for (final String option : List.of("--symbol", "--timeframe", "--source", "--format", "--ts-col", "--open-col",
            "--high-col", "--low-col", "--close-col", "--volume-col", "--vwap-col", "--trades-col", "--delimiter",
            "--no-header", "--ts-unit", "--tz", "--strict", "--lenient", "--data=DIR"))
        {
            assertTrue(run.out.contains(option), option + "\n" + run);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<Bar> atNewYorkMidnight(final List<Bar> utcMidnights)
    {
        final List<Bar> out = new ArrayList<>();
        for (final Bar b : utcMidnights)
        {
            final boolean summer = b.ts() >= nanos("2024-03-10T07:00:00Z");
            out.add(b.withTs(b.ts() + (summer ? 4 : 5) * 3_600_000_000_000L));
        }
        return out;
    }

    private static List<Bar> noVwap(final List<Bar> bars)
    {
        return bars.stream().map(b -> new Bar(b.ts(), b.open(), b.high(), b.low(), b.close(), b.volume(), Double.NaN,
            b.trades())).toList();
    }

    private static String iso(final long nanos)
    {
        return java.time.Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
    }

    private static Path mkdirs(final Path dir)
    {
        try
        {
            return Files.createDirectories(dir);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void writeBytes(final Path file, final byte[] bytes)
    {
        try
        {
            Files.write(file, bytes);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private record Run(int status, String out, String err)
    {
        Run assertOk()
        {
            assertEquals(0, status, this::toString);
            assertEquals("", err, this::toString);
            return this;
        }

        Run assertFails(final int expected)
        {
            assertEquals(expected, status, this::toString);
            assertEquals(1, err.lines().count(), () -> "one line on stderr:\n" + this);
            assertTrue(err.startsWith("barstore: "), this::toString);
            return this;
        }

        String lastLine()
        {
            final String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        /** appended, replaced, upserted of the summary line. */
        List<Long> counts()
        {
            final Matcher m = COUNTS.matcher(lastLine());
            assertTrue(m.find(), this::toString);
            return List.of(parse(m.group(1)), parse(m.group(2)), parse(m.group(3)));
        }

        private static long parse(final String n)
        {
            return Long.parseLong(n.replace(",", ""));
        }

        public String toString()
        {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

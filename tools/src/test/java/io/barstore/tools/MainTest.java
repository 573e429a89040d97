package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MainTest
{
    /** One demo run, shared: it writes a year of bars, so the tests that only look at it reuse it. */
    @TempDir
    static Path demoRoot;
    static Path demoData;
    static Run demo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void runTheDemoOnce()
    {
        demoData = demoRoot.resolve("nested/barstore-data");
        demo = run("demo", "--no-serve", "--data", demoData.toString());
    }

    @Test
    void demoCreatesTheDataDirectoryAndWritesAYearOfFiveSeries()
    {
        assertEquals(0, demo.status, demo::toString);
        assertEquals("", demo.err, "nothing on stderr");
        assertTrue(demo.out.contains("wrote "), demo::toString);
        assertTrue(demo.out.contains("bars/s"), demo::toString);
        assertTrue(demo.out.contains("maintain"), demo::toString);

        try (BarStore store = BarStore.open(StoreConfig.builder(demoData).maintenanceIntervalMillis(0).build()))
        {
            final List<SeriesKey> keys = Stores.sortedKeys(store);
            assertEquals(List.of("AAPL", "MSFT", "NVDA", "QQQ", "SPY"), keys.stream().map(SeriesKey::symbol).toList());
            for (final SeriesKey key : keys)
            {
                assertEquals(Timeframe.M5, key.timeframe());
                final SeriesStats s = store.stats(key);
                assertNotNull(s);
                // 365 days hold 260 or 261 weekdays of 78 bars.
                assertTrue(s.barCount() == 260 * 78 || s.barCount() == 261 * 78, key + ": " + s.barCount());
            }
        }
    }

    @Test
    void theRangeQueryOfTheDemoShowsTwelveBarsOfTheLastSession()
    {
        assertEquals(0, demo.status, demo::toString);
        final String[] lines = demo.out.split("\n");
        int header = -1;
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].startsWith("AAPL 5m: the last 12 bars of "))
            {
                header = i + 1;
                break;
            }
        }
        assertTrue(header > 0, demo::toString);
        assertTrue(lines[header].trim().startsWith("ts"), lines[header]);
        for (int i = 1; i <= 12; i++)
        {
            assertTrue(lines[header + i].trim().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z .*"), lines[header + i]);
        }
        assertTrue(lines[header + 13].isBlank(), "exactly 12 rows: " + lines[header + 13]);
    }

    @Test
    void demoOnADirectoryWithSeriesWritesNothingAndShowsItAgain()
    {
        final Run second = run("demo", "--no-serve", "--data", demoData.toString());
        assertEquals(0, second.status, second::toString);
        assertTrue(second.out.contains("nothing generated"), second::toString);
        assertFalse(second.out.contains("wrote "), second::toString);
        assertTrue(second.out.contains("AAPL 5m: the last 12 bars of "), second::toString);
    }

    @Test
    void statsListsEachSeriesAndTheTotals()
    {
        final Run stats = run("stats", "--data", demoData.toString());
        assertEquals(0, stats.status, stats::toString);
        for (final String symbol : List.of("AAPL", "MSFT", "NVDA", "SPY", "QQQ"))
        {
            assertTrue(stats.out.lines().anyMatch(l -> l.startsWith(symbol + " ") && l.contains(" 5m ") &&
                l.contains(" default ")), symbol + " in\n" + stats);
        }
        assertTrue(stats.out.contains("total: 5 series, "), stats::toString);
    }

    @Test
    void statsOnAnEmptyDirectoryReportsNoSeries()
    {
        final Run run = run("stats", "--data", tmp.toString());
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("total: 0 series, 0 bars"), run::toString);
    }

    @Test
    void statsOnAMissingDirectoryExits3WithOneLine()
    {
        final Run run = run("stats", "--data", tmp.resolve("absent").toString());
        assertEquals(3, run.status, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("absent"), run::toString);
        assertFalse(Files.exists(tmp.resolve("absent")), "stats creates nothing");
    }

    @Test
    void anUnknownOptionExits2WithAOneLineReason()
    {
        final Run run = run("stats", "--data", tmp.toString(), "--bogus");
        assertEquals(2, run.status, run::toString);
        assertEquals("", run.out);
        assertOneLine(run.err);
        assertTrue(run.err.startsWith("barstore: ") && run.err.contains("--bogus"), run::toString);
    }

    @Test
    void anUnknownCommandExitsNonZeroWithAOneLineReason()
    {
        final Run run = run("frobnicate");
        assertNotEquals(0, run.status, run::toString);
        assertOneLine(run.err);
        assertTrue(run.err.contains("frobnicate"), run::toString);
    }

    @Test
    void helpListsEveryCommandAndEachHasItsOwnHelp()
    {
        final Run run = run("--help");
        assertEquals(0, run.status, run::toString);
        final java.util.Set<String> commands = new picocli.CommandLine(new Main()).getSubcommands().keySet();
        assertTrue(commands.containsAll(List.of("demo", "stats", "serve", "generate", "symbols", "query", "export",
            "verify")), commands::toString);
        for (final String command : commands)
        {
            assertTrue(run.out.contains("  " + command + " "), command + " in\n" + run);
            final Run sub = run(command, "--help");
            assertEquals(0, sub.status, sub::toString);
            assertTrue(sub.out.startsWith("Usage: barstore " + command), sub::toString);
            assertTrue(sub.out.contains("--data=DIR"), sub::toString);
            assertEquals("", sub.err, sub::toString);
        }
    }

    @Test
    void versionNamesTheProjectVersion()
    {
        final Run run = run("--version");
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.startsWith("barstore 0."), run::toString);
    }

    @Test
    void noCommandPrintsTheUsageAndExits2()
    {
        final Run run = run();
        assertEquals(2, run.status, run::toString);
        assertTrue(run.err.contains("Usage: barstore"), run::toString);
    }

    @Test
    void aStoreFailureMapsItsCategoryToTheExitStatus()
    {
        assertEquals(2, Main.exitCode(new io.barstore.engine.BarStoreException(
            io.barstore.engine.BarStoreException.Category.BAD_INPUT, "x")));
        assertEquals(3, Main.exitCode(new io.barstore.engine.BarStoreException(
            io.barstore.engine.BarStoreException.Category.NOT_FOUND, "x")));
        assertEquals(1, Main.exitCode(new io.barstore.engine.BarStoreException(
            io.barstore.engine.BarStoreException.Category.CORRUPT, "x")));
        assertEquals(1, Main.exitCode(new IllegalStateException("x")));
        assertEquals("a; b", Main.oneLine("a\n  b\n"));
    }

    private static void assertOneLine(final String err)
    {
        assertFalse(err.isBlank(), "a reason on stderr");
        assertEquals(1, err.lines().count(), "one line:\n" + err);
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString().replace(System.lineSeparator(), "\n"),
            err.toString().replace(System.lineSeparator(), "\n"));
    }

    private record Run(int status, String out, String err)
    {
        public String toString()
        {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

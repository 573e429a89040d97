package io.barstore.tools;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.SeriesPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompactCommandTest
{
    private static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M5);
    private static final SeriesKey MSFT = SeriesKey.of("MSFT", Timeframe.M5);
    private static final int DAYS = 10;
    private static final int BARS_A_DAY = 78;
    private static final Pattern FILES = Pattern.compile("(?m)^files: ([\\d,]+) -> ([\\d,]+)$");
    private static final Pattern BYTES = Pattern.compile("(?m)^bytes: ([\\d,]+) \\(.*\\) -> ([\\d,]+) \\(.*\\).*$");

    @TempDir
    Path data;

    /** Ten weekdays of January 2024 for two series: a partition file a day each, none sealed yet. */
    @BeforeEach
    void writeTwoSeriesOfTenDays()
    {
        try (BarStore store = open())
        {
            write(store, AAPL, 0);
            write(store, MSFT, 50_000);
        }
    }

    @Test
    void compactAfterADeleteReducesFilesAndBytesAndKeepsEveryRemainingBar() throws IOException
    {
        final Run delete = run("delete", "MSFT", "--yes");
        assertEquals(0, delete.status, delete::toString);
        final long filesBefore = filesUnder(data.resolve(SeriesPaths.SERIES_DIR));

        final Run compact = run("compact");
        assertEquals(0, compact.status, compact::toString);
        assertEquals("", compact.err, compact::toString);
        final long[] files = beforeAfter(FILES, compact);
        final long[] bytes = beforeAfter(BYTES, compact);
        assertEquals(DAYS, files[0], "one partition a day before: " + compact);
        assertTrue(files[1] < files[0], compact::toString);
        assertTrue(bytes[1] < bytes[0], compact::toString);
        assertTrue(compact.out.contains("reclaimed"), compact::toString);
        assertTrue(compact.out.matches("(?s).*compacted in \\d+(\\.\\d+)? m?s\n.*"), compact::toString);
        assertTrue(filesUnder(data.resolve(SeriesPaths.SERIES_DIR)) < filesBefore, "fewer files on disk");

        try (BarStore store = open())
        {
            assertEquals(List.of(AAPL), store.seriesKeys());
            assertEquals(DAYS * BARS_A_DAY, count(store, AAPL), "compaction keeps every bar");
        }
    }

    @Test
    void compactRemovesTheDirectoryOfASeriesDeletedEntirelyByAnEarlierRun()
    {
        final Path msftDir = new SeriesPaths(data).directory(MSFT);
        assertTrue(Files.isDirectory(msftDir));
        assertEquals(0, run("delete", "MSFT", "--yes").status);
        assertTrue(Files.isDirectory(msftDir), "the directory stays until compaction");

        final Run compact = run("compact");
        assertEquals(0, compact.status, compact::toString);
        assertTrue(compact.out.contains("series directories removed: 1"), compact::toString);
        assertFalse(Files.exists(msftDir), "the deleted series' directory is gone");
    }

    @Test
    void compactAfterADeleteKeepsTheRemainingBarsOfATrimmedSeries()
    {
        assertEquals(0, run("delete", "AAPL", "--before", "2024-01-08").status);
        final Run compact = run("compact");
        assertEquals(0, compact.status, compact::toString);
        assertTrue(compact.out.contains("series directories removed: 0"), compact::toString);
        try (BarStore store = open())
        {
            assertEquals((DAYS - 4) * BARS_A_DAY, count(store, AAPL));
            assertEquals(DAYS * BARS_A_DAY, count(store, MSFT));
        }
    }

    @Test
    void compactingTwiceChangesNothingTheSecondTime()
    {
        assertEquals(0, run("compact").status);
        final Run second = run("compact");
        assertEquals(0, second.status, second::toString);
        final long[] files = beforeAfter(FILES, second);
        final long[] bytes = beforeAfter(BYTES, second);
        assertEquals(files[0], files[1], second::toString);
        assertEquals(bytes[0], bytes[1], second::toString);
        assertTrue(second.out.contains("series directories removed: 0"), second::toString);
    }

    @Test
    void compactOnAMissingDataDirectoryExits3AndCreatesNothing()
    {
        final Path absent = data.resolve("absent");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err), "compact", "--data", absent.toString());
        assertEquals(Main.EXIT_NOT_FOUND, status, err::toString);
        assertTrue(err.toString().contains("absent"), err::toString);
        assertFalse(Files.exists(absent));
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

    private static long[] beforeAfter(final Pattern pattern, final Run run)
    {
        final Matcher m = pattern.matcher(run.out);
        assertTrue(m.find(), () -> pattern + " in\n" + run);
        return new long[] {Long.parseLong(m.group(1).replace(",", "")), Long.parseLong(m.group(2).replace(",", ""))};
    }

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build());
    }

    /** Ten weekdays from 2024-01-02, 78 five-minute bars each. */
    private static void write(final BarStore store, final SeriesKey key, final int seed)
    {
        final BarBatch batch = new BarBatch(DAYS * BARS_A_DAY);
        int k = seed;
        long day = nanos("2024-01-02T14:30:00Z");
        for (int d = 0; d < DAYS; d++)
        {
            for (int i = 0; i < BARS_A_DAY; i++)
            {
                final double open = 100 + k++ * 0.01;
                batch.add(day + i * Timeframe.M5.nanos(), open, open + 1, open - 1, open + 0.5, 1_000 + k, open, k % 40);
            }
            final int weekday = (d + 2) % 5; // 2024-01-02 is a Tuesday: skip from Friday to Monday
            day += (weekday == 0 ? 3 : 1) * 86_400_000_000_000L;
        }
        store.write(key, batch);
    }

    private static long count(final BarStore store, final SeriesKey key)
    {
        final BarCursor cursor = store.newCursor();
        long n = 0;
        if (store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
        {
            while (cursor.next())
            {
                n++;
            }
        }
        cursor.release();
        return n;
    }

    private static long filesUnder(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static long nanos(final String instant)
    {
        final Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private record Run(int status, String out, String err)
    {
        public String toString()
        {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}

package io.barstore.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * With {@code maxMappings(64)} a store of 2,000 series (1,900 hourly, 100 of 5-minute bars, 30 days crossing a month
 * end: about 7,000 partition files) never has more than 64 partition files mapped (as /proc/self/map_files shows,
 * sampled every 2 ms and between operations), while it
 * is written day by day across all series, corrected in sealed days, sealed and consolidated by maintain(), read at
 * random, closed, reopened and read at random again; and every read returns exactly the bars written.
 * <p>
 * Rerun a failure with {@code -Dbarstore.test.seed=<seed>}; {@code -Dbarstore.test.mappings.series=N} sets the series.
 */
@Tag("slow")
class BoundedMappingsTest
{
    private static final int MAX_MAPPINGS = 64;
    private static final int SERIES = TestBars.intProp("barstore.test.mappings.series", 2000);
    private static final int DAYS = 30;
    private static final int READS = TestBars.intProp("barstore.test.mappings.reads", 10_000);
    private static final long FIRST_DAY = TestBars.day("2025-01-18");
    private static final long HOUR = 3_600_000_000_000L;

    @TempDir
    Path tmp;

    private long seed;
    private Random rnd;
    private Path data;
    private SeriesKey[] keys;
    private int[][] versions;
    private final StringBuilder laps = new StringBuilder();
    private long lapStart = System.nanoTime();

    @Test
    void neverMapsMoreThanMaxMappingsAndReadsBackEveryBar() throws Exception
    {
        seed = TestBars.seed();
        rnd = new Random(seed);
        data = tmp.resolve("data");
        keys = new SeriesKey[SERIES];
        versions = new int[SERIES][];
        for (int s = 0; s < SERIES; s++)
        {
            keys[s] = s % 20 == 0 ?
                SeriesKey.of(String.format("M%04d.X", s), Timeframe.M5) :
                SeriesKey.of(s % 7 == 0 ? String.format("C%04d/USD", s) : String.format("S%04d", s), Timeframe.H1);
            versions[s] = new int[DAYS * barsPerDay(s)];
        }
        final long began = System.nanoTime();
        final Sampler sampler = new Sampler(data);
        sampler.start();
        try
        {
            try (BarStore store = BarStore.open(config(0)))
            {
                write(store, sampler);
                sampler.check("after writing");
                lap("write");
                store.maintain(TestBars.day("2025-03-01")); // seals every partition, consolidates Jan and Feb
                sampler.check("after maintain");
                lap("maintain");
                randomReads(store, sampler, "before reopen");
                lap("reads");
                final StoreStats totals = store.totals();
                assertTrue(totals.peakMapped() <= MAX_MAPPINGS && totals.mappedNow() <= MAX_MAPPINGS,
                    "seed=" + seed + ": totals() " + totals);
                assertEquals(List.of(), store.verify(), "seed=" + seed + ": verify()");
                lap("verify");
            }
            lap("close");
            sampler.check("after close");
            assertEquals(List.of(), mappedBarFiles(data), "seed=" + seed + ": partitions still mapped after close");
            try (BarStore store = BarStore.open(config(50)))
            {
                lap("reopen");
                final StoreStats totals = store.totals();
                long bars = 0;
                for (int s = 0; s < SERIES; s++)
                {
                    bars += versions[s].length;
                }
                assertEquals(SERIES, totals.series(), "seed=" + seed + ": series after reopen; " + totals);
                assertEquals(bars, totals.bars(), "seed=" + seed + ": bars after reopen; " + totals);
                randomReads(store, sampler, "after reopen");
                lap("reads");
                final StoreStats after = store.totals();
                assertTrue(after.peakMapped() <= MAX_MAPPINGS && after.mappedNow() <= MAX_MAPPINGS,
                    "seed=" + seed + ": totals() after reopen " + after);
            }
            sampler.check("after second close");
            assertEquals(List.of(), mappedBarFiles(data), "seed=" + seed + ": partitions still mapped after close");
        }
        finally
        {
            sampler.halt();
        }
        System.out.printf("BoundedMappingsTest seed=%d: %d series, %d samples of the mappings, at most %d partition " +
                "files mapped and %d open at once, %d ms (%s)%n", seed, SERIES, sampler.samples, sampler.maxMapped,
            sampler.maxOpen, (System.nanoTime() - began) / 1_000_000, laps);
    }

    private void lap(final String what)
    {
        final long now = System.nanoTime();
        laps.append(laps.length() == 0 ? "" : ", ").append(what).append(' ').append((now - lapStart) / 1_000_000)
            .append(" ms");
        lapStart = now;
    }

    private StoreConfig config(final long maintenanceMillis)
    {
        return StoreConfig.builder(data)
            .maxMappings(MAX_MAPPINGS)
            .syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(maintenanceMillis)
            .minFreeBytes(0)
            .build();
    }

    /** Day by day across all series in a seeded order, with corrections of older bars; seals closed days weekly. */
    private void write(final BarStore store, final Sampler sampler)
    {
        final BarBatch batch = new BarBatch(16);
        final int[] order = new int[SERIES];
        for (int s = 0; s < SERIES; s++)
        {
            order[s] = s;
        }
        for (int d = 0; d < DAYS; d++)
        {
            shuffle(order);
            for (int i = 0; i < SERIES; i++)
            {
                final int s = order[i];
                batch.clear();
                for (int j = 0; j < barsPerDay(s); j++)
                {
                    final int k = d * barsPerDay(s) + j;
                    TestBars.addVersioned(batch, ts(s, k), version(s, k));
                }
                store.write(keys[s], batch);
                if (d > 0 && rnd.nextInt(40) == 0)
                {
                    // A vendor's late correction of an older bar, often in a day or month sealed already.
                    final int c = rnd.nextInt(SERIES);
                    final int k = rnd.nextInt(d * barsPerDay(c));
                    versions[c][k]++;
                    batch.clear();
                    TestBars.addVersioned(batch, ts(c, k), version(c, k));
                    store.write(keys[c], batch);
                }
                if ((i & 255) == 0)
                {
                    sampler.check("writing day " + d);
                }
            }
            if (d % 7 == 6)
            {
                store.maintain(FIRST_DAY + (d + 1) * TestBars.NANOS_PER_DAY);
                sampler.check("after maintain on day " + d);
            }
        }
    }

    private void randomReads(final BarStore store, final Sampler sampler, final String phase)
    {
        final UnsafeBuffer column = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer trades = new UnsafeBuffer(new byte[0]);
        final BarCursor cursor = store.newCursor();
        try
        {
            for (int r = 0; r < READS; r++)
            {
                final int s = rnd.nextInt(SERIES);
                final long[] ts = allTs(s);
                final int kind = rnd.nextInt(5);
                final String what;
                int lo = 0;
                int hi = ts.length;
                final boolean found;
                if (kind == 0)
                {
                    what = "range(all)";
                    found = store.range(keys[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor);
                }
                else if (kind == 1)
                {
                    final long span = ts[ts.length - 1] - ts[0] + 2 * HOUR;
                    final long a = ts[0] - HOUR + (long)(rnd.nextDouble() * span);
                    final long b = a + (long)(rnd.nextDouble() * span / 3);
                    what = "range[" + a + ", " + b + ")";
                    lo = lowerBound(ts, a);
                    hi = lowerBound(ts, b);
                    found = store.range(keys[s], a, b, cursor);
                }
                else if (kind == 2)
                {
                    what = "latest";
                    lo = ts.length - 1;
                    found = store.latest(keys[s], cursor);
                }
                else if (kind == 3)
                {
                    final int limit = 1 + rnd.nextInt(ts.length + 10);
                    what = "range(all, limit " + limit + ")";
                    lo = Math.max(0, ts.length - limit);
                    found = store.range(keys[s], Long.MIN_VALUE, Long.MAX_VALUE, limit, cursor);
                }
                else
                {
                    what = "range(all) by chunks";
                    found = store.range(keys[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor);
                }
                final String context = "seed=" + seed + " " + phase + ", read " + r + ": " + keys[s] + " " + what;
                assertTrue(found, context + ": series not found");
                if (kind == 4)
                {
                    int k = lo;
                    while (cursor.nextChunk())
                    {
                        final int rows = cursor.chunkRows();
                        column.wrap(cursor.chunkAddress(Column.TS), rows * 8);
                        trades.wrap(cursor.chunkAddress(Column.TRADES), rows * 8);
                        for (int i = 0; i < rows; i++, k++)
                        {
                            if (k >= hi)
                            {
                                fail(context + ": more bars than the " + (hi - lo) + " written");
                            }
                            final long t = column.getLong(i * 8, ByteOrder.LITTLE_ENDIAN);
                            final long v = trades.getLong(i * 8, ByteOrder.LITTLE_ENDIAN);
                            if (t != ts[k] || v != version(s, k))
                            {
                                fail(context + ": bar " + k + " has ts " + t + " version " + v + ", written ts " +
                                    ts[k] + " version " + version(s, k));
                            }
                        }
                    }
                    assertEquals(hi, k, context + ": bars read by chunks");
                }
                else
                {
                    int k = lo;
                    while (cursor.next())
                    {
                        if (k >= hi)
                        {
                            fail(context + ": more bars than the " + (hi - lo) + " written");
                        }
                        final String bad = TestBars.checkVersioned(cursor.ts(), cursor.open(), cursor.high(),
                            cursor.low(), cursor.close(), cursor.volume(), cursor.vwap(), cursor.trades());
                        if (cursor.ts() != ts[k] || cursor.trades() != version(s, k) || bad != null)
                        {
                            fail(context + ": bar " + k + " is " + TestBars.describe(cursor.ts(), cursor.open(),
                                cursor.high(), cursor.low(), cursor.close(), cursor.volume(), cursor.vwap(),
                                cursor.trades()) + ", written ts " + ts[k] + " version " + version(s, k) +
                                (bad == null ? "" : "; " + bad));
                        }
                        k++;
                    }
                    assertEquals(hi, k, context + ": bars read");
                }
                cursor.release();
                if ((r & 63) == 0)
                {
                    sampler.check(phase + ", read " + r);
                }
            }
        }
        finally
        {
            cursor.release();
        }
    }

    private static int barsPerDay(final int s)
    {
        return s % 20 == 0 ? 6 : 4;
    }

    /** Hourly series: 13:00 to 16:00 UTC; 5-minute series: 14:30 to 14:55. */
    private long ts(final int s, final int k)
    {
        final int perDay = barsPerDay(s);
        final long day = FIRST_DAY + (long)(k / perDay) * TestBars.NANOS_PER_DAY;
        return s % 20 == 0 ?
            day + 14 * HOUR + HOUR / 2 + (k % perDay) * Timeframe.M5.nanos() :
            day + 13 * HOUR + (k % perDay) * HOUR;
    }

    private long version(final int s, final int k)
    {
        return s * 1000L + versions[s][k];
    }

    private long[] allTs(final int s)
    {
        final long[] ts = new long[versions[s].length];
        for (int k = 0; k < ts.length; k++)
        {
            ts[k] = ts(s, k);
        }
        return ts;
    }

    private static int lowerBound(final long[] ts, final long key)
    {
        final int i = Arrays.binarySearch(ts, key);
        return i >= 0 ? i : -i - 1;
    }

    private void shuffle(final int[] a)
    {
        for (int i = a.length - 1; i > 0; i--)
        {
            final int j = rnd.nextInt(i + 1);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The mappings of partition files ({@code *.bar}) under {@code dataDir} this process holds now, one
     * {@code "start-end path"} per mapping, including files deleted since they were mapped.
     * <p>
     * Read from /proc/self/map_files, whose listing the kernel takes under one lock: an atomic snapshot. Reading
     * /proc/self/maps instead is not: it comes one page at a time with the lock dropped in between, so a mapping
     * removed behind the read position and another added ahead of it are both counted, over-counting under churn.
     * /proc/self/maps is the fallback where map_files cannot be read.
     */
    static List<String> mappedBarFiles(final Path dataDir)
    {
        final List<String> prefixes = prefixes(dataDir);
        final List<String> found = new ArrayList<>();
        final Path mapFiles = Path.of("/proc/self/map_files");
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(mapFiles))
        {
            listing.forEach(entries::add); // the snapshot; resolving the links below may race, never adding
        }
        catch (final IOException | SecurityException ex)
        {
            return mappedBarFilesFromMaps(prefixes);
        }
        for (final Path entry : entries)
        {
            final String path;
            try
            {
                path = Files.readSymbolicLink(entry).toString();
            }
            catch (final IOException ex)
            {
                continue; // unmapped since the listing
            }
            if (isBarFile(path, prefixes))
            {
                found.add(entry.getFileName() + " " + path);
            }
        }
        return found;
    }

    private static List<String> mappedBarFilesFromMaps(final List<String> prefixes)
    {
        final List<String> lines = new ArrayList<>();
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
            {
                final int slash = line.indexOf('/');
                if (slash >= 0 && isBarFile(line.substring(slash), prefixes))
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read /proc/self/maps", ex);
        }
        return lines;
    }

    private static boolean isBarFile(final String target, final List<String> prefixes)
    {
        final String path = target.endsWith(" (deleted)") ?
            target.substring(0, target.length() - " (deleted)".length()) : target;
        return path.endsWith(".bar") && startsWithAny(path, prefixes);
    }

    /** Open file descriptors of this process on partition files under {@code dataDir}. */
    static int openBarFiles(final Path dataDir)
    {
        final List<String> prefixes = prefixes(dataDir);
        int open = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds)
            {
                try
                {
                    if (isBarFile(Files.readSymbolicLink(fd).toString(), prefixes))
                    {
                        open++;
                    }
                }
                catch (final IOException ex)
                {
                    // closed while we looked
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list /proc/self/fd", ex);
        }
        return open;
    }

    private static List<String> prefixes(final Path dataDir)
    {
        final List<String> prefixes = new ArrayList<>();
        prefixes.add(dataDir.toAbsolutePath().normalize() + "/");
        try
        {
            prefixes.add(dataDir.toRealPath() + "/");
        }
        catch (final IOException ex)
        {
            // not created yet
        }
        return prefixes;
    }

    private static boolean startsWithAny(final String path, final List<String> prefixes)
    {
        for (final String prefix : prefixes)
        {
            if (path.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Lists this process's mappings every couple of milliseconds on its own thread (so it also sees the store's
     * background work), and on demand from the test thread; remembers the most partition files mapped and open at once.
     */
    private final class Sampler extends Thread
    {
        private final Path dir;
        private volatile boolean running = true;
        volatile int maxMapped;
        volatile int maxOpen;
        volatile int samples;
        private volatile String violation;
        private volatile String phase = "starting";

        Sampler(final Path dir)
        {
            super("proc-maps-sampler");
            setDaemon(true);
            this.dir = dir;
        }

        public void run()
        {
            int n = 0;
            while (running)
            {
                sample("background sample", n++ % 16 == 0);
                try
                {
                    Thread.sleep(2);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }

        private void sample(final String when, final boolean fds)
        {
            final List<String> mapped = mappedBarFiles(dir);
            samples++;
            if (mapped.size() > maxMapped)
            {
                maxMapped = mapped.size();
            }
            if (mapped.size() > MAX_MAPPINGS && violation == null)
            {
                final long deleted = mapped.stream().filter(l -> l.endsWith(" (deleted)")).count();
                final long files = mapped.stream().map(l -> l.substring(l.indexOf('/')).replace(" (deleted)", ""))
                    .distinct().count();
                violation = when + " (test thread: " + phase + "): " + mapped.size() +
                    " partition mappings in /proc/self/map_files (" + files + " distinct files, " + deleted +
                    " of deleted files), more than " + MAX_MAPPINGS + "; first lines:\n" +
                    String.join("\n", mapped.subList(0, 10));
            }
            if (fds)
            {
                final int open = openBarFiles(dir);
                if (open > maxOpen)
                {
                    maxOpen = open;
                }
                if (open > MAX_MAPPINGS && violation == null)
                {
                    violation = when + " (test thread: " + phase + "): " + open + " partition files open, more than " +
                    MAX_MAPPINGS;
                }
            }
        }

        /** Samples now and fails the test if any sample so far broke the bound. */
        void check(final String when)
        {
            phase = when;
            sample(when, true);
            if (violation != null)
            {
                fail("seed=" + seed + ": " + violation);
            }
        }

        void halt() throws InterruptedException
        {
            running = false;
            join(5_000);
        }
    }
}

package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.StoreStats;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The scale run of the engine issue: N symbols x D trading days of 1-minute bars (390 a day, 14:30-21:00 UTC),
 * written day by day across all symbols as a live feed would, months consolidated as they close; then random
 * single-symbol range reads. Reports ingest rate, bytes per bar, files on disk and peak mappings (from
 * /proc/self/maps).
 * <p>
 * {@code java @jvm.options -cp bench/target/benchmarks.jar io.barstore.bench.ScaleRun [symbols] [days] [dataDir]}
 */
public final class ScaleRun
{
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final int BARS_PER_DAY = 390;

    private ScaleRun()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int symbols = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        final int days = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        final Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("barstore-scale");
        final int maxMappings = Integer.getInteger("barstore.max.mappings", 4096);
        final SeriesKey[] keys = new SeriesKey[symbols];
        final double[] price = new double[symbols];
        final SplittableRandom random = new SplittableRandom(42);
        for (int s = 0; s < symbols; s++)
        {
            keys[s] = SeriesKey.of(String.format("S%04d", s), Timeframe.M1);
            price[s] = 20 + random.nextDouble() * 400;
        }
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        final WriteResult result = new WriteResult();
        int peakMaps = 0;
        long bars = 0;
        final long started = System.nanoTime();
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).maxMappings(maxMappings).build()))
        {
            LocalDate day = LocalDate.of(2024, 1, 2);
            int month = day.getMonthValue();
            for (int d = 0; d < days; d++)
            {
                while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)
                {
                    day = day.plusDays(1);
                }
                if (day.getMonthValue() != month)
                {
                    store.maintain(day.withDayOfMonth(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L);
                    month = day.getMonthValue();
                    peakMaps = Math.max(peakMaps, countMappings(dir));
                    System.out.printf("%s  %,d bars  %,.0f bars/s  mappings now %d%n", day, bars,
                        bars / ((System.nanoTime() - started) / 1e9), countMappings(dir));
                }
                final long open = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L +
                    (14 * 60 + 30) * MINUTE;
                writeSession(store, keys, price, random, open, batch, result);
                bars += (long)symbols * BARS_PER_DAY;
                if (d % 10 == 0)
                {
                    peakMaps = Math.max(peakMaps, countMappings(dir));
                }
                day = day.plusDays(1);
            }
            store.maintain(day.plusMonths(1).withDayOfMonth(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) *
                1_000_000_000L);
            final double ingestSeconds = (System.nanoTime() - started) / 1e9;
            final StoreStats totals = store.totals();
            peakMaps = Math.max(peakMaps, countMappings(dir));

            final int reads = 20_000;
            final long[] nanos = new long[reads];
            final BarCursor cursor = store.newCursor();
            final long first = LocalDate.of(2024, 1, 2).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
            final long span = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L - first;
            long checksum = 0;
            long rowsRead = 0;
            for (int i = 0; i < reads; i++)
            {
                final SeriesKey key = keys[random.nextInt(symbols)];
                final long start = first + Math.floorMod(random.nextLong(), span);
                final long t0 = System.nanoTime();
                store.range(key, start, start + 7L * 86_400_000_000_000L, cursor);
                while (cursor.next())
                {
                    checksum += cursor.ts() + (long)cursor.close();
                    rowsRead++;
                }
                nanos[i] = System.nanoTime() - t0;
            }
            cursor.release();
            Arrays.sort(nanos);
            peakMaps = Math.max(peakMaps, countMappings(dir));
            final long files;
            try (Stream<Path> all = Files.walk(dir))
            {
                files = all.filter(Files::isRegularFile).count();
            }
            System.out.printf("%nscale run: %,d symbols x %,d days of 1m bars (%d a day)%n", symbols, days, BARS_PER_DAY);
            System.out.printf("bars written        %,d in %.1f s = %,.0f bars/s (including month consolidation)%n",
                bars, ingestSeconds, bars / ingestSeconds);
            System.out.printf("bars stored         %,d%n", totals.bars());
            System.out.printf("bytes on disk       %,d = %.1f bytes/bar (partition files)%n", totals.bytesOnDisk(),
                (double)totals.bytesOnDisk() / totals.bars());
            System.out.printf("files on disk       %,d (partition files %,d)%n", files, totals.files());
            System.out.printf("peak mappings       %d in /proc/self/maps (bound %d, engine peak %d)%n", peakMaps,
                maxMappings, totals.peakMapped());
            System.out.printf("random 1-week reads %,d: p50 %.1f us, p99 %.1f us, max %.1f us (%,d bars, checksum %d)%n",
                reads, nanos[reads / 2] / 1e3, nanos[reads * 99 / 100] / 1e3, nanos[reads - 1] / 1e3, rowsRead,
                checksum);
        }
    }

    /** Partition files of this store mapped into this process right now. */
    /**
     * One session of {@value #BARS_PER_DAY} one-minute bars from {@code open} for every series: a random walk from
     * {@code price}, which it moves on. {@code batch} and {@code result} are reused.
     */
    static void writeSession(
        final BarStore store, final SeriesKey[] keys, final double[] price, final SplittableRandom random,
        final long open, final BarBatch batch, final WriteResult result)
    {
        for (int s = 0; s < keys.length; s++)
        {
            batch.clear();
            double p = price[s];
            for (int m = 0; m < BARS_PER_DAY; m++)
            {
                final double close = Math.max(1, p * (1 + (random.nextDouble() - 0.5) * 0.002));
                final double high = Math.max(p, close) * 1.0005;
                final double low = Math.min(p, close) * 0.9995;
                batch.add(open + m * MINUTE, p, high, low, close, 100 + random.nextInt(10_000),
                    (high + low + close) / 3, 1 + random.nextInt(200));
                p = close;
            }
            price[s] = p;
            store.write(keys[s], batch, result);
        }
    }

    static int countMappings(final Path dir) throws IOException
    {
        final String prefix = dir.toAbsolutePath().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return (int)lines.filter(l -> l.contains(prefix) && l.endsWith(".bar")).count();
        }
    }
}

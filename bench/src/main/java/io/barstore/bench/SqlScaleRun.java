package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.StoreStats;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;
import io.barstore.server.BarServer;
import io.barstore.server.ServerConfig;
import io.barstore.server.archive.ArchiveRun;
import io.barstore.server.archive.Archiver;
import io.barstore.server.sql.SqlFormat;
import io.barstore.server.sql.SqlLimits;
import io.barstore.server.sql.SqlSession;
import org.apache.arrow.memory.RootAllocator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The SQL figures of issue 6 at scale: N symbols x D trading days of 1-minute bars (390 a day, written as
 * {@link ScaleRun} writes them), sealed and
 * consolidated, archived to Parquet; then archive bytes per bar against the native format, a daily-OHLCV group-by over
 * every archived bar (in-process SQL session, median of 5), and a one-symbol, one-month read through SQL
 * ({@code POST /v1/sql}, JSON) against the bar API ({@code GET /v1/bars}, JSON and Arrow) on a real server (medians of
 * 40 random symbol-months). Not a JMH benchmark: each step takes seconds to minutes.
 * <p>
 * {@code java @jvm.options -Xmx4g -cp bench/target/benchmarks.jar io.barstore.bench.SqlScaleRun [symbols] [days] [dir]}
 */
public final class SqlScaleRun
{
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final int BARS_PER_DAY = 390;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private SqlScaleRun()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int symbols = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        final int days = args.length > 1 ? Integer.parseInt(args[1]) : 260;
        final Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("barstore-sql-scale");
        final SeriesKey[] keys = new SeriesKey[symbols];
        for (int s = 0; s < symbols; s++)
        {
            keys[s] = SeriesKey.of(String.format("S%04d", s), Timeframe.M1);
        }
        final LocalDate firstDay = LocalDate.of(2024, 1, 2);
        LocalDate lastDay;
        final StoreStats totals;
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).build()))
        {
            final long started = System.nanoTime();
            lastDay = write(store, keys, firstDay, days);
            System.out.printf("wrote %,d bars in %.1f s%n", (long)symbols * days * BARS_PER_DAY,
                (System.nanoTime() - started) / 1e9);
            store.maintain(epochNanos(lastDay.plusMonths(1).withDayOfMonth(1)));
            totals = store.totals();
            try (RootAllocator allocator = new RootAllocator(); Archiver archiver = new Archiver(store, allocator))
            {
                final ArchiveRun run = archiver.run(Long.MAX_VALUE);
                final long archiveBytes = directoryBytes(archiver.layout().root());
                System.out.printf("%narchive: %,d partitions, %,d bars in %.1f s (%,.0f bars/s)%n", run.written(),
                    run.rows(), run.nanos() / 1e9, run.rows() / (run.nanos() / 1e9));
                System.out.printf("native  %,d bytes = %.1f bytes/bar (%,d files)%n", totals.bytesOnDisk(),
                    (double)totals.bytesOnDisk() / totals.bars(), totals.files());
                System.out.printf("parquet %,d bytes = %.1f bytes/bar (zstd), %.2fx smaller%n", archiveBytes,
                    (double)archiveBytes / totals.bars(), (double)totals.bytesOnDisk() / archiveBytes);
            }
        }

        // Every core for the group-by: nothing else runs here (the server's default is half of them).
        final SqlLimits limits = new SqlLimits(600_000, 1_000_000, "4GB", Runtime.getRuntime().availableProcessors(),
            SqlLimits.WORKER_HEAP_MB_DEFAULT);
        try (RootAllocator allocator = new RootAllocator();
             BarStore view = BarStore.openReadOnly(dir);
             SqlSession session = new SqlSession(view, limits, allocator))
        {
            final String daily = "SELECT symbol, CAST(ts AS DATE) AS day, arg_min(open, ts) AS open, max(high) AS high, " +
                "min(low) AS low, arg_max(close, ts) AS close, sum(volume) AS volume FROM bars GROUP BY ALL";
            final long[] full = time(session, daily + " ORDER BY ALL", 5);
            final long[] count = time(session, "SELECT count(*), sum(close) FROM (" + daily + ")", 5);
            System.out.printf("%ndaily OHLCV per symbol over %,d archived 1m bars (%d threads, %s): %n", totals.bars(),
                limits.threads(), limits.memoryLimit());
            System.out.printf("  result as JSON (%,d rows)  median %,d ms  (runs %s)%n", (long)symbols * days,
                full[full.length / 2], Arrays.toString(full));
            System.out.printf("  aggregated to one row        median %,d ms  (runs %s)%n", count[count.length / 2],
                Arrays.toString(count));
        }

        try (BarStore store = BarStore.open(StoreConfig.builder(dir).maintenanceIntervalMillis(0).build());
             BarServer server = new BarServer(store, ServerConfig.builder().port(0)
                 .sqlLimits(SqlLimits.defaults().withMaxRows(1_000_000)).build()).start())
        {
            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final SplittableRandom random = new SplittableRandom(7);
            final int months = (int)java.time.temporal.ChronoUnit.MONTHS.between(firstDay.withDayOfMonth(1),
                lastDay.withDayOfMonth(1));
            final int n = 40;
            final long[] sql = new long[n];
            final long[] json = new long[n];
            final long[] arrow = new long[n];
            long rows = 0;
            for (int i = -5; i < n; i++) // 5 warm-up rounds
            {
                final String symbol = keys[random.nextInt(symbols)].symbol();
                final LocalDate month = firstDay.withDayOfMonth(1).plusMonths(random.nextInt(Math.max(1, months)));
                final String start = month.toString();
                final String end = month.plusMonths(1).toString();
                final long t0 = System.nanoTime();
                final String body = post(http, server.url() + "/v1/sql", "{\"sql\": \"SELECT ts, open, high, low, " +
                    "close, volume, vwap, trades FROM bars WHERE symbol = '" + symbol + "' AND timeframe = '1m' AND " +
                    "source = 'default' AND ts >= '" + start + "' AND ts < '" + end + "' ORDER BY ts\"}");
                final long t1 = System.nanoTime();
                get(http, server.url() + "/v1/bars/" + symbol + "?timeframe=1m&start=" + start + "&end=" + end);
                final long t2 = System.nanoTime();
                get(http, server.url() + "/v1/bars/" + symbol + "?timeframe=1m&start=" + start + "&end=" + end +
                    "&format=arrow");
                final long t3 = System.nanoTime();
                if (i >= 0)
                {
                    sql[i] = t1 - t0;
                    json[i] = t2 - t1;
                    arrow[i] = t3 - t2;
                    rows += body.split("\\],\\[", -1).length;
                }
            }
            Arrays.sort(sql);
            Arrays.sort(json);
            Arrays.sort(arrow);
            System.out.printf("%none symbol, one month of 1m bars (about %,d bars), %d random symbol-months, over HTTP:%n",
                rows / n, n);
            System.out.printf("  POST /v1/sql (JSON)          median %8.2f ms  p90 %8.2f ms%n", sql[n / 2] / 1e6,
                sql[n * 9 / 10] / 1e6);
            System.out.printf("  GET /v1/bars (JSON)          median %8.2f ms  p90 %8.2f ms  (%.0fx faster than SQL)%n",
                json[n / 2] / 1e6, json[n * 9 / 10] / 1e6, (double)sql[n / 2] / json[n / 2]);
            System.out.printf("  GET /v1/bars (Arrow)         median %8.2f ms  p90 %8.2f ms  (%.0fx faster than SQL)%n",
                arrow[n / 2] / 1e6, arrow[n * 9 / 10] / 1e6, (double)sql[n / 2] / arrow[n / 2]);
        }
    }

    private static LocalDate write(final BarStore store, final SeriesKey[] keys, final LocalDate first, final int days)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final double[] price = new double[keys.length];
        for (int s = 0; s < keys.length; s++)
        {
            price[s] = 20 + random.nextDouble() * 400;
        }
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        final WriteResult result = new WriteResult();
        LocalDate day = first;
        int month = day.getMonthValue();
        for (int d = 0; d < days; d++)
        {
            while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)
            {
                day = day.plusDays(1);
            }
            if (day.getMonthValue() != month)
            {
                store.maintain(epochNanos(day.withDayOfMonth(1)));
                month = day.getMonthValue();
            }
            ScaleRun.writeSession(store, keys, price, random, epochNanos(day) + (14 * 60 + 30) * MINUTE, batch,
                result);
            day = day.plusDays(1);
        }
        return day.minusDays(1);
    }

    private static long[] time(final SqlSession session, final String sql, final int runs)
    {
        session.execute(sql, SqlFormat.JSON); // warm-up: file metadata, page cache
        final long[] millis = new long[runs];
        for (int i = 0; i < runs; i++)
        {
            final long t0 = System.nanoTime();
            session.execute(sql, SqlFormat.JSON);
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static String post(final HttpClient http, final String url, final String body) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200)
        {
            throw new IllegalStateException("POST " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void get(final HttpClient http, final String url) throws Exception
    {
        final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200)
        {
            throw new IllegalStateException("GET " + url + ": " + response.statusCode());
        }
    }

    private static long epochNanos(final LocalDate day)
    {
        return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
    }

    private static long directoryBytes(final Path root) throws IOException
    {
        try (Stream<Path> files = Files.walk(root))
        {
            return files.filter(Files::isRegularFile).mapToLong(p ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
    }
}

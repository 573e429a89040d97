package io.barstore.server;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.javalin.Javalin;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The HTTP load run, not a test: {@code GET /v1/bars/AAPL?timeframe=5m} returning 2,340 bars (30 sessions of 78
 * five-minute bars, sealed and consolidated as a real store holds them) as JSON and as Arrow, measured with
 * {@link Wrk wrk} by 1 connection and by 32. wrk and the server share the machine's cores, so the figures are for
 * the pair. After each format, its ceiling for a body that size: the response's own bytes written from memory by a
 * bare Javalin in one direct buffer, no store and no formatting. A 10-second 32-connection wrk run per target warms
 * the JIT up; then rounds of 5-second runs go through the targets in turn ({@link #measure}). Prints a Markdown
 * table, the server threads' CPU and heap per request, and wrk's reports. Command in bench/RESULTS.md, "HTTP".
 * <p>
 * With {@code --serve} it only starts the server and the ceiling on that data, prints the URLs and the wrk commands,
 * and waits for Ctrl-C, so wrk (or anything else) can be pointed at them by hand.
 */
public final class LoadRun
{
    private static final int SESSIONS = 30;
    private static final int BARS_PER_SESSION = 78;
    private static final int BARS = SESSIONS * BARS_PER_SESSION;
    private static final int ROUNDS = 5;
    private static final int SECONDS = 5;
    private static final int WARMUP_SECONDS = 10;
    private static final String[] FORMATS = {"json", "arrow"};
    /** Counted down once main has stopped the server, closed the store and deleted the data: Ctrl-C waits for it. */
    private static final CountDownLatch CLEANED_UP = new CountDownLatch(1);

    private LoadRun()
    {
    }

    /** {@code LoadRun [--serve]}. */
    public static void main(final String[] args) throws Exception
    {
        final boolean serve = List.of(args).contains("--serve");
        final Path dir = Files.createTempDirectory("barstore-loadrun");
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).maintenanceIntervalMillis(0).build()))
        {
            final SeriesKey key = SeriesKey.of("AAPL", Timeframe.M5);
            writeSessions(store, key);
            store.maintain(Long.MAX_VALUE / 2); // seal the days and consolidate the month, as time would
            try (BarServer server = new BarServer(store, ServerConfig.builder().port(0).build()).start())
            {
                final List<String> urls = new ArrayList<>();
                for (final String format : FORMATS)
                {
                    urls.add(server.url() + "/v1/bars/AAPL?timeframe=5m&format=" + format);
                }
                final byte[][] bodies = checkResponses(urls);
                // The ceilings: each response's own bytes written from memory by a bare Javalin (no store, no
                // formatting, no export) in one direct buffer with its length, which Jetty sends in one socket
                // write: what this stack allows for a body of that size.
                final ByteBuffer[] direct = new ByteBuffer[bodies.length];
                for (int f = 0; f < bodies.length; f++)
                {
                    direct[f] = ByteBuffer.allocateDirect(bodies[f].length).put(bodies[f]).flip();
                }
                final Javalin ceiling = Javalin.create(cfg ->
                {
                    cfg.startup.showJavalinBanner = false;
                    cfg.routes.get("/{format}", ctx ->
                    {
                        final int f = List.of(FORMATS).indexOf(ctx.pathParam("format"));
                        ctx.contentType(f == 0 ? "application/json" : "application/vnd.apache.arrow.stream");
                        ctx.res().setContentLengthLong(direct[f].remaining()); // as the server sends it
                        ((HttpOutput)ctx.res().getOutputStream()).write(direct[f].duplicate());
                    });
                }).start("127.0.0.1", 0);
                try
                {
                    final List<String> labels = new ArrayList<>();
                    final List<String> targets = new ArrayList<>();
                    final long[] bytes = new long[2 * FORMATS.length];
                    for (int f = 0; f < FORMATS.length; f++)
                    {
                        labels.add(FORMATS[f]);
                        labels.add(FORMATS[f] + ": the same bytes from memory");
                        targets.add(urls.get(f));
                        targets.add("http://127.0.0.1:" + ceiling.port() + "/" + FORMATS[f]);
                        bytes[2 * f] = bodies[f].length;
                        bytes[2 * f + 1] = bodies[f].length;
                    }
                    if (serve)
                    {
                        serveUntilInterrupted(targets);
                    }
                    else
                    {
                        measure(labels, targets, bytes);
                    }
                }
                finally
                {
                    ceiling.stop();
                }
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            CLEANED_UP.countDown();
        }
    }

    /**
     * Per load (1 connection, then 32), {@link #ROUNDS} rounds, each running every target for {@link #SECONDS} in
     * turn, so that each format and its ceiling are measured side by side, seconds apart, however the machine drifts.
     * Rows give medians over the rounds, the slowest and fastest rate, and the median of each round's ratio to its
     * ceiling.
     */
    private static void measure(final List<String> labels, final List<String> urls, final long[] bytes)
        throws IOException, InterruptedException
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder reports = new StringBuilder();
        lines.add("| format | connections | req/s: median (slowest-fastest) | of the ceiling | p50 | p99 |" +
            " server CPU/req | server heap/req | bytes/response |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        for (int f = 0; f < urls.size(); f++)
        {
            System.out.println("warming up " + labels.get(f) + " for " + WARMUP_SECONDS + " s");
            Wrk.run(Wrk.command(2, 32, WARMUP_SECONDS, urls.get(f)));
        }
        for (final int[] load : new int[][] {{1, 1}, {2, 32}})
        {
            final Wrk.Result[][] results = new Wrk.Result[urls.size()][ROUNDS];
            final long[] cpuNanos = new long[urls.size()];
            final long[] allocated = new long[urls.size()];
            for (int r = 0; r < ROUNDS; r++)
            {
                for (int f = 0; f < urls.size(); f++)
                {
                    final List<String> command = Wrk.command(load[0], load[1], SECONDS, urls.get(f));
                    System.out.println("round " + (r + 1) + " of " + ROUNDS + ": " + String.join(" ", command));
                    final ServerThreads before = ServerThreads.quiet();
                    results[f][r] = Wrk.run(command);
                    final ServerThreads after = ServerThreads.quiet();
                    cpuNanos[f] += after.cpuNanosSince(before);
                    allocated[f] += after.allocatedSince(before);
                    reports.append("$ ").append(results[f][r].commandLine()).append('\n')
                        .append(results[f][r].output()).append('\n');
                }
            }
            for (int f = 0; f < urls.size(); f++)
            {
                // Every second target is a ceiling (see main), served by a bare Javalin that ServerThreads does not
                // see; the row before it is the format it is the ceiling of.
                final boolean ceiling = f % 2 == 1;
                final double[] rates = new double[ROUNDS];
                final double[] ofCeiling = new double[ROUNDS];
                final double[] p50 = new double[ROUNDS];
                final double[] p99 = new double[ROUNDS];
                long requests = 0;
                for (int r = 0; r < ROUNDS; r++)
                {
                    rates[r] = results[f][r].requestsPerSecond();
                    ofCeiling[r] = ceiling ? 1.0 : rates[r] / results[f + 1][r].requestsPerSecond();
                    p50[r] = results[f][r].p50Millis();
                    p99[r] = results[f][r].p99Millis();
                    requests += results[f][r].requests();
                }
                lines.add(String.format(Locale.ROOT,
                    "| %s | %d | %,.0f (%,.0f-%,.0f) | %s | %.2f ms | %.2f ms | %s | %s | %,d |",
                    labels.get(f), load[1], median(rates), min(rates), max(rates),
                    ceiling ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * median(ofCeiling)),
                    median(p50), median(p99),
                    ceiling ? "n/a" : String.format(Locale.ROOT, "%.0f us", cpuNanos[f] / 1e3 / requests),
                    ceiling ? "n/a" : String.format(Locale.ROOT, "%.1f KB", allocated[f] / 1e3 / requests),
                    bytes[f]));
            }
        }
        System.out.println();
        System.out.println(reports);
        lines.forEach(System.out::println);
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(final double[] values)
    {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(final double[] values)
    {
        return Arrays.stream(values).max().orElseThrow();
    }

    /** Fetches each URL once: a 200 holding every bar, or the run stops. Returns each response's body. */
    private static byte[][] checkResponses(final List<String> urls) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final byte[][] bodies = new byte[urls.size()][];
        for (int i = 0; i < urls.size(); i++)
        {
            final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(urls.get(i))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            final long bars = urls.get(i).endsWith("arrow") ? arrowRows(response.body()) :
                TestServer.JSON.readTree(response.body()).get("bars").size();
            if (response.statusCode() != 200 || bars != BARS)
            {
                throw new IllegalStateException(urls.get(i) + ": status " + response.statusCode() + ", " + bars +
                    " bars, expected 200 and " + BARS);
            }
            bodies[i] = response.body();
        }
        return bodies;
    }

    private static long arrowRows(final byte[] body)
    {
        long rows = 0;
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(body), allocator))
        {
            while (reader.loadNextBatch())
            {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return rows;
    }

    private static void serveUntilInterrupted(final List<String> urls)
    {
        final Thread main = Thread.currentThread();
        // Ctrl-C: let main leave its try blocks (server stopped, store closed, data deleted) before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            main.interrupt();
            try
            {
                CLEANED_UP.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }));
        for (final String url : urls)
        {
            System.out.println(url);
            System.out.println("  " + String.join(" ", Wrk.command(1, 1, SECONDS, url)));
            System.out.println("  " + String.join(" ", Wrk.command(2, 32, SECONDS, url)));
        }
        System.out.println("serving " + BARS + " bars until Ctrl-C");
        try
        {
            new CountDownLatch(1).await();
        }
        catch (final InterruptedException ex)
        {
            System.out.println("stopping");
        }
    }

    /** 30 weekday-like sessions of 78 five-minute bars, 14:30 to 21:00 UTC, on consecutive days. */
    private static void writeSessions(final BarStore store, final SeriesKey key)
    {
        final long firstDay = TestBars.DAY;
        final BarBatch batch = new BarBatch(BARS_PER_SESSION);
        int i = 0;
        for (int day = 0; day < SESSIONS; day++)
        {
            batch.clear();
            final long open = firstDay + day * Timeframe.D1.nanos() + 870 * Timeframe.M1.nanos(); // 14:30
            for (int b = 0; b < BARS_PER_SESSION; b++, i++)
            {
                batch.add(open + b * key.timeframe().nanos(), TestBars.open(i), TestBars.high(i), TestBars.low(i),
                    TestBars.close(i), TestBars.volume(i), TestBars.vwap(i), TestBars.trades(i));
            }
            store.write(key, batch);
        }
    }
}

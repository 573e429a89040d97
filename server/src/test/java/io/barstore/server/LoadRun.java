package io.barstore.server;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A small load run, not a test: requests per second and p50/p99 latency of {@code GET /v1/bars/{symbol}} for 2,340
 * bars (30 sessions of 5-minute bars, sealed and consolidated as a real store has them) as JSON and as Arrow, over
 * loopback with {@link HttpClient}, by 1 and by 4 concurrent clients. Client and server share the machine. Every loop
 * is bounded: a fixed number of requests per run. Command in bench/RESULTS.md, "HTTP".
 */
public final class LoadRun
{
    private static final int SESSIONS = 30;
    private static final int BARS_PER_SESSION = 78;
    private static final int WARMUP_REQUESTS = 3_000;
    private static final int MEASURED_REQUESTS = 8_000;
    private static final int[] CLIENTS = {1, 4};

    private LoadRun()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("barstore-loadrun");
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).maintenanceIntervalMillis(0).build()))
        {
            final SeriesKey key = SeriesKey.of("AAPL", Timeframe.M5);
            writeSessions(store, key);
            store.maintain(Long.MAX_VALUE / 2); // seal the days and consolidate the month, as time would
            try (BarServer server = new BarServer(store, ServerConfig.builder().port(0).build()).start())
            {
                final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                System.out.printf(Locale.ROOT, "| format | clients | requests | req/s | p50 | p99 | bytes/response |%n");
                System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|%n");
                for (final String format : new String[] {"json", "arrow"})
                {
                    final URI uri = URI.create(server.url() + "/v1/bars/AAPL?timeframe=5m&format=" + format);
                    final long bytes = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body().length;
                    for (final int clients : CLIENTS)
                    {
                        run(http, uri, clients, WARMUP_REQUESTS);
                        final long started = System.nanoTime();
                        final long[] latencies = run(http, uri, clients, MEASURED_REQUESTS);
                        final double seconds = (System.nanoTime() - started) / 1e9;
                        Arrays.sort(latencies);
                        System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.2f ms | %.2f ms | %,d |%n",
                            format, clients, latencies.length, latencies.length / seconds,
                            percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6, bytes);
                    }
                }
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code requests} GETs of {@code uri} shared by {@code clients} threads; each request's latency in ns. */
    private static long[] run(final HttpClient http, final URI uri, final int clients, final int requests)
        throws InterruptedException
    {
        final long[] latencies = new long[requests];
        final AtomicInteger next = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        final HttpRequest request = HttpRequest.newBuilder(uri).build();
        for (int c = 0; c < clients; c++)
        {
            final Thread thread = new Thread(() ->
            {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement())
                {
                    final long start = System.nanoTime();
                    try
                    {
                        final HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200)
                        {
                            throw new IllegalStateException("status " + response.statusCode());
                        }
                    }
                    catch (final IOException | InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    latencies[i] = System.nanoTime() - start;
                }
            }, "load-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return latencies;
    }

    private static double percentile(final long[] sorted, final double p)
    {
        return sorted[Math.min(sorted.length - 1, (int)Math.ceil(p * sorted.length) - 1)];
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

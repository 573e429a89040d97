package io.barstore.server.metrics;

import io.barstore.engine.BarStore;
import io.barstore.engine.StoreStats;
import io.barstore.server.format.BarFormat;
import io.barstore.server.format.SealedJsonCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics, in Prometheus text format at {@code GET /metrics} (Micrometer; Javalin 7 has no plugin, so a
 * route serves {@link #scrape()}):
 * <ul>
 *   <li>{@code http_server_requests_seconds}: a latency histogram per method, route template and status;</li>
 *   <li>{@code barstore_bars_served_total} and {@code barstore_bars_ingested_total} per format;</li>
 *   <li>{@code barstore_store_*}: series, bars, bytes and files of the store, and the files mapped now;</li>
 *   <li>{@code barstore_json_cache_*}: the sealed partitions' JSON text held, and blocks served and rendered;</li>
 *   <li>the JVM's: memory, GC, threads, classes, CPU, uptime.</li>
 * </ul>
 * The store totals walk every series, so they are taken once per scrape rather than once per gauge.
 */
public final class ServerMetrics implements AutoCloseable
{
    /** The route tag of a request that matched no route, so unknown paths cannot grow the tag set. */
    public static final String UNMATCHED_ROUTE = "unmatched";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final BarStore store;
    private final Map<BarFormat, Counter> served = new EnumMap<>(BarFormat.class);
    private final Map<BarFormat, Counter> ingested = new EnumMap<>(BarFormat.class);
    /** The request timers, by method, route template and status: a bounded set (routes are templates). */
    private final ConcurrentMap<RequestKey, Timer> timers = new ConcurrentHashMap<>();
    private volatile StoreStats totals;

    /** What a request timer is kept by. */
    private record RequestKey(String method, String route, int status)
    {
    }

    public ServerMetrics(final BarStore store, final SealedJsonCache jsonCache)
    {
        this.store = store;
        this.totals = store.totals();
        for (final BarFormat format : BarFormat.values())
        {
            final String tag = format.parameterValue();
            served.put(format, Counter.builder("barstore.bars.served").description("Bars sent in responses")
                .tag("format", tag).register(registry));
            ingested.put(format, Counter.builder("barstore.bars.ingested").description("Bars written by POST requests")
                .tag("format", tag).register(registry));
        }
        storeGauge("barstore.store.series", "Series in the store", null, StoreStats::series);
        storeGauge("barstore.store.bars", "Bars in the store", null, StoreStats::bars);
        storeGauge("barstore.store.size", "Bytes of the store's partition files", "bytes", StoreStats::bytesOnDisk);
        storeGauge("barstore.store.files", "Partition files of the store", null, StoreStats::files);
        storeGauge("barstore.store.mapped.files", "Partition files mapped now", null, StoreStats::mappedNow);
        Gauge.builder("barstore.json.cache.size", jsonCache, SealedJsonCache::bytes)
            .description("Bytes of sealed partitions' JSON text held").baseUnit("bytes").register(registry);
        FunctionCounter.builder("barstore.json.cache.blocks.served", jsonCache, SealedJsonCache::blocksServed)
            .description("Blocks of sealed partitions' JSON text asked for, held or not").register(registry);
        FunctionCounter.builder("barstore.json.cache.blocks.rendered", jsonCache, SealedJsonCache::blocksRendered)
            .description("Blocks of sealed partitions' JSON text rendered because they were not held")
            .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Records one finished request under its route template ({@link #UNMATCHED_ROUTE} when none matched). */
    public void request(final String method, final String route, final int status, final long nanos)
    {
        final RequestKey key = new RequestKey(method, route, status);
        Timer timer = timers.get(key);
        if (timer == null)
        {
            timer = timers.computeIfAbsent(key, this::newTimer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void barsServed(final BarFormat format, final long bars)
    {
        served.get(format).increment(bars);
    }

    public void barsIngested(final BarFormat format, final long bars)
    {
        ingested.get(format).increment(bars);
    }

    /** Every metric in Prometheus text format, the store totals taken now. */
    public String scrape()
    {
        totals = store.totals();
        return registry.scrape();
    }

    /** The {@code Content-Type} of {@link #scrape()}. */
    public static String contentType()
    {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    public void close()
    {
        gcMetrics.close();
        registry.close();
    }

    /** Micrometer's builder, tags and histogram settings cost more than the request's own work: once per key. */
    private Timer newTimer(final RequestKey key)
    {
        return Timer.builder("http.server.requests")
            .description("HTTP requests by method, route template and status")
            .tag("method", key.method())
            .tag("route", key.route())
            .tag("status", Integer.toString(key.status()))
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    }

    private void storeGauge(
        final String name, final String description, final String unit, final ToDoubleFunction<StoreStats> value)
    {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.totals)).description(description).baseUnit(unit)
            .register(registry);
    }
}

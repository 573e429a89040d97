package io.barstore.bench;

import io.barstore.engine.Bar;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The newest bar of one of 100 symbols (5-minute session bars), round-robin, through {@link BarStore#latest} over a
 * reused cursor, reading all eight values. {@code partition=live}: June's day partitions are still writable, so the
 * newest bar comes through the cursor's seqlock copy (the real-time case); {@code sealed}: maintenance has run after
 * the last day. History as in {@link BenchSupport#writeSessionHistory}: closed months consolidated as it goes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LatestBenchmark
{
    static final int SYMBOLS = 100;
    private static final long LAST_DAY = BenchSupport.day("2024-06-14");

    @Param({"live", "sealed"})
    public String partition;

    /**
     * Days of history per symbol: 5 (June 10-14: five day partitions), or 250 (eight consolidated months, then June's
     * fourteen days). Longer histories work too ({@code -p days=1000}) but take minutes to set up.
     */
    @Param({"5", "250"})
    public int days;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private SeriesKey[] keys;
    private int next;
    private final Bar bar = new Bar();

    @Setup(Level.Trial)
    public void setUp()
    {
        if (!"live".equals(partition) && !"sealed".equals(partition))
        {
            throw new IllegalArgumentException("partition must be live or sealed: " + partition);
        }
        tempDir = BenchSupport.createTempDir("latest");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        keys = new SeriesKey[SYMBOLS];
        for (int s = 0; s < SYMBOLS; s++)
        {
            keys[s] = SeriesKey.of("SYM" + s, Timeframe.M5);
        }
        final long firstDay = LAST_DAY - (days - 1) * BenchSupport.DAY_NANOS;
        final long lastTs = BenchSupport.writeSessionHistory(store, keys, firstDay, days);
        if ("sealed".equals(partition))
        {
            store.maintain(LAST_DAY + BenchSupport.DAY_NANOS + TimeUnit.HOURS.toNanos(1));
        }
        cursor = store.newCursor();
        for (final SeriesKey key : keys)
        {
            if (!store.latest(key, cursor) || !cursor.next() || cursor.ts() != lastTs || cursor.next())
            {
                throw new IllegalStateException(key + ": latest is not the one bar at " + lastTs);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (cursor != null)
        {
            cursor.release();
        }
        BenchSupport.closeQuietly(store);
        BenchSupport.deleteRecursively(tempDir);
    }

    @Benchmark
    public double latest()
    {
        final SeriesKey key = keys[next];
        next = next == SYMBOLS - 1 ? 0 : next + 1;
        final BarCursor c = cursor;
        if (!store.latest(key, c) || !c.next())
        {
            throw new IllegalStateException("no latest bar for " + key);
        }
        return (c.ts() ^ c.trades()) + c.open() + c.high() + c.low() + c.close() + c.volume() + c.vwap();
    }

    /** The newest bar through {@link BarStore#latest(SeriesKey, Bar)}: the per-series copy, no partition touched. */
    @Benchmark
    public double latestBar()
    {
        final SeriesKey key = keys[next];
        next = next == SYMBOLS - 1 ? 0 : next + 1;
        final Bar b = bar;
        if (!store.latest(key, b))
        {
            throw new IllegalStateException("no latest bar for " + key);
        }
        return (b.ts() ^ b.trades()) + b.open() + b.high() + b.low() + b.close() + b.volume() + b.vwap();
    }
}

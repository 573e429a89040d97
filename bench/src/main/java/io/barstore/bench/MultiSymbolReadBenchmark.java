package io.barstore.bench;

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
 * The read behind {@code GET /v1/bars?symbols=...}: the same 30 days (2,340 five-minute bars) of {@code symbols}
 * symbols in one operation, one reused cursor, every value of every bar read. The store is laid out as in
 * {@link RangeReadBenchmark} (consolidated months, then sealed June days).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MultiSymbolReadBenchmark
{
    static final int BARS_PER_SYMBOL = 2_340;
    private static final long LAST_DAY = BenchSupport.day("2024-06-14");

    @Param({"10", "100"})
    public int symbols;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private SeriesKey[] keys;
    private long start;
    private long end;
    private final BarSums sums = new BarSums();

    @Setup(Level.Trial)
    public void setUp()
    {
        tempDir = BenchSupport.createTempDir("multi");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        final int days = BARS_PER_SYMBOL / BenchSupport.SESSION_BARS_5M + 30;
        final long firstDay = LAST_DAY - (days - 1) * BenchSupport.DAY_NANOS;
        keys = new SeriesKey[symbols];
        for (int s = 0; s < symbols; s++)
        {
            keys[s] = SeriesKey.of("SYM" + s, Timeframe.M5);
        }
        final long lastTs = BenchSupport.writeSessionHistory(store, keys, firstDay, days);
        store.maintain(LAST_DAY + BenchSupport.DAY_NANOS + TimeUnit.HOURS.toNanos(1));
        start = BenchSupport.sessionBarTs(firstDay, days * BenchSupport.SESSION_BARS_5M - BARS_PER_SYMBOL);
        end = lastTs + 1;
        cursor = store.newCursor();
        final double sum = readAll();
        if (!(sum > 0))
        {
            throw new IllegalStateException("read nothing");
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

    /** Returns a checksum of every value so nothing is dead code. */
    @Benchmark
    public double read()
    {
        return readAll();
    }

    private double readAll()
    {
        final BarCursor c = cursor;
        sums.clear();
        for (final SeriesKey key : keys)
        {
            if (!store.range(key, start, end, c))
            {
                throw new IllegalStateException("no series " + key);
            }
            final long n = sums.addAll(c);
            if (n != BARS_PER_SYMBOL)
            {
                throw new IllegalStateException(key + ": read " + n + " bars, expected " + BARS_PER_SYMBOL);
            }
        }
        return sums.checksum();
    }
}

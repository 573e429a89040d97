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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A range read of the newest {@code bars} bars of one of ten symbols, round-robin, through a reused
 * {@link BarCursor}, reading every value of every bar.
 * <p>
 * Up to 100,000 bars they are 5-minute bars (2,340 = 30 days of 78 regular-session bars), with a history ending on
 * Friday 2024-06-14 that starts at least 30 days before the window; the store is maintained as of the day after, so
 * May and earlier are consolidated month files and June's days are sealed day partitions: a 30-day read crosses one
 * month file (May) and fourteen day files (June 1-14), as a read of recent data does in production. Above that
 * ({@code bars=10000000}) one symbol holds 1-second bars around the clock (116 days, four month segments), since no
 * 5-minute history is that long.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RangeReadBenchmark
{
    static final int SYMBOLS = 10;
    private static final long LAST_DAY = BenchSupport.day("2024-06-14");

    @Param({"10", "2340", "100000", "10000000"})
    public int bars;

    /** Above this many bars the benchmark switches to one symbol of 1-second bars. */
    static final int LARGEST_SESSION_READ = 100_000;
    private static final long LAST_DAY_END = LAST_DAY + BenchSupport.DAY_NANOS;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private SeriesKey[] keys;
    private long start;
    private long end;
    private int next;
    private final BarSums sums = new BarSums();

    @Setup(Level.Trial)
    public void setUp()
    {
        tempDir = BenchSupport.createTempDir("range");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        if (bars > LARGEST_SESSION_READ)
        {
            keys = new SeriesKey[] {SeriesKey.of("SYM0", Timeframe.S1)};
            end = LAST_DAY_END;
            start = end - bars * Timeframe.S1.nanos();
            BenchSupport.writeContinuous(store, keys[0], start, bars);
            store.maintain(LAST_DAY_END + TimeUnit.HOURS.toNanos(1));
        }
        else
        {
            final int days = (bars + BenchSupport.SESSION_BARS_5M - 1) / BenchSupport.SESSION_BARS_5M + 30;
            final int total = days * BenchSupport.SESSION_BARS_5M;
            final long firstDay = LAST_DAY - (days - 1) * BenchSupport.DAY_NANOS;
            keys = new SeriesKey[SYMBOLS];
            for (int s = 0; s < SYMBOLS; s++)
            {
                keys[s] = SeriesKey.of("SYM" + s, Timeframe.M5);
            }
            final long lastTs = BenchSupport.writeSessionHistory(store, keys, firstDay, days);
            store.maintain(LAST_DAY_END + TimeUnit.HOURS.toNanos(1));
            start = BenchSupport.sessionBarTs(firstDay, total - bars);
            end = lastTs + 1;
        }
        cursor = store.newCursor();
        for (final SeriesKey key : keys)
        {
            final long n = readAll(key);
            if (n != bars)
            {
                throw new IllegalStateException(key + ": read " + n + " bars, expected " + bars);
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
    public void range(final Blackhole bh)
    {
        final SeriesKey key = keys[next];
        next = next == keys.length - 1 ? 0 : next + 1;
        bh.consume(readAll(key));
        bh.consume(sums.checksum());
    }

    /** Reads every value of every bar of the range into {@link #sums}; returns the bar count. */
    private long readAll(final SeriesKey key)
    {
        final BarCursor c = cursor;
        if (!store.range(key, start, end, c))
        {
            throw new IllegalStateException("no series " + key);
        }
        return sums.clear().addAll(c);
    }
}

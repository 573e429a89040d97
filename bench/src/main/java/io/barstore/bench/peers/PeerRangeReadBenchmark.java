package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A range read of 2,340 bars (six trading days of 1m bars) of one symbol from the 10 M-bar fixture of each system
 * ({@link PeerFixture}): every value of every bar summed ({@link BarSums}) and the sums handed to the Blackhole.
 * Symbol and start day are drawn per op from one seeded sequence, the same for every system; SQLite and DuckDB run a
 * prepared {@code SELECT ... WHERE symbol = ? AND ts >= ? AND ts < ? ORDER BY ts}, QuestDB the same query compiled
 * once with bind variables, barstore {@code range} and its cursor loop. The fixtures are warm in the page cache after
 * the first iterations, as a cache that is read is. Five warm-up seconds: QuestDB's read path needs a few thousand
 * queries before the JIT has compiled it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "-Xmx4g")
public class PeerRangeReadBenchmark
{
    static final int DAYS = 6;
    static final int BARS = DAYS * PeerDataset.BARS_PER_DAY;
    /** Reads cycle through this many (symbol, start day) pairs; a power of two. */
    private static final int WINDOWS = 4096;
    private static final long SEED = 42;
    /** Windows checked against the dataset's own sums before measuring. */
    private static final int CHECKED = 20;

    @Param({"barstore", "sqlite", "duckdb", "questdb", "questdb_indexed"})
    public String system;

    private final PeerDataset data = PeerDataset.STANDARD;
    private final int[] symbols = new int[WINDOWS];
    private final long[] starts = new long[WINDOWS];
    private final long[] ends = new long[WINDOWS];
    private final BarSums sums = new BarSums();
    private BarPeer peer;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < WINDOWS; i++)
        {
            final int day = random.nextInt(data.fullDays() - DAYS + 1);
            symbols[i] = random.nextInt(data.symbols());
            starts[i] = data.midnight(day);
            ends[i] = data.midnight(day + DAYS);
        }
        peer = PeerFixture.open(PeerSystem.of(system), data);
        for (int i = 0; i < CHECKED; i++)
        {
            peer.range(symbols[i], starts[i], ends[i], sums);
            final BarSums expected = data.expectedRange(symbols[i], starts[i], ends[i]);
            if (expected.count() != BARS || !sums.matches(expected, 1e-12))
            {
                throw new IllegalStateException(system + " read " + sums + " from " + data.symbol(symbols[i]) +
                    " [" + starts[i] + ", " + ends[i] + "), expected " + expected);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        if (peer != null)
        {
            peer.close();
        }
    }

    @Benchmark
    public void range(final Blackhole bh) throws Exception
    {
        final int i = next;
        next = (i + 1) & (WINDOWS - 1);
        peer.range(symbols[i], starts[i], ends[i], sums);
        if (sums.count() != BARS)
        {
            throw new IllegalStateException(system + " read " + sums.count() + " bars, expected " + BARS);
        }
        bh.consume(sums.checksum());
    }
}

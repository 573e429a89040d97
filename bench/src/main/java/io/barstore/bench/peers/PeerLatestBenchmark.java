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

import java.util.concurrent.TimeUnit;

/**
 * The newest bar of each of the 100 symbols, per op, from the 10 M-bar fixture of each system ({@link PeerFixture}),
 * every value summed into the Blackhole. Each system asks as its users would, in the fastest form measured: barstore
 * {@code latest(key, cursor)} per symbol, SQLite a prepared {@code ORDER BY ts DESC LIMIT 1} per symbol, DuckDB one
 * query joining the table to each symbol's {@code max(ts)}, QuestDB one compiled {@code LATEST ON ts PARTITION BY
 * symbol} (see the peers for the forms that were slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "-Xmx4g")
public class PeerLatestBenchmark
{
    @Param({"barstore", "sqlite", "duckdb", "questdb", "questdb_indexed"})
    public String system;

    private final PeerDataset data = PeerDataset.STANDARD;
    private final BarSums sums = new BarSums();
    private BarPeer peer;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        peer = PeerFixture.open(PeerSystem.of(system), data);
        peer.latest(sums);
        final BarSums expected = data.expectedLatest();
        // Peers that aggregate in another order than symbol order may round the double sums differently.
        if (!sums.matches(expected, 1e-12))
        {
            throw new IllegalStateException(system + " latest bars sum to " + sums + ", expected " + expected);
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
    public void latest(final Blackhole bh) throws Exception
    {
        peer.latest(sums);
        if (sums.count() != data.symbols())
        {
            throw new IllegalStateException(system + " returned " + sums.count() + " latest bars");
        }
        bh.consume(sums.checksum());
    }
}

package io.barstore.bench.peers;

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

import java.util.concurrent.TimeUnit;

/**
 * Sum of {@code close} over all 10 M bars of each system's fixture ({@link PeerFixture}), in ms per full scan
 * (values/s = 1e7 / seconds): barstore over each series' column chunks ({@code nextChunk}, {@code chunkAddress},
 * one consolidated file per symbol and month), the databases {@code SELECT sum(close) FROM bars}, and the plain
 * memory scan of the same 10 M doubles in one off-heap block ({@code memory}) as the reference. DuckDB runs the query
 * on both cores (its default); barstore, QuestDB (no worker pool when embedded), SQLite and the reference on one.
 * {@code questdb_indexed} is left out: the scan does not touch the index ({@code -p system=questdb_indexed} runs it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "-Xmx4g")
public class PeerScanBenchmark
{
    @Param({"barstore", "sqlite", "duckdb", "questdb", "memory"})
    public String system;

    private final PeerDataset data = PeerDataset.STANDARD;
    private BarPeer peer;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        peer = PeerFixture.open(PeerSystem.of(system), data);
        final double expected = data.expectedCloseSum();
        final double sum = peer.closeSum();
        // Each system adds in its own order (chunks, threads, SIMD lanes), so only the last bits may differ.
        if (Math.abs(sum - expected) > 1e-9 * Math.abs(expected))
        {
            throw new IllegalStateException(system + " sums close to " + sum + ", expected " + expected);
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
    public double closeSum() throws Exception
    {
        return peer.closeSum();
    }
}

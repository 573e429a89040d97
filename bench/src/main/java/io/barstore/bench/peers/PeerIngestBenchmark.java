package io.barstore.bench.peers;

import org.agrona.IoUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Bulk ingest of the 10 M bars of {@link PeerDataset#STANDARD} into an empty database, time-major (day by day, symbol
 * by symbol, 390 bars each), each system committing as its users do: barstore one {@code write} per symbol-day,
 * SQLite one transaction per day, DuckDB an appender flush per day, QuestDB a commit per day; the Chronicle raw append
 * and the memory copy of the same 64 bytes a bar are the physical references. See each peer for its setup.
 * <p>
 * One invocation is the whole ingest; the score is ns per bar (bars/s = 1e9 / score). The database is created before
 * and counted after the timed part (it must hold every bar). Each iteration writes a fresh directory and the page
 * cache's dirty pages are synced before it, so one system's write-back does not land in the next one's time; the
 * directories are deleted when the trial ends (mass deletes slow later file creation on ext4, which would charge the
 * next iteration). Needs up to about 15 GB of free disk in {@code java.io.tmpdir} for barstore's four iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsPrepend = "-Xmx4g")
public class PeerIngestBenchmark
{
    static final int BARS = 10_000_000;

    @Param({"barstore", "sqlite", "duckdb", "questdb", "questdb_indexed", "chronicle", "memory"})
    public String system;

    private final PeerDataset data = PeerDataset.STANDARD;
    private PeerSystem peerSystem;
    private Path trialDir;
    private int iteration;
    private BarPeer peer;
    private long started;

    @Setup(Level.Trial)
    public void setUpTrial() throws IOException
    {
        if (data.totalBars() != BARS)
        {
            throw new IllegalStateException("@OperationsPerInvocation says " + BARS + " bars, the dataset has " +
                data.totalBars());
        }
        peerSystem = PeerSystem.of(system);
        trialDir = Files.createTempDirectory("barstore-peer-ingest-" + system + "-");
    }

    @Setup(Level.Iteration)
    public void setUpIteration() throws Exception
    {
        final Path dir = Files.createDirectories(trialDir.resolve("iteration-" + iteration++));
        syncPageCache();
        peer = peerSystem.open(data, dir);
        started = System.nanoTime();
    }

    @Benchmark
    @OperationsPerInvocation(BARS)
    public void ingest() throws Exception
    {
        peer.ingest();
    }

    @TearDown(Level.Iteration)
    public void tearDownIteration() throws Exception
    {
        final double seconds = (System.nanoTime() - started) / 1e9;
        final long bars;
        try
        {
            bars = peer.count();
        }
        finally
        {
            peer.close();
            peer = null;
        }
        if (bars != BARS)
        {
            throw new IllegalStateException(system + " holds " + bars + " bars after an ingest of " + BARS);
        }
        System.out.printf("%n# %s: %,d bars in %.2f s = %,.0f bars/s%n", system, bars, seconds, bars / seconds);
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws Exception
    {
        if (peer != null)
        {
            peer.close();
        }
        IoUtil.delete(trialDir.toFile(), false);
    }

    /** sync(1): writes back every dirty page now, so no earlier writer's data is flushed during the timed part. */
    private static void syncPageCache()
    {
        try
        {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        }
        catch (final IOException ex)
        {
            System.out.println("# sync failed, iterations may pay for earlier write-back: " + ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}

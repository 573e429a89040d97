package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Appends of 1-minute bars (see {@link #timeframe}) with increasing ts through
 * {@link BarStore#write(SeriesKey, BarBatch, WriteResult)}: validation, the journal append and the apply to the mapped
 * partitions, with SyncPolicy.NONE and maintenance off. Scores are bars/s.
 * <p>
 * Each measured call also refills the reused batch (ts must keep increasing), as a real writer would: that is about
 * 2 ns a bar. One store takes the whole trial and grows as a real one does: a 1m series gets a new day partition
 * every 1,440 bars, so the batched trial ends with thousands of partitions (and about 130 bytes of partition and
 * journal on disk per bar written). Nothing is deleted until the trial ends: mass deletes slow later file creation
 * on ext4 without a journal (inode allocation skips recently deleted inodes), which would charge the benchmark for
 * its own clean-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendBenchmark
{
    static final int BATCH_BARS = 10_000;
    /** Price columns are cycled from these so filling a batch is only loads and stores. */
    private static final int PRICE_PATTERN = 1024;

    private final BarBatch batch = new BarBatch(BATCH_BARS);
    private final BarBatch one = new BarBatch(1);
    private final WriteResult result = new WriteResult();
    private final double[] open = new double[PRICE_PATTERN];
    private final double[] high = new double[PRICE_PATTERN];
    private final double[] low = new double[PRICE_PATTERN];
    private final double[] close = new double[PRICE_PATTERN];
    private final double[] volume = new double[PRICE_PATTERN];
    private final double[] vwap = new double[PRICE_PATTERN];
    private final long[] trades = new long[PRICE_PATTERN];

    /**
     * The bars' timeframe. 1m makes a new day partition (a file) every 1,440 bars; {@code -p timeframe=1s} (one every
     * 86,400 bars) shows how much of the cost is partition creation.
     */
    @Param({"1m"})
    public String timeframe;

    private SeriesKey key;
    private long step;
    private Path tempDir;
    private BarStore store;
    private long nextTs;
    private long written;
    private long appended;

    @Setup(Level.Trial)
    public void setUpTrial()
    {
        final Timeframe tf = Timeframe.parse(timeframe);
        key = SeriesKey.of("BENCH", tf);
        step = tf.nanos();
        tempDir = BenchSupport.createTempDir("append");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        nextTs = BenchSupport.EPOCH_2020;
        final BarBatch pattern = new BarBatch(PRICE_PATTERN);
        for (int i = 0; i < PRICE_PATTERN; i++)
        {
            BenchSupport.addBar(pattern, 0, i);
            open[i] = pattern.open(i);
            high[i] = pattern.high(i);
            low[i] = pattern.low(i);
            close[i] = pattern.close(i);
            volume[i] = pattern.volume(i);
            vwap[i] = pattern.vwap(i);
            trades[i] = pattern.trades(i);
        }
    }

    @TearDown(Level.Iteration)
    public void checkCounts()
    {
        if (appended != written)
        {
            throw new IllegalStateException("wrote " + written + " bars; the store appended " + appended);
        }
    }

    @TearDown(Level.Trial)
    public void tearDownTrial()
    {
        BenchSupport.closeQuietly(store);
        BenchSupport.deleteRecursively(tempDir);
    }

    /** One write of a 10,000-bar batch; the score is bars/s. */
    @Benchmark
    @OperationsPerInvocation(BATCH_BARS)
    public long batched()
    {
        final BarBatch b = batch;
        b.clear();
        long ts = nextTs;
        for (int i = 0; i < BATCH_BARS; i++)
        {
            final int p = i & (PRICE_PATTERN - 1);
            b.add(ts, open[p], high[p], low[p], close[p], volume[p], vwap[p], trades[p]);
            ts += step;
        }
        nextTs = ts;
        store.write(key, b, result);
        written += BATCH_BARS;
        appended += result.appended();
        return result.journalIndex();
    }

    /** One write of one bar; the score is bars/s. */
    @Benchmark
    public long single()
    {
        final BarBatch b = one;
        final int p = (int)written & (PRICE_PATTERN - 1);
        b.clear();
        b.add(nextTs, open[p], high[p], low[p], close[p], volume[p], vwap[p], trades[p]);
        nextTs += step;
        store.write(key, b, result);
        written++;
        appended += result.appended();
        return result.journalIndex();
    }
}

package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.agrona.UnsafeApi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sum of the close column of an 8,000,000-bar series (15 years of 1-minute bars, sealed and consolidated into 183
 * month files) through {@link BarCursor#nextChunk()} and {@link BarCursor#chunkAddress(Column)}, in values/s.
 * <p>
 * Baselines sum the same 8,000,000 doubles (64 MB, twice this machine's L3) from a plain {@code double[]} and from one
 * off-heap block with the same loop, so the cost of the store over a bare memory scan shows as a ratio. All three
 * loops keep four accumulators: one would make every variant wait on floating-point add latency, not on memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScanBenchmark
{
    static final int ROWS = 8_000_000;
    private static final SeriesKey KEY = SeriesKey.of("SCAN", Timeframe.M1);
    private static final int WRITE_BATCH_BARS = 10_000;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private long firstTs;
    private long endTs;
    private double[] heap;
    private long offHeapAddress;
    private double expected;

    @Setup(Level.Trial)
    public void setUp()
    {
        tempDir = BenchSupport.createTempDir("scan");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        heap = new double[ROWS];
        offHeapAddress = UnsafeApi.allocateMemory((long)ROWS * Double.BYTES);
        firstTs = BenchSupport.EPOCH_2020 - (long)ROWS * Timeframe.M1.nanos();
        final BarBatch batch = new BarBatch(WRITE_BATCH_BARS);
        long ts = firstTs;
        for (int i = 0; i < ROWS; i++)
        {
            BenchSupport.addBar(batch, ts, i);
            heap[i] = batch.close(batch.size() - 1);
            UnsafeApi.putDouble(offHeapAddress + (long)i * Double.BYTES, heap[i]);
            ts += Timeframe.M1.nanos();
            if (batch.size() == WRITE_BATCH_BARS)
            {
                store.write(KEY, batch);
                batch.clear();
            }
        }
        if (batch.size() > 0)
        {
            store.write(KEY, batch);
        }
        endTs = ts;
        store.maintain(BenchSupport.EPOCH_2020 + BenchSupport.DAY_NANOS * 62);
        cursor = store.newCursor();
        expected = sumHeap();
        final double fromStore = sumStore();
        final double fromOffHeap = sumOffHeap();
        // Chunks regroup the additions, so the last bits may differ.
        if (Math.abs(fromStore - expected) > 1e-9 * expected || Math.abs(fromOffHeap - expected) > 1e-9 * expected)
        {
            throw new IllegalStateException("sums differ: store " + fromStore + " off-heap " + fromOffHeap +
                " heap " + expected);
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
        if (offHeapAddress != 0)
        {
            UnsafeApi.freeMemory(offHeapAddress);
            offHeapAddress = 0;
        }
    }

    /** The close column through the store's cursor, chunk by chunk. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double closeColumn()
    {
        return sumStore();
    }

    /** Baseline: the same doubles from a plain on-heap array. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double baselineHeapArray()
    {
        return sumHeap();
    }

    /** Baseline: the same doubles from one contiguous off-heap block, read as the store's are. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double baselineOffHeap()
    {
        return sumOffHeap();
    }

    private double sumStore()
    {
        final BarCursor c = cursor;
        if (!store.range(KEY, firstTs, endTs, c))
        {
            throw new IllegalStateException("no series " + KEY);
        }
        double sum = 0;
        long rows = 0;
        while (c.nextChunk())
        {
            final int n = c.chunkRows();
            sum += sum(c.chunkAddress(Column.CLOSE), n);
            rows += n;
        }
        if (rows != ROWS)
        {
            throw new IllegalStateException("scanned " + rows + " rows, expected " + ROWS);
        }
        return sum;
    }

    private double sumOffHeap()
    {
        return sum(offHeapAddress, ROWS);
    }

    private static double sum(final long address, final int n)
    {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i <= n - 4; i += 4)
        {
            final long a = address + ((long)i << 3);
            s0 += UnsafeApi.getDouble(a);
            s1 += UnsafeApi.getDouble(a + 8);
            s2 += UnsafeApi.getDouble(a + 16);
            s3 += UnsafeApi.getDouble(a + 24);
        }
        for (; i < n; i++)
        {
            s0 += UnsafeApi.getDouble(address + ((long)i << 3));
        }
        return (s0 + s1) + (s2 + s3);
    }

    private double sumHeap()
    {
        final double[] values = heap;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i <= values.length - 4; i += 4)
        {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }
        for (; i < values.length; i++)
        {
            s0 += values[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}

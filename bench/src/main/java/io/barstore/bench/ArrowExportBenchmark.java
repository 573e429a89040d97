package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.BarArrowReader;
import org.apache.arrow.memory.RootAllocator;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy Arrow export of the newest {@code rows} bars of a 1,000,000-bar series of 1-minute bars (sealed, months
 * consolidated): position a cursor, load every record batch of a {@link BarArrowReader} and close it. The buffers
 * point into the mapped files, so the time should follow the number of batches (one per partition chunk), not rows.
 * The allocator must be back at zero bytes at the end of the trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArrowExportBenchmark
{
    static final int SERIES_BARS = 1_000_000;
    private static final SeriesKey KEY = SeriesKey.of("ARROW", Timeframe.M1);
    private static final int WRITE_BATCH_BARS = 10_000;

    @Param({"10000", "1000000"})
    public int rows;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private RootAllocator allocator;
    private long start;
    private long end;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        if (rows < 1 || rows > SERIES_BARS)
        {
            throw new IllegalArgumentException("rows must be 1 to " + SERIES_BARS + ": " + rows);
        }
        tempDir = BenchSupport.createTempDir("arrow");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        allocator = new RootAllocator();
        final long step = Timeframe.M1.nanos();
        final long firstTs = BenchSupport.EPOCH_2020 - SERIES_BARS * step;
        final BarBatch batch = new BarBatch(WRITE_BATCH_BARS);
        for (int i = 0; i < SERIES_BARS; i++)
        {
            BenchSupport.addBar(batch, firstTs + i * step, i);
            if (batch.size() == WRITE_BATCH_BARS || i == SERIES_BARS - 1)
            {
                store.write(KEY, batch);
                batch.clear();
            }
        }
        store.maintain(BenchSupport.EPOCH_2020 + 62 * BenchSupport.DAY_NANOS);
        end = BenchSupport.EPOCH_2020;
        start = end - rows * step;
        cursor = store.newCursor();

        if (!store.range(KEY, start, end, cursor))
        {
            throw new IllegalStateException("no series " + KEY);
        }
        long exported = 0;
        int batches = 0;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            while (reader.loadNextBatch())
            {
                exported += reader.getVectorSchemaRoot().getRowCount();
                batches++;
            }
        }
        if (exported != rows)
        {
            throw new IllegalStateException("exported " + exported + " rows, expected " + rows);
        }
        System.out.println("# " + rows + " rows export as " + batches + " record batches");
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
        if (allocator != null)
        {
            final long leaked = allocator.getAllocatedMemory();
            if (leaked != 0)
            {
                throw new IllegalStateException("Arrow allocator still holds " + leaked + " bytes after the trial");
            }
            allocator.close();
        }
    }

    /** Returns the rows exported so nothing is dead code. */
    @Benchmark
    public long export() throws IOException
    {
        if (!store.range(KEY, start, end, cursor))
        {
            throw new IllegalStateException("no series " + KEY);
        }
        long exported = 0;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            while (reader.loadNextBatch())
            {
                exported += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return exported;
    }
}

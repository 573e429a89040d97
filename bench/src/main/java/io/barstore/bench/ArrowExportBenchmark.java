package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.ArrowIpc;
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
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy Arrow export of the newest {@code rows} bars of a series of 1-minute bars (1,000,000 bars, or
 * {@code rows} when more; sealed, months consolidated): {@link #export} positions a cursor, loads every record batch
 * of a {@link BarArrowReader} and closes it; the buffers point into the mapped files, so the time should follow the
 * number of batches (one per partition chunk), not rows. {@link #ipcStream} also serialises the batches as an Arrow
 * IPC stream into an output stream that discards them, which is what an HTTP response costs before the socket.
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

    @Param({"10", "2340", "100000", "10000000"})
    public int rows;

    private Path tempDir;
    private BarStore store;
    private BarCursor cursor;
    private RootAllocator allocator;
    private long start;
    private long end;
    private final CountingSink sink = new CountingSink();

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        if (rows < 1)
        {
            throw new IllegalArgumentException("rows must be at least 1: " + rows);
        }
        final int seriesBars = Math.max(SERIES_BARS, rows);
        tempDir = BenchSupport.createTempDir("arrow");
        store = BenchSupport.openStore(tempDir.resolve("store"));
        allocator = new RootAllocator();
        final long step = Timeframe.M1.nanos();
        final long firstTs = BenchSupport.EPOCH_2020 - seriesBars * step;
        final BarBatch batch = new BarBatch(WRITE_BATCH_BARS);
        for (int i = 0; i < seriesBars; i++)
        {
            BenchSupport.addBar(batch, firstTs + i * step, i);
            if (batch.size() == WRITE_BATCH_BARS || i == seriesBars - 1)
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

    /** Export plus IPC stream serialisation into a discarding stream; returns the bytes so nothing is dead code. */
    @Benchmark
    public long ipcStream() throws IOException
    {
        if (!store.range(KEY, start, end, cursor))
        {
            throw new IllegalStateException("no series " + KEY);
        }
        sink.reset();
        ArrowIpc.writeStream(allocator, cursor, sink);
        return sink.bytes;
    }

    /** Counts what is written and keeps none of it, so the benchmark measures serialisation, not a copy. */
    static final class CountingSink extends OutputStream
    {
        long bytes;

        void reset()
        {
            bytes = 0;
        }

        public void write(final int b)
        {
            bytes++;
        }

        public void write(final byte[] b, final int off, final int len)
        {
            bytes += len;
        }
    }
}

package io.barstore.engine.arrow;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Random;

import static io.barstore.engine.arrow.ArrowTestBars.DAY0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")
class ArrowExportHeapTest extends StoreAndAllocatorFixture
{
    private static final SeriesKey SPY = SeriesKey.of("SPY", Timeframe.S1);
    private static final long SECOND = Timeframe.S1.nanos();
    private static final int SMALL = 100_000;
    private static final int LARGE = 10_000_000;
    private static final int WRITE_BATCH = 100_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /**
     * A record batch costs a fixed amount of heap, Arrow's objects per buffer and message (about 10 KiB measured);
     * the budget is that plus room. A row may cost nothing: one object per row would be 16 bytes times 9.9 million.
     */
    private static final long HEAP_PER_BATCH_BUDGET = 16 * 1024;
    /** Noise between two measured runs: lazily grown thread-locals, JIT deoptimisation. */
    private static final long HEAP_SLACK = 64 * 1024;


    @Test
    void exportingAHundredTimesMoreBarsAllocatesTheSameHeapPerBatch() throws IOException
    {
        writeBars(LARGE);
        final BarCursor cursor = store.newCursor();

        // As written: a day partition per 86,400 bars, each with its still-forming newest bar as its own batch.
        assertHeapIndependentOfRows(cursor, "day partitions, unsealed");

        // As a store holds history: sealed and consolidated into month partitions of up to 2.7 million rows, which
        // go out as several batches of at most the shared bitmap's rows.
        store.maintain(System.currentTimeMillis() * 1_000_000L);
        assertHeapIndependentOfRows(cursor, "month partitions, sealed");
    }

    private void assertHeapIndependentOfRows(final BarCursor cursor, final String layout) throws IOException
    {
        final int smallBatches = checkedBatches(cursor, SMALL);
        final int largeBatches = checkedBatches(cursor, LARGE);
        final CountingOutputStream out = new CountingOutputStream();
        for (int i = 0; i < 3; i++) // warm up: class loading, JIT, Arrow's lazy statics
        {
            export(cursor, SMALL, out);
            export(cursor, LARGE, out);
        }

        out.bytes = 0;
        final long small = export(cursor, SMALL, out);
        assertTrue(out.bytes > (long)SMALL * Column.COUNT * Column.VALUE_BYTES, "wrote " + out.bytes + " bytes");
        out.bytes = 0;
        final long large = export(cursor, LARGE, out);
        assertTrue(out.bytes > (long)LARGE * Column.COUNT * Column.VALUE_BYTES, "wrote " + out.bytes + " bytes");

        final long allowed = HEAP_SLACK + (largeBatches - smallBatches) * HEAP_PER_BATCH_BUDGET;
        final String report = layout + ": heap allocated exporting " + SMALL + " bars in " + smallBatches +
            " batches: " + small + " B; " + LARGE + " bars in " + largeBatches + " batches: " + large +
            " B; allowed difference " + allowed + " B";
        System.out.println(report);
        assertTrue(large - small <= allowed, report);
    }

    /** Batches the export of the first {@code bars} bars takes, checking every ts on the way (not measured). */
    private int checkedBatches(final BarCursor cursor, final int bars) throws IOException
    {
        assertTrue(store.range(SPY, DAY0, DAY0 + bars * SECOND, cursor));
        int batches = 0;
        long row = 0;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
            while (reader.loadNextBatch())
            {
                assertTrue(root.getRowCount() <= AllOnesBitmap.ROWS);
                for (int i = 0; i < root.getRowCount(); i++, row++)
                {
                    if (ts.get(i) != DAY0 + row * SECOND)
                    {
                        assertEquals(DAY0 + row * SECOND, ts.get(i), "ts of row " + row);
                    }
                }
                batches++;
            }
        }
        assertEquals(bars, row);
        return batches;
    }

    /** Heap the calling thread allocates exporting the first {@code bars} bars. */
    private long export(final BarCursor cursor, final int bars, final OutputStream out) throws IOException
    {
        assertTrue(store.range(SPY, DAY0, DAY0 + bars * SECOND, cursor));
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final long rows = ArrowIpc.writeStream(allocator, cursor, out);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(bars, rows);
        return allocated;
    }

    private void writeBars(final int count)
    {
        final BarBatch batch = new BarBatch(WRITE_BATCH);
        final WriteResult result = new WriteResult();
        final Random rnd = new Random(7);
        long ts = DAY0;
        for (int written = 0; written < count; written += WRITE_BATCH)
        {
            batch.clear();
            for (int i = 0; i < WRITE_BATCH; i++, ts += SECOND)
            {
                ArrowTestBars.addRandom(batch, rnd, ts);
            }
            store.write(SPY, batch, result);
            assertEquals(WRITE_BATCH, result.appended());
        }
    }

    /** Discards what is written, counting it. */
    static final class CountingOutputStream extends OutputStream
    {
        long bytes;

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

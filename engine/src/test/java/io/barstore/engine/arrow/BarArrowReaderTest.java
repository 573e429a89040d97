package io.barstore.engine.arrow;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.Mapping;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static io.barstore.engine.arrow.ArrowTestBars.DAY0;
import static io.barstore.engine.arrow.ArrowTestBars.NANOS_PER_DAY;
import static io.barstore.engine.arrow.ArrowTestBars.assertBarsEqual;
import static io.barstore.engine.arrow.ArrowTestBars.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarArrowReaderTest extends StoreAndAllocatorFixture
{
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M1);
    private static final int ROWS_PER_DAY = 1440;


    @Test
    void exportedBufferAddressLiesInsideTheMappedPartition() throws IOException
    {
        final BarBatch bars = generate(DAY0, MINUTE, 2 * ROWS_PER_DAY, 0, 11);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));

        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertTrue(reader.loadNextBatch());
            final Mapping mapping = cursor.chunkMapping();
            assertNotNull(mapping, "the first day's rows are handed out in place");
            assertEquals(cursor.chunkRows(), root.getRowCount());
            for (int c = 0; c < Column.COUNT; c++)
            {
                final Column column = Column.byIndex(c);
                final FieldVector vector = root.getVector(column.fieldName());
                final long address = vector.getDataBuffer().memoryAddress();
                assertTrue(address >= mapping.address() && address < mapping.address() + mapping.length(),
                    column + " buffer at " + address + " is outside the mapping [" + mapping.address() + ", " +
                    (mapping.address() + mapping.length()) + ")");
                assertEquals(cursor.chunkAddress(column), address, column.fieldName());
                assertEquals((long)root.getRowCount() * Column.VALUE_BYTES, vector.getDataBuffer().writerIndex());
                assertEquals(AllOnesBitmap.address(), vector.getValidityBuffer().memoryAddress(),
                    column + " validity is the shared all-ones bitmap, not a per-batch allocation");
                assertEquals(0, vector.getNullCount());
            }
            assertBarsEqual(bars, 0, root);
        }
    }

    @Test
    void exportedValuesStayReadableAfterRewriteCheckpointAndStoreClose() throws IOException
    {
        // Gaps every 10th minute leave room for an older bar to be upserted, which rewrites the partition.
        final BarBatch bars = generate(DAY0, MINUTE, 2 * ROWS_PER_DAY, 10, 12);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));

        final Mapping mapping;
        final ArrowRecordBatch kept;
        final int keptRows;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertTrue(reader.loadNextBatch());
            mapping = cursor.chunkMapping();
            assertNotNull(mapping);
            keptRows = root.getRowCount();
            assertTrue(keptRows > 1000);
            kept = new VectorUnloader(root).getRecordBatch(); // retains the buffers beyond the reader
            while (reader.loadNextBatch())
            {
                assertTrue(root.getRowCount() > 0); // the cursor moves on, across partitions
            }
        }

        // Upsert an older bar into a gap and replace an exported one: both rewrite the first partition.
        final BarBatch older = new BarBatch(2);
        ArrowTestBars.addRandom(older, new Random(99), DAY0 + 9 * MINUTE);
        store.write(AAPL, older);
        final BarBatch replacement = new BarBatch(1);
        replacement.add(bars.ts(3), 1, 2, 0.5, 1.5, 7, 1.25, 3);
        store.write(AAPL, replacement);
        store.checkpoint();
        assertEquals(1.0, openAt(bars.ts(3)), "the store itself sees the replacement");
        store.close();

        try (VectorSchemaRoot root = VectorSchemaRoot.create(BarArrowSchema.SINGLE_SERIES, allocator))
        {
            new VectorLoader(root).load(kept);
            kept.close();
            assertEquals(keptRows, root.getRowCount());
            assertBarsEqual(bars, 0, root); // the exported snapshot, not the rewritten partition
        }
        assertFalse(mapping.tryRetain(), "once the last buffer is released the old partition is unmapped");
    }

    @Test
    void chunkLongerThanTheBatchLimitIsSplitIntoSeveralBatches() throws IOException
    {
        final BarBatch bars = generate(DAY0, MINUTE, 2 * ROWS_PER_DAY, 0, 13);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));

        final int maxRows = 100;
        int rows = 0;
        int batches = 0;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor, maxRows))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Mapping previousMapping = null;
            long previousEnd = 0;
            while (reader.loadNextBatch())
            {
                assertTrue(root.getRowCount() <= maxRows, "batch of " + root.getRowCount() + " rows");
                final long tsAddress = root.getVector("ts").getDataBuffer().memoryAddress();
                final Mapping mapping = cursor.chunkMapping();
                if (mapping != null && mapping == previousMapping)
                {
                    assertEquals(previousEnd, tsAddress, "the next slice of the same chunk, in place");
                }
                previousMapping = mapping;
                previousEnd = tsAddress + (long)root.getRowCount() * Column.VALUE_BYTES;
                assertBarsEqual(bars, rows, root);
                rows += root.getRowCount();
                batches++;
            }
            assertEquals(bars.size(), reader.rowsLoaded());
        }
        assertEquals(bars.size(), rows);
        assertTrue(batches >= bars.size() / maxRows, batches + " batches");
    }

    @Test
    void stillFormingBarIsCopiedAndKeepsTheValueItWasExportedWith() throws IOException
    {
        final BarBatch bars = generate(DAY0, MINUTE, 100, 0, 14);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));

        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            int rows = 0;
            while (reader.loadNextBatch() && cursor.chunkMapping() != null)
            {
                rows += root.getRowCount();
            }
            assertEquals(bars.size() - 1, rows, "every bar but the newest in place");
            assertNull(cursor.chunkMapping(), "the newest bar of a writable partition is the cursor's copy");
            assertEquals(1, root.getRowCount());

            // The live bar is rewritten in place; the exported copy must not change with it.
            final BarBatch live = new BarBatch(1);
            live.add(bars.ts(99), 3, 4, 2, 3.5, 10, 3.25, 5);
            store.write(AAPL, live);
            assertBarsEqual(bars, 99, root);
            assertFalse(reader.loadNextBatch());
        }
    }

    @Test
    void rangeInsideOnePartitionExportsOnlyThatRange() throws IOException
    {
        final BarBatch bars = generate(DAY0, MINUTE, 3 * ROWS_PER_DAY, 0, 15);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        final long start = DAY0 + 30 * MINUTE;
        final long end = DAY0 + NANOS_PER_DAY + 90 * MINUTE;
        assertTrue(store.range(AAPL, start, end, cursor));

        int rows = 0;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch())
            {
                assertBarsEqual(bars, 30 + rows, root);
                rows += root.getRowCount();
            }
        }
        assertEquals(ROWS_PER_DAY - 30 + 90, rows);
    }

    @Test
    void vectorsTransferredOutOfTheReaderOutliveIt() throws IOException
    {
        final BarBatch bars = generate(DAY0, MINUTE, ROWS_PER_DAY + 10, 0, 16);
        store.write(AAPL, bars);
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));

        final FieldVector close;
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            assertTrue(reader.loadNextBatch());
            final FieldVector source = reader.getVectorSchemaRoot().getVector("close");
            close = (FieldVector)source.getTransferPair(allocator).getTo();
            source.makeTransferPair(close).transfer();
        }
        try (close)
        {
            final ArrowBuf data = close.getDataBuffer();
            for (int i = 0; i < close.getValueCount(); i++)
            {
                assertEquals(bars.close(i), data.getDouble((long)i * Double.BYTES), "row " + i);
            }
        }
    }

    private double openAt(final long ts)
    {
        final BarCursor cursor = store.newCursor();
        try
        {
            assertTrue(store.range(AAPL, ts, ts + 1, cursor));
            assertTrue(cursor.next());
            return cursor.open();
        }
        finally
        {
            cursor.release();
        }
    }
}

package io.barstore.engine.arrow;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.barstore.engine.arrow.ArrowTestBars.DAY0;
import static io.barstore.engine.arrow.ArrowTestBars.NANOS_PER_DAY;
import static io.barstore.engine.arrow.ArrowTestBars.assertBarsEqual;
import static io.barstore.engine.arrow.ArrowTestBars.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrowIpcTest extends StoreAndAllocatorFixture
{
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M1);
    private static final SeriesKey BRK = SeriesKey.of("BRK.B", Timeframe.M1);
    private static final SeriesKey ETH = SeriesKey.of("ETH/USD", Timeframe.M1, "polygon");
    private static final SeriesKey MISSING = SeriesKey.of("MSFT", Timeframe.M1);


    @Test
    void everyColumnSurvivesTheIpcStreamRoundTrip() throws IOException
    {
        // Three day partitions of 1m bars; the newest bar of each unsealed partition comes as a copied chunk.
        final BarBatch bars = generate(DAY0, MINUTE, 3 * 1440, 0, 42);
        store.write(AAPL, bars);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));
        final long written = ArrowIpc.writeStream(allocator, cursor, out);
        assertEquals(bars.size(), written);

        int rows = 0;
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(BarArrowSchema.SINGLE_SERIES, root.getSchema());
            final Field ts = root.getSchema().getFields().get(0);
            assertEquals("ts", ts.getName());
            assertEquals(new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"), ts.getType());
            while (reader.loadNextBatch())
            {
                assertBarsEqual(bars, rows, root);
                rows += root.getRowCount();
            }
        }
        assertEquals(bars.size(), rows);
    }

    @Test
    void multiSeriesStreamLabelsEveryRowThroughTheSymbolDictionary() throws IOException
    {
        final BarBatch aapl = generate(DAY0, MINUTE, 2000, 0, 1);
        final BarBatch brk = generate(DAY0 + NANOS_PER_DAY, MINUTE, 700, 0, 2);
        final BarBatch eth = generate(DAY0 - NANOS_PER_DAY, MINUTE, 3000, 0, 3);
        store.write(AAPL, aapl);
        store.write(BRK, brk);
        store.write(ETH, eth);
        final List<SeriesKey> keys = List.of(BRK, MISSING, AAPL, ETH);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long written = ArrowIpc.writeStream(
            allocator, store, keys, Long.MIN_VALUE, Long.MAX_VALUE, BarArrowReader.NO_LIMIT, out);
        assertEquals(aapl.size() + brk.size() + eth.size(), written);

        final List<String> symbolsInOrder = new ArrayList<>();
        final int[] rowsOf = new int[3];
        final BarBatch[] expected = { brk, aapl, eth };
        final String[] symbols = { "BRK.B", "AAPL", "ETH/USD" };
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            final Field symbol = root.getSchema().getFields().get(0);
            assertEquals(BarArrowSchema.SYMBOL_FIELD, symbol.getName());
            assertEquals(BarArrowSchema.SYMBOL_ENCODING, symbol.getDictionary());
            assertEquals(new ArrowType.Int(32, true), symbol.getType());
            assertEquals(BarArrowSchema.MULTI_SERIES.getFields().subList(1, 9), root.getSchema().getFields().subList(1, 9));
            while (reader.loadNextBatch())
            {
                final Dictionary dictionary = reader.lookup(BarArrowSchema.SYMBOL_DICTIONARY_ID);
                final VarCharVector names = (VarCharVector)dictionary.getVector();
                assertEquals(List.of("BRK.B", "MSFT", "AAPL", "ETH/USD"), values(names));
                final IntVector indices = (IntVector)root.getVector(BarArrowSchema.SYMBOL_FIELD);
                final String name = new String(names.get(indices.get(0)), StandardCharsets.UTF_8);
                for (int i = 0; i < root.getRowCount(); i++)
                {
                    assertEquals(indices.get(0), indices.get(i), "one series per batch");
                }
                final int s = List.of(symbols).indexOf(name);
                assertTrue(s >= 0, name);
                if (symbolsInOrder.isEmpty() || !symbolsInOrder.get(symbolsInOrder.size() - 1).equals(name))
                {
                    symbolsInOrder.add(name);
                }
                assertBarsEqual(expected[s], rowsOf[s], root);
                rowsOf[s] += root.getRowCount();
            }
        }
        assertEquals(List.of("BRK.B", "AAPL", "ETH/USD"), symbolsInOrder, "series in the order asked");
        assertEquals(brk.size(), rowsOf[0]);
        assertEquals(aapl.size(), rowsOf[1]);
        assertEquals(eth.size(), rowsOf[2]);
    }

    @Test
    void multiSeriesLimitKeepsTheNewestBarsOfEachSeries() throws IOException
    {
        final BarBatch aapl = generate(DAY0, MINUTE, 2000, 0, 4);
        final BarBatch brk = generate(DAY0, MINUTE, 50, 0, 5);
        store.write(AAPL, aapl);
        store.write(BRK, brk);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final long written = ArrowIpc.writeStream(allocator, store, List.of(AAPL, BRK), Long.MIN_VALUE,
            Long.MAX_VALUE, 100, out);
        assertEquals(100 + 50, written);

        int aaplRows = 0;
        int brkRows = 0;
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch())
            {
                final IntVector indices = (IntVector)root.getVector(BarArrowSchema.SYMBOL_FIELD);
                if (indices.get(0) == 0)
                {
                    assertBarsEqual(aapl, aapl.size() - 100 + aaplRows, root);
                    aaplRows += root.getRowCount();
                }
                else
                {
                    assertBarsEqual(brk, brkRows, root);
                    brkRows += root.getRowCount();
                }
            }
        }
        assertEquals(100, aaplRows);
        assertEquals(50, brkRows);
    }

    @Test
    void emptyRangeStillWritesAReadableStreamWithTheSchema() throws IOException
    {
        store.write(AAPL, generate(DAY0, MINUTE, 10, 0, 6));

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, DAY0 + NANOS_PER_DAY, DAY0 + 2 * NANOS_PER_DAY, cursor));
        assertEquals(0, ArrowIpc.writeStream(allocator, cursor, out));

        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator))
        {
            assertEquals(BarArrowSchema.SINGLE_SERIES, reader.getVectorSchemaRoot().getSchema());
            assertFalse(reader.loadNextBatch());
        }
    }

    @Test
    void writingLeavesTheCallersStreamOpen() throws IOException
    {
        store.write(AAPL, generate(DAY0, MINUTE, 10, 0, 7));
        final boolean[] closed = { false };
        final ByteArrayOutputStream out = new ByteArrayOutputStream()
        {
            public void close()
            {
                closed[0] = true;
            }
        };
        final BarCursor cursor = store.newCursor();
        assertTrue(store.range(AAPL, Long.MIN_VALUE, Long.MAX_VALUE, cursor));
        assertEquals(10, ArrowIpc.writeStream(allocator, cursor, out));
        assertFalse(closed[0]);
        assertTrue(out.size() > 10 * 64);
    }

    private static List<String> values(final VarCharVector vector)
    {
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < vector.getValueCount(); i++)
        {
            values.add(new String(vector.get(i), StandardCharsets.UTF_8));
        }
        return values;
    }
}

package io.barstore.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteSemanticsTest
{
    private static final SeriesKey AAPL = SeriesKey.of("AAPL", Timeframe.M1);
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final long T0 = Instant.parse("2025-01-02T14:30:00Z").getEpochSecond() * 1_000_000_000L;

    @TempDir
    Path dir;
    private BarStore store;

    @BeforeEach
    void open()
    {
        store = BarStore.open(config());
    }

    @AfterEach
    void close()
    {
        store.close();
    }

    private StoreConfig config()
    {
        return StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build();
    }

    static BarBatch bar(final BarBatch batch, final long ts, final double price)
    {
        return batch.add(ts, price, price + 1, price - 1, price + 0.5, 100, price + 0.25, 7);
    }

    private List<double[]> read(final SeriesKey key)
    {
        final BarCursor cursor = store.newCursor();
        final List<double[]> rows = new ArrayList<>();
        if (store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
        {
            while (cursor.next())
            {
                rows.add(new double[]{ cursor.ts(), cursor.open(), cursor.high(), cursor.low(), cursor.close(),
                    cursor.volume(), cursor.vwap(), cursor.trades() });
            }
        }
        cursor.release();
        return rows;
    }

    @Test
    void appendsNewerBarsAndCountsThem()
    {
        final BarBatch batch = new BarBatch();
        for (int i = 0; i < 10; i++)
        {
            bar(batch, T0 + i * MINUTE, 100 + i);
        }
        final WriteResult result = store.write(AAPL, batch);
        assertEquals(10, result.appended());
        assertEquals(0, result.replaced());
        final List<double[]> rows = read(AAPL);
        assertEquals(10, rows.size());
        assertEquals(T0 + 9 * MINUTE, (long)rows.get(9)[0]);
        assertEquals(109.5, rows.get(9)[4]);
    }

    @Test
    void replacesTheLiveBarInPlaceKeepingOneBarPerTs()
    {
        store.write(AAPL, bar(new BarBatch(), T0, 100));
        for (int i = 0; i < 50; i++)
        {
            final WriteResult r = store.write(AAPL, bar(new BarBatch(), T0, 100 + i));
            assertEquals(1, r.replaced());
        }
        final List<double[]> rows = read(AAPL);
        assertEquals(1, rows.size());
        assertEquals(149, rows.get(0)[1]);
    }

    @Test
    void upsertsAnOlderBarIntoItsPlace()
    {
        final BarBatch batch = new BarBatch();
        bar(batch, T0, 1);
        bar(batch, T0 + 2 * MINUTE, 3);
        bar(batch, T0 + 86_400_000_000_000L, 4);
        store.write(AAPL, batch);
        final WriteResult r = store.write(AAPL, bar(new BarBatch(), T0 + MINUTE, 2));
        assertEquals(1, r.upserted());
        final WriteResult r2 = store.write(AAPL, bar(new BarBatch(), T0 + 2 * MINUTE, 33));
        assertEquals(1, r2.replaced());
        final List<double[]> rows = read(AAPL);
        assertEquals(4, rows.size());
        assertEquals(2, rows.get(1)[1]);
        assertEquals(33, rows.get(2)[1]);
        for (int i = 1; i < rows.size(); i++)
        {
            assertTrue(rows.get(i)[0] > rows.get(i - 1)[0]);
        }
    }

    @Test
    void laterRowOfABatchWinsForTheSameTs()
    {
        final BarBatch batch = new BarBatch();
        bar(batch, T0 + MINUTE, 5);
        bar(batch, T0, 1);
        bar(batch, T0 + MINUTE, 6);
        store.write(AAPL, batch);
        final List<double[]> rows = read(AAPL);
        assertEquals(2, rows.size());
        assertEquals(6, rows.get(1)[1]);
    }

    @Test
    void keepsEverythingAcrossSealConsolidateAndReopen()
    {
        final BarBatch batch = new BarBatch();
        final long day = 86_400_000_000_000L;
        for (int d = 0; d < 40; d++)
        {
            for (int i = 0; i < 5; i++)
            {
                bar(batch, T0 + d * day + i * MINUTE, d * 10 + i);
            }
        }
        store.write(AAPL, batch);
        assertEquals(40, store.stats(AAPL).files());
        store.maintain(T0 + 60 * day);
        assertEquals(2, store.stats(AAPL).files(), "two months, one segment each");
        assertEquals(200, read(AAPL).size());
        assertTrue(store.verify().isEmpty(), () -> store.verify().toString());
        store.write(AAPL, bar(new BarBatch(), T0 + MINUTE * 10, 1000));
        store.close();
        store = BarStore.open(config());
        final List<double[]> rows = read(AAPL);
        assertEquals(201, rows.size());
        assertEquals(1000, rows.get(5)[1]);
        assertTrue(store.verify().isEmpty(), () -> store.verify().toString());
        assertFalse(store.seriesKeys().isEmpty());
    }
}

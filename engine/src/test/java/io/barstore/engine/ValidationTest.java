package io.barstore.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationTest
{
    private static final SeriesKey KEY = SeriesKey.of("AAPL", Timeframe.M5);
    private static final long T = 1_735_828_200_000_000_000L; // 2025-01-02T14:30:00Z

    @TempDir
    Path dir;
    private BarStore store;

    @BeforeEach
    void open()
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
    }

    @AfterEach
    void close()
    {
        store.close();
    }

    private BatchRejectedException reject(final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades, final long ts)
    {
        final BarBatch batch = new BarBatch();
        batch.add(T, 10, 11, 9, 10, 1, 10, 1); // a good row first: the whole batch must still be rejected
        batch.add(ts, open, high, low, close, volume, vwap, trades);
        final BatchRejectedException ex = assertThrows(BatchRejectedException.class, () -> store.write(KEY, batch));
        assertFalse(store.exists(KEY), "nothing of a rejected batch is written");
        assertTrue(ex.getMessage().contains("row 1"), ex.getMessage());
        return ex;
    }

    private static void assertRule(final BatchRejectedException ex, final String field, final String rule)
    {
        assertTrue(ex.errors().stream().anyMatch(e -> e.row() == 1 && e.field().equals(field) && e.rule().contains(rule)),
            () -> "expected " + field + " '" + rule + "' in " + ex.errors());
    }

    @Test
    void rejectsBarWhoseHighIsBelowItsClose()
    {
        assertRule(reject(10, 10.5, 9, 11, 1, 10, 1, T + 300_000_000_000L), "high", ">= max(open, close)");
    }

    @Test
    void rejectsBarWhoseLowIsAboveItsOpen()
    {
        assertRule(reject(10, 12, 10.5, 11, 1, 10, 1, T + 300_000_000_000L), "low", "<= min(open, close)");
    }

    @Test
    void rejectsBarWhoseLowIsAboveItsHigh()
    {
        assertRule(reject(10, 9, 11, 10, 1, 10, 1, T + 300_000_000_000L), "low", "<= high");
    }

    @Test
    void rejectsNegativeVolume()
    {
        assertRule(reject(10, 11, 9, 10, -1, 10, 1, T + 300_000_000_000L), "volume", ">= 0");
    }

    @Test
    void rejectsTradesBelowMinusOne()
    {
        assertRule(reject(10, 11, 9, 10, 1, 10, -2, T + 300_000_000_000L), "trades", "-1 when unknown");
    }

    @Test
    void rejectsNonFiniteNumbers()
    {
        assertRule(reject(Double.NaN, 11, 9, 10, 1, 10, 1, T + 300_000_000_000L), "open", "finite");
        assertRule(reject(10, Double.POSITIVE_INFINITY, 9, 10, 1, 10, 1, T + 300_000_000_000L), "high", "finite");
        assertRule(reject(10, 11, 9, 10, Double.NaN, 10, 1, T + 300_000_000_000L), "volume", "finite");
        assertRule(reject(10, 11, 9, 10, 1, Double.NEGATIVE_INFINITY, 1, T + 300_000_000_000L), "vwap", "finite");
    }

    @Test
    void rejectsTsNotAlignedToTheTimeframe()
    {
        assertRule(reject(10, 11, 9, 10, 1, 10, 1, T + 60_000_000_000L), "ts", "aligned to the 5m timeframe");
    }

    @Test
    void acceptsUnknownVwapAndTrades()
    {
        store.write(KEY, new BarBatch().add(T, 10, 11, 9, 10, 0, Double.NaN, -1));
        final BarCursor cursor = store.newCursor();
        assertTrue(store.latest(KEY, cursor));
        assertTrue(cursor.next());
        assertTrue(Double.isNaN(cursor.vwap()));
        assertEquals(-1, cursor.trades());
        cursor.release();
    }

    @Test
    void namesEveryBadRowOfABatch()
    {
        final BarBatch batch = new BarBatch();
        for (int i = 0; i < 300; i++)
        {
            batch.add(T + i * 300_000_000_000L, 10, i % 2 == 0 ? 9 : 11, 9, 10, 1, 10, 1);
        }
        final BatchRejectedException ex = assertThrows(BatchRejectedException.class, () -> store.write(KEY, batch));
        assertEquals(150, ex.totalErrors());
        assertEquals(BatchRejectedException.MAX_LISTED, ex.errors().size());
        final List<BatchRejectedException.RowError> errors = ex.errors();
        assertEquals(0, errors.get(0).row());
        assertEquals(2, errors.get(1).row());
        assertEquals(BarStoreException.Category.BAD_INPUT, ex.category());
    }

    @Test
    void parsesTimeframesAndVendorAliases()
    {
        assertEquals(Timeframe.M5, Timeframe.parse("5Min"));
        assertEquals(Timeframe.H1, Timeframe.parse("1Hour"));
        assertEquals(Timeframe.D1, Timeframe.parse("1Day"));
        assertEquals(Timeframe.M1, Timeframe.parse("minute"));
        assertEquals(Timeframe.D1, Timeframe.parse("day"));
        assertEquals(Timeframe.W1, Timeframe.parse("1w"));
        final BarStoreException ex = assertThrows(BarStoreException.class, () -> Timeframe.parse("7m"));
        assertTrue(ex.getMessage().contains("timeframe=7m"), ex.getMessage());
    }

    @Test
    void weeklyBarsOpenOnMondays()
    {
        final long monday = 1_735_516_800_000_000_000L; // 2024-12-30T00:00:00Z, a Monday
        assertTrue(Timeframe.W1.isAligned(monday));
        assertFalse(Timeframe.W1.isAligned(monday + 86_400_000_000_000L));
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.BarBatch;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TradeBarsTest
{
    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 1_704_205_800_000_000_000L; // 2024-01-02T14:30:00Z

    @Test
    void tradesBecomeBarsWithFirstOpenLastCloseExtremesSummedVolumeVwapAndCount()
    {
        final SeriesBuffer out = new SeriesBuffer(SeriesKey.of("AAPL", Timeframe.M1), new ChunkPool(), true);
        // minute 0: 10.0 x 100, 10.5 x 200, 9.5 x 100, 10.2 x 100; minute 2: 11 x 50 (minute 1 has none)
        add(out, T0 + 1_000, 10.0, 100, 2);
        add(out, T0 + 20_000_000_000L, 10.5, 200, 3);
        add(out, T0 + 30_000_000_000L, 9.5, 100, 4);
        add(out, T0 + 59_999_999_999L, 10.2, 100, 5);
        add(out, T0 + 2 * MINUTE + 5, 11.0, 50, 6);
        out.finish(new RowErrors("t.csv", true));

        final BarBatch bars = onlyChunk(out);
        assertEquals(2, bars.size());
        assertEquals(T0, bars.ts(0));
        assertEquals(10.0, bars.open(0));
        assertEquals(10.5, bars.high(0));
        assertEquals(9.5, bars.low(0));
        assertEquals(10.2, bars.close(0));
        assertEquals(500, bars.volume(0));
        assertEquals((10.0 * 100 + 10.5 * 200 + 9.5 * 100 + 10.2 * 100) / 500, bars.vwap(0), 1e-12); // 10.14
        assertEquals(4, bars.trades(0));
        assertEquals(T0 + 2 * MINUTE, bars.ts(1));
        assertEquals(11.0, bars.open(1));
        assertEquals(11.0, bars.close(1));
        assertEquals(11.0, bars.vwap(1));
        assertEquals(1, bars.trades(1));
    }

    @Test
    void tradesOutOfOrderTakeOpenAndCloseByTradeTimeAndBarsComeOutOldestFirst()
    {
        final SeriesBuffer out = new SeriesBuffer(SeriesKey.of("AAPL", Timeframe.M1), new ChunkPool(), true);
        add(out, T0 + MINUTE + 30, 21.0, 1, 2);     // minute 1 first
        add(out, T0 + 50, 12.0, 1, 3);              // minute 0, later trade
        add(out, T0 + 10, 11.0, 1, 4);              // minute 0, earliest: the open
        add(out, T0 + MINUTE + 10, 20.0, 1, 5);     // minute 1, earliest: the open
        add(out, T0 + 50, 13.0, 3, 6);              // minute 0, same ts as line 3 but later in the file: the close
        out.finish(new RowErrors("t.csv", true));

        final BarBatch bars = onlyChunk(out);
        assertEquals(2, bars.size());
        assertEquals(T0, bars.ts(0));
        assertEquals(11.0, bars.open(0));
        assertEquals(13.0, bars.close(0));
        assertEquals(13.0, bars.high(0));
        assertEquals(11.0, bars.low(0));
        assertEquals(5, bars.volume(0));
        assertEquals((12.0 + 11.0 + 13.0 * 3) / 5, bars.vwap(0), 1e-12);
        assertEquals(T0 + MINUTE, bars.ts(1));
        assertEquals(20.0, bars.open(1));
        assertEquals(21.0, bars.close(1));
        assertEquals(2, bars.trades(1));
    }

    @Test
    void aBarWhoseTradesAllHaveSizeZeroHasAnUnknownVwap()
    {
        final SeriesBuffer out = new SeriesBuffer(SeriesKey.of("X", Timeframe.M1), new ChunkPool(), true);
        add(out, T0, 5.0, 0, 2);
        out.finish(new RowErrors("t.csv", true));
        assertTrue(Double.isNaN(onlyChunk(out).vwap(0)));
    }

    private static void add(final SeriesBuffer out, final long ts, final double price, final double size,
        final long line)
    {
        out.trades.add(Timeframe.M1.floor(ts), ts, price, size, line);
    }

    private static BarBatch onlyChunk(final SeriesBuffer buffer)
    {
        assertEquals(1, buffer.chunks().size());
        return buffer.chunks().get(0).bars;
    }
}

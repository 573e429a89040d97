package io.barstore.tools.importer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Trades of one symbol made into bars of one timeframe: open the first trade's price and close the last's (by trade
 * ts; equal ts in file order), high the highest, low the lowest, volume the sum of sizes, vwap sum(price * size) /
 * sum(size) (unknown when every size is 0), trades the count. Trades in time order touch only the newest bar; one
 * that belongs to an earlier bar finds it through a map built the first time that happens.
 */
final class TradeBars
{
    private int count;
    private long[] barTs = new long[64];
    private long[] firstTs = new long[64];
    private long[] lastTs = new long[64];
    private double[] open = new double[64];
    private double[] high = new double[64];
    private double[] low = new double[64];
    private double[] close = new double[64];
    private double[] volume = new double[64];
    private double[] notional = new double[64];
    private long[] trades = new long[64];
    private long[] line = new long[64];
    private int current = -1;
    private long newestBar = Long.MIN_VALUE;
    private boolean inOrder = true;
    private Map<Long, Integer> index;

    /** Adds one trade to the bar opening at {@code bar}. */
    void add(final long bar, final long ts, final double price, final double size, final long tradeLine)
    {
        int i = current;
        if (i < 0 || barTs[i] != bar)
        {
            i = find(bar, tradeLine);
            current = i;
        }
        if (ts < firstTs[i])
        {
            firstTs[i] = ts;
            open[i] = price;
        }
        if (ts >= lastTs[i])
        {
            lastTs[i] = ts;
            close[i] = price;
        }
        if (price > high[i])
        {
            high[i] = price;
        }
        if (price < low[i])
        {
            low[i] = price;
        }
        volume[i] += size;
        notional[i] += price * size;
        trades[i]++;
    }

    private int find(final long bar, final long tradeLine)
    {
        if (bar > newestBar)
        {
            newestBar = bar;
            return newBar(bar, tradeLine);
        }
        if (index == null)
        {
            index = new HashMap<>();
            for (int i = 0; i < count; i++)
            {
                index.put(barTs[i], i);
            }
        }
        final Integer known = index.get(bar);
        if (known != null)
        {
            return known;
        }
        inOrder = false;
        return newBar(bar, tradeLine);
    }

    private int newBar(final long bar, final long tradeLine)
    {
        if (count == barTs.length)
        {
            grow();
        }
        final int i = count++;
        barTs[i] = bar;
        firstTs[i] = Long.MAX_VALUE;
        lastTs[i] = Long.MIN_VALUE;
        high[i] = Double.NEGATIVE_INFINITY;
        low[i] = Double.POSITIVE_INFINITY;
        volume[i] = 0;
        notional[i] = 0;
        trades[i] = 0;
        line[i] = tradeLine;
        if (index != null)
        {
            index.put(bar, i);
        }
        return i;
    }

    private void grow()
    {
        final int n = barTs.length * 2;
        barTs = Arrays.copyOf(barTs, n);
        firstTs = Arrays.copyOf(firstTs, n);
        lastTs = Arrays.copyOf(lastTs, n);
        open = Arrays.copyOf(open, n);
        high = Arrays.copyOf(high, n);
        low = Arrays.copyOf(low, n);
        close = Arrays.copyOf(close, n);
        volume = Arrays.copyOf(volume, n);
        notional = Arrays.copyOf(notional, n);
        trades = Arrays.copyOf(trades, n);
        line = Arrays.copyOf(line, n);
    }

    int bars()
    {
        return count;
    }

    /** Adds the bars, oldest first, to {@code out}; each is attributed to the line of its first trade in the file. */
    void emit(final SeriesBuffer out)
    {
        final Integer[] byTs = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            byTs[i] = i;
        }
        if (!inOrder)
        {
            Arrays.sort(byTs, (a, b) -> Long.compare(barTs[a], barTs[b]));
        }
        for (final int i : byTs)
        {
            final double vwap = volume[i] > 0 ? notional[i] / volume[i] : Double.NaN;
            out.add(barTs[i], open[i], high[i], low[i], close[i], volume[i], vwap, trades[i], line[i]);
        }
        count = 0;
        current = -1;
    }
}

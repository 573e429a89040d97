package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a read returned: the number of bars and the sum of each column, so every value of every bar is used and the
 * systems compared can be checked against each other. The loops keep their sums in locals and add them to the
 * fields once at the end, so this object costs nothing per bar.
 */
public final class BarSums
{
    private long count;
    private long ts;
    private double open;
    private double high;
    private double low;
    private double close;
    private double volume;
    private double vwap;
    private long trades;

    public void set(
        final long count,
        final long ts,
        final double open,
        final double high,
        final double low,
        final double close,
        final double volume,
        final double vwap,
        final long trades)
    {
        this.count = count;
        this.ts = ts;
        this.open = open;
        this.high = high;
        this.low = low;
        this.close = close;
        this.volume = volume;
        this.vwap = vwap;
        this.trades = trades;
    }

    public BarSums clear()
    {
        set(0, 0, 0, 0, 0, 0, 0, 0, 0);
        return this;
    }

    /** Adds every bar the cursor has left; returns how many. */
    public long addAll(final BarCursor c)
    {
        long n = 0;
        long ts = 0;
        long trades = 0;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        double vwap = 0;
        while (c.next())
        {
            n++;
            ts += c.ts();
            open += c.open();
            high += c.high();
            low += c.low();
            close += c.close();
            volume += c.volume();
            vwap += c.vwap();
            trades += c.trades();
        }
        add(n, ts, open, high, low, close, volume, vwap, trades);
        return n;
    }

    /** Adds every row of a result set whose columns are ts, open, high, low, close, volume, vwap, trades. */
    public long addAll(final ResultSet rs) throws SQLException
    {
        long n = 0;
        long ts = 0;
        long trades = 0;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        double vwap = 0;
        while (rs.next())
        {
            n++;
            ts += rs.getLong(1);
            open += rs.getDouble(2);
            high += rs.getDouble(3);
            low += rs.getDouble(4);
            close += rs.getDouble(5);
            volume += rs.getDouble(6);
            vwap += rs.getDouble(7);
            trades += rs.getLong(8);
        }
        add(n, ts, open, high, low, close, volume, vwap, trades);
        return n;
    }

    public void add(
        final long count,
        final long ts,
        final double open,
        final double high,
        final double low,
        final double close,
        final double volume,
        final double vwap,
        final long trades)
    {
        this.count += count;
        this.ts += ts;
        this.open += open;
        this.high += high;
        this.low += low;
        this.close += close;
        this.volume += volume;
        this.vwap += vwap;
        this.trades += trades;
    }

    /** Adds row {@code row} of {@code batch}; for the oracle, not for timed reads. */
    public void add(final BarBatch batch, final int row)
    {
        count++;
        ts += batch.ts(row);
        open += batch.open(row);
        high += batch.high(row);
        low += batch.low(row);
        close += batch.close(row);
        volume += batch.volume(row);
        vwap += batch.vwap(row);
        trades += batch.trades(row);
    }

    public long count()
    {
        return count;
    }

    public long ts()
    {
        return ts;
    }

    public double open()
    {
        return open;
    }

    public double high()
    {
        return high;
    }

    public double low()
    {
        return low;
    }

    public double close()
    {
        return close;
    }

    public double volume()
    {
        return volume;
    }

    public double vwap()
    {
        return vwap;
    }

    public long trades()
    {
        return trades;
    }

    /** One number depending on every sum, for a Blackhole. */
    public double checksum()
    {
        return (count ^ ts ^ trades) + open + high + low + close + volume + vwap;
    }

    /**
     * True when the counts and integer sums are equal and each double sum is within {@code relativeTolerance} of the
     * other's (peers that aggregate in another order round differently in the last bits).
     */
    public boolean matches(final BarSums other, final double relativeTolerance)
    {
        return count == other.count && ts == other.ts && trades == other.trades &&
            near(open, other.open, relativeTolerance) && near(high, other.high, relativeTolerance) &&
            near(low, other.low, relativeTolerance) && near(close, other.close, relativeTolerance) &&
            near(volume, other.volume, relativeTolerance) && near(vwap, other.vwap, relativeTolerance);
    }

    private static boolean near(final double a, final double b, final double relativeTolerance)
    {
        return a == b || Math.abs(a - b) <= relativeTolerance * Math.max(Math.abs(a), Math.abs(b));
    }

    public String toString()
    {
        return "BarSums[count=" + count + " ts=" + ts + " open=" + open + " high=" + high + " low=" + low +
            " close=" + close + " volume=" + volume + " vwap=" + vwap + " trades=" + trades + "]";
    }
}

package io.barstore.engine;

/**
 * One bar's values, copied out of the store: filled by {@link BarStore#latest(SeriesKey, Bar)}. Mutable and meant
 * to be reused, so reading the newest bar of many series allocates nothing.
 */
public final class Bar
{
    long ts;
    double open;
    double high;
    double low;
    double close;
    double volume;
    double vwap;
    long trades;

    /** Where the store copies the raw column values, in {@link Column} order (doubles as their IEEE 754 bits). */
    final long[] raw = new long[Column.COUNT];

    /** Sets the values from {@link #raw}. */
    void decode()
    {
        ts = raw[0];
        open = Double.longBitsToDouble(raw[1]);
        high = Double.longBitsToDouble(raw[2]);
        low = Double.longBitsToDouble(raw[3]);
        close = Double.longBitsToDouble(raw[4]);
        volume = Double.longBitsToDouble(raw[5]);
        vwap = Double.longBitsToDouble(raw[6]);
        trades = raw[7];
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

    public String toString()
    {
        return "Bar{ts=" + ts + ", open=" + open + ", high=" + high + ", low=" + low + ", close=" + close +
            ", volume=" + volume + ", vwap=" + vwap + ", trades=" + trades + '}';
    }
}

package io.barstore.engine;

import org.agrona.UnsafeApi;

import java.util.Arrays;

/**
 * A reusable batch of bars for one write: columns held in primitive arrays that grow on demand and are kept across
 * {@link #clear()}, so a writer that reuses one batch allocates nothing per bar.
 */
public final class BarBatch
{
    /** The value of {@code trades} when the vendor does not say. */
    public static final long UNKNOWN_TRADES = -1;
    /** The value of {@code vwap} when the vendor does not say. */
    public static final double UNKNOWN_VWAP = Double.NaN;

    // long[] and double[] share the base offset on every JVM we run on; checked once here.
    private static final long ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    static
    {
        if (UnsafeApi.arrayBaseOffset(double[].class) != ARRAY_BASE ||
            java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN)
        {
            throw new ExceptionInInitializerError("barstore needs a little-endian JVM with uniform array layout");
        }
    }

    private long[] ts;
    private double[] open;
    private double[] high;
    private double[] low;
    private double[] close;
    private double[] volume;
    private double[] vwap;
    private long[] trades;
    private int size;

    public BarBatch()
    {
        this(64);
    }

    public BarBatch(final int initialCapacity)
    {
        allocate(Math.max(1, initialCapacity));
    }

    /** Adds one bar; {@code vwap} may be NaN and {@code trades} -1 when unknown. */
    public BarBatch add(
        final long ts,
        final double open,
        final double high,
        final double low,
        final double close,
        final double volume,
        final double vwap,
        final long trades)
    {
        if (size == this.ts.length)
        {
            allocate(size * 2);
        }
        final int i = size++;
        this.ts[i] = ts;
        this.open[i] = open;
        this.high[i] = high;
        this.low[i] = low;
        this.close[i] = close;
        this.volume[i] = volume;
        this.vwap[i] = vwap;
        this.trades[i] = trades;
        return this;
    }

    public BarBatch clear()
    {
        size = 0;
        return this;
    }

    public int size()
    {
        return size;
    }

    public long ts(final int row)
    {
        return ts[row];
    }

    public double open(final int row)
    {
        return open[row];
    }

    public double high(final int row)
    {
        return high[row];
    }

    public double low(final int row)
    {
        return low[row];
    }

    public double close(final int row)
    {
        return close[row];
    }

    public double volume(final int row)
    {
        return volume[row];
    }

    public double vwap(final int row)
    {
        return vwap[row];
    }

    public long trades(final int row)
    {
        return trades[row];
    }

    /** Raw bits of column {@code column} at {@code row}, as stored: longs as is, doubles as IEEE 754 bits. */
    public long bits(final int column, final int row)
    {
        return switch (column)
        {
            case 0 -> ts[row];
            case 1 -> Double.doubleToRawLongBits(open[row]);
            case 2 -> Double.doubleToRawLongBits(high[row]);
            case 3 -> Double.doubleToRawLongBits(low[row]);
            case 4 -> Double.doubleToRawLongBits(close[row]);
            case 5 -> Double.doubleToRawLongBits(volume[row]);
            case 6 -> Double.doubleToRawLongBits(vwap[row]);
            default -> trades[row];
        };
    }

    /**
     * Copies {@code rows} values of one column, starting at {@code fromRow}, to off-heap memory at {@code address}
     * (little-endian, as stored): the append fast path when a batch is already in ts order.
     */
    public void copyColumn(final Column column, final int fromRow, final int rows, final long address)
    {
        final Object array = switch (column)
        {
            case TS -> ts;
            case OPEN -> open;
            case HIGH -> high;
            case LOW -> low;
            case CLOSE -> close;
            case VOLUME -> volume;
            case VWAP -> vwap;
            case TRADES -> trades;
        };
        UnsafeApi.copyMemory(array, ARRAY_BASE + (long)fromRow * Column.VALUE_BYTES, null, address,
            (long)rows * Column.VALUE_BYTES);
    }

    /** Sets a bar from raw column bits (the journal's replay path). */
    public void addBits(final long[] bits)
    {
        add(bits[0], Double.longBitsToDouble(bits[1]), Double.longBitsToDouble(bits[2]),
            Double.longBitsToDouble(bits[3]), Double.longBitsToDouble(bits[4]), Double.longBitsToDouble(bits[5]),
            Double.longBitsToDouble(bits[6]), bits[7]);
    }

    private void allocate(final int capacity)
    {
        ts = ts == null ? new long[capacity] : Arrays.copyOf(ts, capacity);
        open = open == null ? new double[capacity] : Arrays.copyOf(open, capacity);
        high = high == null ? new double[capacity] : Arrays.copyOf(high, capacity);
        low = low == null ? new double[capacity] : Arrays.copyOf(low, capacity);
        close = close == null ? new double[capacity] : Arrays.copyOf(close, capacity);
        volume = volume == null ? new double[capacity] : Arrays.copyOf(volume, capacity);
        vwap = vwap == null ? new double[capacity] : Arrays.copyOf(vwap, capacity);
        trades = trades == null ? new long[capacity] : Arrays.copyOf(trades, capacity);
    }
}

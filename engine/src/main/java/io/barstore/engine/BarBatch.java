package io.barstore.engine;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable batch of bars for one write. The eight columns live off-heap in the storage layout (8 bytes a value,
 * little-endian), grow on demand and are kept across {@link #clear()}: a writer that reuses one batch allocates
 * nothing per bar, and the journal and the partition files take whole columns with one memory copy each.
 */
public final class BarBatch
{
    /** The value of {@code trades} when the vendor does not say. */
    public static final long UNKNOWN_TRADES = -1;
    /** The value of {@code vwap} when the vendor does not say. */
    public static final double UNKNOWN_VWAP = Double.NaN;

    static
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new ExceptionInInitializerError("barstore stores little-endian columns and needs a little-endian CPU");
        }
    }

    private ByteBuffer memory;
    private final long[] columnAddress = new long[Column.COUNT];
    private long ts;
    private long open;
    private long high;
    private long low;
    private long close;
    private long volume;
    private long vwap;
    private long trades;
    private int capacity;
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
        if (size == capacity)
        {
            allocate(capacity * 2);
        }
        final long offset = (long)size++ * Column.VALUE_BYTES;
        UnsafeApi.putLong(this.ts + offset, ts);
        UnsafeApi.putDouble(this.open + offset, open);
        UnsafeApi.putDouble(this.high + offset, high);
        UnsafeApi.putDouble(this.low + offset, low);
        UnsafeApi.putDouble(this.close + offset, close);
        UnsafeApi.putDouble(this.volume + offset, volume);
        UnsafeApi.putDouble(this.vwap + offset, vwap);
        UnsafeApi.putLong(this.trades + offset, trades);
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
        return UnsafeApi.getLong(ts + offset(row));
    }

    public double open(final int row)
    {
        return UnsafeApi.getDouble(open + offset(row));
    }

    public double high(final int row)
    {
        return UnsafeApi.getDouble(high + offset(row));
    }

    public double low(final int row)
    {
        return UnsafeApi.getDouble(low + offset(row));
    }

    public double close(final int row)
    {
        return UnsafeApi.getDouble(close + offset(row));
    }

    public double volume(final int row)
    {
        return UnsafeApi.getDouble(volume + offset(row));
    }

    public double vwap(final int row)
    {
        return UnsafeApi.getDouble(vwap + offset(row));
    }

    public long trades(final int row)
    {
        return UnsafeApi.getLong(trades + offset(row));
    }

    /** Address of the first value of {@code column}; valid until the batch grows. */
    public long columnAddress(final Column column)
    {
        return columnAddress[column.ordinal()];
    }

    /** Makes room for {@code rows} bars and sets the size, for a fill through {@link #columnAddress(Column)}. */
    public void resize(final int rows)
    {
        if (rows > capacity)
        {
            allocate(Math.max(rows, capacity * 2));
        }
        size = rows;
    }

    /**
     * Copies {@code rows} values of one column, starting at {@code fromRow}, to memory at {@code address}: the append
     * fast path when a batch is already in ts order.
     */
    public void copyColumn(final Column column, final int fromRow, final int rows, final long address)
    {
        UnsafeApi.copyMemory(columnAddress[column.ordinal()] + offset(fromRow), address,
            (long)rows * Column.VALUE_BYTES);
    }

    private long offset(final int row)
    {
        if (row < 0 || row >= size)
        {
            throw new IndexOutOfBoundsException("row " + row + " of a batch of " + size);
        }
        return (long)row * Column.VALUE_BYTES;
    }

    private void allocate(final int newCapacity)
    {
        final long columnBytes = (long)newCapacity * Column.VALUE_BYTES;
        if (columnBytes * Column.COUNT > Integer.MAX_VALUE)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "a batch holds at most " + (Integer.MAX_VALUE / (Column.COUNT * Column.VALUE_BYTES)) +
                " bars; split it").with("bars", newCapacity);
        }
        final ByteBuffer grown = BufferUtil.allocateDirectAligned((int)(columnBytes * Column.COUNT), 64);
        final long base = BufferUtil.address(grown);
        for (int c = 0; c < Column.COUNT; c++)
        {
            final long address = base + c * columnBytes;
            if (memory != null && size > 0)
            {
                UnsafeApi.copyMemory(columnAddress[c], address, (long)size * Column.VALUE_BYTES);
            }
            columnAddress[c] = address;
        }
        memory = grown;
        capacity = newCapacity;
        ts = columnAddress[0];
        open = columnAddress[1];
        high = columnAddress[2];
        low = columnAddress[3];
        close = columnAddress[4];
        volume = columnAddress[5];
        vwap = columnAddress[6];
        trades = columnAddress[7];
    }
}

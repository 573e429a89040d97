package io.barstore.server.format;

import io.barstore.engine.Column;
import org.agrona.UnsafeApi;

/**
 * One bar of a partition's columns as one JSON object, {@code {"ts":"...","open":1.0,...,"vwap":null,"trades":12}},
 * in a reused char buffer, composed whole rather than token by token (a JSON generator's per-token checks were a
 * third of a JSON response's time). Every char is ASCII and none needs escaping: the names are fixed, and numbers and
 * timestamps are digits and signs.
 */
final class JsonBarText
{
    /** {@code {"ts":"}, then {@code ","open":}, {@code ,"high":} and so on: what comes before each value. */
    private static final char[][] BEFORE = new char[Column.COUNT][];
    private static final char[] NULL = "null".toCharArray();
    /** Room for the longest text: 68 chars of names, a timestamp of 30, six doubles of up to 25, a long of 20. */
    static final int MAX_LENGTH = 320;

    static
    {
        for (int c = 0; c < Column.COUNT; c++)
        {
            final String name = Column.byIndex(c).fieldName();
            BEFORE[c] = (c == 0 ? "{\"" + name + "\":\"" : (c == 1 ? "\"," : ",") + "\"" + name + "\":").toCharArray();
        }
    }

    private final char[] chars = new char[MAX_LENGTH];
    private final FieldText text = new FieldText();
    private int length;

    /** Writes the bar of the row whose ts lies at {@code tsAddress}, its other columns {@code stride} bytes apart. */
    JsonBarText ofRow(final long tsAddress, final long stride)
    {
        int p = put(BEFORE[Column.TS.ordinal()], 0);
        text.ofTs(UnsafeApi.getLong(tsAddress));
        p = put(text.chars(), text.length(), p);
        p = number(Column.OPEN, UnsafeApi.getDouble(at(tsAddress, stride, Column.OPEN)), p);
        p = number(Column.HIGH, UnsafeApi.getDouble(at(tsAddress, stride, Column.HIGH)), p);
        p = number(Column.LOW, UnsafeApi.getDouble(at(tsAddress, stride, Column.LOW)), p);
        p = number(Column.CLOSE, UnsafeApi.getDouble(at(tsAddress, stride, Column.CLOSE)), p);
        p = number(Column.VOLUME, UnsafeApi.getDouble(at(tsAddress, stride, Column.VOLUME)), p);
        final double vwap = UnsafeApi.getDouble(at(tsAddress, stride, Column.VWAP));
        if (Double.isNaN(vwap)) // JSON has no NaN: an unknown vwap is null
        {
            p = put(NULL, put(BEFORE[Column.VWAP.ordinal()], p));
        }
        else
        {
            p = number(Column.VWAP, vwap, p);
        }
        p = put(BEFORE[Column.TRADES.ordinal()], p);
        text.ofLong(UnsafeApi.getLong(at(tsAddress, stride, Column.TRADES)));
        p = put(text.chars(), text.length(), p);
        chars[p++] = '}';
        length = p;
        return this;
    }

    /** Copies the bar's text, all ASCII, to {@code dst} from {@code offset} as bytes; returns the index after it. */
    int copyTo(final byte[] dst, final int offset)
    {
        for (int i = 0; i < length; i++)
        {
            dst[offset + i] = (byte)chars[i];
        }
        return offset + length;
    }

    char[] chars()
    {
        return chars;
    }

    int length()
    {
        return length;
    }

    private static long at(final long tsAddress, final long stride, final Column column)
    {
        return tsAddress + column.ordinal() * stride;
    }

    private int number(final Column column, final double value, final int at)
    {
        final int p = put(BEFORE[column.ordinal()], at);
        final int written = ShortDecimal.format(value, chars, p);
        if (written >= 0)
        {
            return p + written;
        }
        text.ofDouble(value);
        return put(text.chars(), text.length(), p);
    }

    private int put(final char[] src, final int p)
    {
        return put(src, src.length, p);
    }

    private int put(final char[] src, final int count, final int p)
    {
        System.arraycopy(src, 0, chars, p, count);
        return p + count;
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The series one file writes to, found by the symbol's characters straight from the parser's buffer: a file sorted
 * by symbol (as Polygon's are) compares against the last symbol only, and a String is made once per symbol, not per
 * row. With a filter (the {@code --symbol} list on a multi-symbol file), rows of other symbols are skipped.
 */
final class SeriesTable
{
    private final Timeframe timeframe;
    private final String source;
    private final Set<String> filter;
    private final ChunkPool pool;
    private final boolean trades;
    private final List<SeriesBuffer> series = new ArrayList<>();
    private char[][] keys = new char[64][];
    private SeriesBuffer[] values = new SeriesBuffer[64];
    private boolean[] skip = new boolean[64];
    private int size;
    private char[] lastKey;
    private SeriesBuffer lastValue;
    private boolean lastSkipped;
    private String error;
    private boolean skippedRow;

    SeriesTable(
        final Timeframe timeframe, final String source, final Set<String> filter, final ChunkPool pool,
        final boolean trades)
    {
        this.timeframe = timeframe;
        this.source = source;
        this.filter = filter;
        this.pool = pool;
        this.trades = trades;
    }

    /** The series of a file that names no symbols. */
    SeriesBuffer fixed(final String symbol)
    {
        final SeriesBuffer buffer = newBuffer(symbol);
        insert(symbol.toCharArray(), buffer, false);
        return buffer;
    }

    /**
     * The series of the symbol in {@code b[offset, offset + length)}; null when the row is to be skipped
     * ({@link #skipped()}: another symbol than asked for) or the symbol is not valid ({@link #error()}).
     */
    SeriesBuffer lookup(final char[] b, final int offset, final int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ')
        {
            start++;
        }
        while (end > start && b[end - 1] == ' ')
        {
            end--;
        }
        skippedRow = false;
        if (lastKey != null && equals(lastKey, b, start, end))
        {
            skippedRow = lastSkipped;
            return lastValue;
        }
        final int mask = keys.length - 1;
        for (int slot = hash(b, start, end) & mask; keys[slot] != null; slot = (slot + 1) & mask)
        {
            if (equals(keys[slot], b, start, end))
            {
                return remember(keys[slot], values[slot], skip[slot]);
            }
        }
        final String symbol = new String(b, start, end - start);
        try
        {
            SeriesKey.validateSymbol(symbol);
        }
        catch (final BarStoreException ex)
        {
            error = symbol.isEmpty() ? "symbol is empty" : "symbol \"" + Texts.excerpt(symbol) + "\" " +
                (symbol.length() > SeriesKey.MAX_SYMBOL_LENGTH ? "is longer than 64 characters" :
                "has a character that is not allowed (letters, digits and . _ - / : ^ = + are)");
            return null;
        }
        final char[] key = symbol.toCharArray();
        if (filter != null && !filter.contains(symbol))
        {
            insert(key, null, true);
            return remember(key, null, true);
        }
        final SeriesBuffer buffer = newBuffer(symbol);
        insert(key, buffer, false);
        return remember(key, buffer, false);
    }

    /** After {@link #lookup} returned null: true when the row is of a symbol left out by the filter. */
    boolean skipped()
    {
        return skippedRow;
    }

    /** After {@link #lookup} returned null and {@link #skipped()} is false: why the symbol is not valid. */
    String error()
    {
        return error;
    }

    /** Every series, in the order their first row appeared. */
    List<SeriesBuffer> series()
    {
        return Collections.unmodifiableList(series);
    }

    void release()
    {
        for (final SeriesBuffer buffer : series)
        {
            buffer.release();
        }
    }

    private SeriesBuffer newBuffer(final String symbol)
    {
        final SeriesBuffer buffer = new SeriesBuffer(SeriesKey.of(symbol, timeframe, source), pool, trades);
        series.add(buffer);
        return buffer;
    }

    private SeriesBuffer remember(final char[] key, final SeriesBuffer value, final boolean skipped)
    {
        lastKey = key;
        lastValue = value;
        lastSkipped = skipped;
        skippedRow = skipped;
        return value;
    }

    private void insert(final char[] key, final SeriesBuffer value, final boolean skipped)
    {
        if ((size + 1) * 2 > keys.length)
        {
            rehash();
        }
        final int mask = keys.length - 1;
        int slot = hash(key, 0, key.length) & mask;
        while (keys[slot] != null)
        {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        skip[slot] = skipped;
        size++;
    }

    private void rehash()
    {
        final char[][] oldKeys = keys;
        final SeriesBuffer[] oldValues = values;
        final boolean[] oldSkip = skip;
        keys = new char[oldKeys.length * 2][];
        values = new SeriesBuffer[keys.length];
        skip = new boolean[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != null)
            {
                insert(oldKeys[i], oldValues[i], oldSkip[i]);
            }
        }
    }

    private static int hash(final char[] b, final int start, final int end)
    {
        int h = 0;
        for (int i = start; i < end; i++)
        {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private static boolean equals(final char[] key, final char[] b, final int start, final int end)
    {
        return key.length == end - start && Arrays.equals(key, 0, key.length, b, start, end);
    }
}

package io.barstore.server.format;

import io.barstore.engine.BarCursor;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Bars as CSV (CONTRACT.md): a header of the Arrow column names in Arrow order ({@code symbol} first for several
 * series), {@code ts} in ISO-8601 UTC, an unknown vwap as an empty cell, lines ending in {@code \n}. Symbols cannot
 * hold a comma or a quote, so no cell needs quoting.
 * <p>
 * A symbol may start with {@code =}, {@code +} or {@code -}, which a spreadsheet would run as a formula: such a cell
 * is written with a leading {@code '} (OWASP's CSV-injection advice), which spreadsheets show as text; strip it
 * when reading the file as data. Numbers are never prefixed: a negative price is a number, not a formula.
 */
public final class CsvBarWriter implements BarWriter
{
    private static final int BUFFER_CHARS = 64 * 1024;
    private static final String SINGLE_HEADER;
    private static final String MULTI_HEADER;

    static
    {
        final StringBuilder header = new StringBuilder();
        for (int c = 0; c < Column.COUNT; c++)
        {
            header.append(c == 0 ? "" : ",").append(Column.byIndex(c).fieldName());
        }
        SINGLE_HEADER = header.append('\n').toString();
        MULTI_HEADER = "symbol," + SINGLE_HEADER;
    }

    private final Writer out;
    private final FieldText text = new FieldText();
    private boolean withSymbol;

    /** A writer to {@code out}, which it flushes but never closes. */
    public CsvBarWriter(final OutputStream out)
    {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    public void startSeries(final SeriesKey key) throws IOException
    {
        withSymbol = false;
        out.write(SINGLE_HEADER);
    }

    public void startMulti(final Timeframe timeframe, final String source) throws IOException
    {
        withSymbol = true;
        out.write(MULTI_HEADER);
    }

    public void startLatest(final Timeframe timeframe, final String source) throws IOException
    {
        startMulti(timeframe, source);
    }

    public long writeBars(final SeriesKey key, final BarCursor cursor) throws IOException
    {
        final String symbolCell = withSymbol ? spreadsheetSafe(key.symbol()) : null;
        long bars = 0;
        while (cursor.next())
        {
            if (symbolCell != null)
            {
                out.write(symbolCell);
                out.write(',');
            }
            text.ofTs(cursor.ts());
            out.write(text.chars(), 0, text.length());
            writeDouble(cursor.open());
            writeDouble(cursor.high());
            writeDouble(cursor.low());
            writeDouble(cursor.close());
            writeDouble(cursor.volume());
            out.write(',');
            final double vwap = cursor.vwap();
            if (!Double.isNaN(vwap))
            {
                text.ofDouble(vwap);
                out.write(text.chars(), 0, text.length());
            }
            out.write(',');
            text.ofLong(cursor.trades());
            out.write(text.chars(), 0, text.length());
            out.write('\n');
            bars++;
        }
        return bars;
    }

    public void writeMissing(final SeriesKey key)
    {
        // A series the store does not hold has no rows.
    }

    public void end() throws IOException
    {
        out.flush();
    }

    /** The cell for a text value: with a leading {@code '} when a spreadsheet would read it as a formula. */
    public static String spreadsheetSafe(final String cell)
    {
        if (cell.isEmpty())
        {
            return cell;
        }
        switch (cell.charAt(0))
        {
            case '=':
            case '+':
            case '-':
            case '@':
            case '\t':
            case '\r':
                return "'" + cell;
            default:
                return cell;
        }
    }

    private void writeDouble(final double value) throws IOException
    {
        out.write(',');
        text.ofDouble(value);
        out.write(text.chars(), 0, text.length());
    }
}

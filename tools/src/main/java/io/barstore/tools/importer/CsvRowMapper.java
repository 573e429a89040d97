package io.barstore.tools.importer;

import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordType;
import io.barstore.engine.BarBatch;
import io.barstore.engine.Timeframe;

/**
 * The generic CSV row mapper, driven by FastCSV's callbacks: each field is parsed where it lies in the reader's
 * buffer, by the role its column has, so a row costs no String and no object. A complete row is checked (field count,
 * values, the bar rules) and goes to its series' buffer, or for trades to its series' bar aggregator; a bad row goes
 * to {@link RowErrors}, which rejects the file (strict) or skips and lists the row (lenient).
 * <p>
 * {@link #buildRecord()} never returns a record, so one {@code hasNext()} on the reader runs the whole file.
 */
final class CsvRowMapper extends CsvCallbackHandler<Object>
{
    private static final byte NONE = (byte)Role.NONE.ordinal();
    private static final byte TS = (byte)Role.TS.ordinal();
    private static final byte OPEN = (byte)Role.OPEN.ordinal();
    private static final byte HIGH = (byte)Role.HIGH.ordinal();
    private static final byte LOW = (byte)Role.LOW.ordinal();
    private static final byte CLOSE = (byte)Role.CLOSE.ordinal();
    private static final byte VOLUME = (byte)Role.VOLUME.ordinal();
    private static final byte VWAP = (byte)Role.VWAP.ordinal();
    private static final byte TRADES = (byte)Role.TRADES.ordinal();
    private static final byte SYMBOL = (byte)Role.SYMBOL.ordinal();
    private static final byte QUOTE_VOLUME = (byte)Role.QUOTE_VOLUME.ordinal();
    private static final byte PRICE = (byte)Role.PRICE.ordinal();
    private static final byte SIZE = (byte)Role.SIZE.ordinal();

    private final byte[] roles;
    private final int expectedFields;
    private final boolean trades;
    private final Timeframe timeframe;
    private final boolean daily;
    private final ZoneConverter dailyZone;
    private final boolean vwapFromQuoteVolume;
    private final TimestampParser tsParser;
    private final NumberParser numbers = new NumberParser();
    private final SeriesTable table;
    private final SeriesBuffer fixed;
    private final RowErrors errors;
    private final String file;
    private boolean headerPending;

    private RecordType recordType = RecordType.DATA;
    private int field;
    private long line;
    private long ts;
    private double open;
    private double high;
    private double low;
    private double close;
    private double volume;
    private double vwap;
    private double quoteVolume;
    private double price;
    private double size;
    private long tradeCount;
    private SeriesBuffer series;
    private boolean otherSymbol;
    private String error;
    private int errorColumn;

    private long rows;
    private long otherSymbolRows;

    /**
     * @param fixed the series of every row, or null when a symbol column says.
     * @param dailyZone for 1d and 1w bars stamped at a time of day: take the date in this zone; null for none.
     */
    CsvRowMapper(
        final ColumnMapping mapping, final int expectedFields, final boolean header, final boolean trades,
        final Timeframe timeframe, final TimestampParser tsParser, final ZoneConverter dailyZone,
        final SeriesTable table, final SeriesBuffer fixed, final RowErrors errors, final String file)
    {
        this.file = file;
        this.roles = mapping.roles();
        this.expectedFields = expectedFields;
        this.headerPending = header;
        this.trades = trades;
        this.timeframe = timeframe;
        this.daily = timeframe == Timeframe.D1 || timeframe == Timeframe.W1;
        this.dailyZone = dailyZone;
        this.vwapFromQuoteVolume = mapping.has(Role.QUOTE_VOLUME) && !mapping.has(Role.VWAP);
        this.tsParser = tsParser;
        this.table = table;
        this.fixed = fixed;
        this.errors = errors;
    }

    /** Data rows read, good or bad (not the header, not blank lines). */
    long rows()
    {
        return rows;
    }

    /** Rows of symbols the {@code --symbol} filter leaves out. */
    long otherSymbolRows()
    {
        return otherSymbolRows;
    }

    /** The line the current (or last) record started on. */
    long line()
    {
        return line;
    }

    protected RecordType getRecordType()
    {
        return recordType;
    }

    protected int getFieldCount()
    {
        return field;
    }

    protected void beginRecord(final long startingLineNumber)
    {
        line = startingLineNumber;
        recordType = RecordType.DATA;
        field = 0;
        volume = 0;
        vwap = BarBatch.UNKNOWN_VWAP;
        quoteVolume = Double.NaN;
        tradeCount = BarBatch.UNKNOWN_TRADES;
        size = 0;
        series = fixed;
        otherSymbol = false;
        error = null;
    }

    protected void addField(final char[] buf, final int offset, final int length, final boolean quoted)
    {
        final int column = field++;
        if (column >= roles.length || error != null || headerPending)
        {
            return;
        }
        final byte role = roles[column];
        if (role == NONE)
        {
            return; // a column not imported may hold anything, text over several lines included
        }
        if (quoted && runsOverLines(buf, offset, length))
        {
            // Everything after the quote, to the end of the file or the next quote, is one field: no row after it
            // can be trusted, so the file is rejected whole, lenient or not.
            throw new ImportException(file, line, column + 1, "a quote opened here (column " + (column + 1) +
                ") is never closed, so the lines after it read as one field; fix the quote");
        }
        if (role == TS)
        {
            ts = tsParser.parse(buf, offset, length);
            if (ts == TimestampParser.FAILED)
            {
                fail(column, tsParser.error());
            }
        }
        else if (role == OPEN)
        {
            open = number(buf, offset, length, column, false);
        }
        else if (role == HIGH)
        {
            high = number(buf, offset, length, column, false);
        }
        else if (role == LOW)
        {
            low = number(buf, offset, length, column, false);
        }
        else if (role == CLOSE)
        {
            close = number(buf, offset, length, column, false);
        }
        else if (role == VOLUME)
        {
            volume = number(buf, offset, length, column, false);
        }
        else if (role == VWAP)
        {
            vwap = number(buf, offset, length, column, true);
        }
        else if (role == TRADES)
        {
            tradeCount = numbers.parseLong(buf, offset, length, BarBatch.UNKNOWN_TRADES);
            if (numbers.status() == NumberParser.BAD)
            {
                fail(column, "trades \"" + Texts.excerpt(buf, offset, length) + "\" is not a whole number");
            }
        }
        else if (role == SYMBOL)
        {
            symbol(buf, offset, length, column);
        }
        else if (role == QUOTE_VOLUME)
        {
            quoteVolume = number(buf, offset, length, column, true);
        }
        else if (role == PRICE)
        {
            price = number(buf, offset, length, column, false);
        }
        else if (role == SIZE)
        {
            size = number(buf, offset, length, column, false);
        }
    }

    private static boolean runsOverLines(final char[] buf, final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            if (buf[i] == '\n' || buf[i] == '\r')
            {
                return true;
            }
        }
        return false;
    }

    private double number(
        final char[] buf, final int offset, final int length, final int column, final boolean mayBeMissing)
    {
        final double value = numbers.parseDouble(buf, offset, length);
        final int status = numbers.status();
        if (status == NumberParser.OK || (status == NumberParser.MISSING && mayBeMissing))
        {
            return value;
        }
        final String name = Role.VALUES[roles[column]].label();
        fail(column, status == NumberParser.MISSING ?
            name + " is empty" + (length > 0 ? " (\"" + Texts.excerpt(buf, offset, length) + "\")" : "") :
            name + " \"" + Texts.excerpt(buf, offset, length) + "\" is not a number");
        return Double.NaN;
    }

    private void symbol(final char[] buf, final int offset, final int length, final int column)
    {
        series = table.lookup(buf, offset, length);
        if (series == null)
        {
            if (table.skipped())
            {
                otherSymbol = true;
            }
            else
            {
                fail(column, table.error());
            }
        }
    }

    private void fail(final int column, final String message)
    {
        error = message + " (column " + (column + 1) + ")";
        errorColumn = column + 1;
    }

    protected void setComment(final char[] buf, final int offset, final int length)
    {
        recordType = RecordType.COMMENT;
    }

    protected void setEmpty()
    {
        recordType = RecordType.EMPTY;
    }

    protected Object buildRecord()
    {
        if (recordType != RecordType.DATA)
        {
            return null;
        }
        if (headerPending)
        {
            headerPending = false;
            return null;
        }
        rows++;
        if (otherSymbol)
        {
            otherSymbolRows++;
            return null;
        }
        if (field != expectedFields)
        {
            errors.add(line, 0, field + (field == 1 ? " field" : " fields") + " where " + expectedFields +
                " were expected" + (field < expectedFields ? " (a truncated line?)" : ""));
            return null;
        }
        if (error != null)
        {
            errors.add(line, errorColumn, error);
            return null;
        }
        if (trades)
        {
            trade();
        }
        else
        {
            bar();
        }
        return null;
    }

    private void bar()
    {
        long t = ts;
        if (daily && dailyZone != null && !tsParser.wasDate() && !Timeframe.D1.isAligned(t))
        {
            t = dailyZone.localDateMidnightUtc(t);
        }
        double barVwap = vwap;
        if (vwapFromQuoteVolume)
        {
            barVwap = volume > 0 && Double.isFinite(quoteVolume) ? quoteVolume / volume : Double.NaN;
        }
        final String rule = BarRules.check(timeframe, t, open, high, low, close, volume, barVwap, tradeCount);
        if (rule != null)
        {
            errors.add(line, 0, rule);
            return;
        }
        series.add(t, open, high, low, close, volume, barVwap, tradeCount, line);
    }

    private void trade()
    {
        final String rule = TradeRules.check(ts, price, size);
        if (rule != null)
        {
            errors.add(line, 0, rule);
            return;
        }
        series.trades.add(TradeRules.barOf(timeframe, ts, dailyZone), ts, price, size, line);
    }
}

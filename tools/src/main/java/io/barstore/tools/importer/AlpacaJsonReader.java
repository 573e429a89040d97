package io.barstore.tools.importer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.barstore.engine.BarBatch;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.io.IOException;
import java.io.InputStream;

/**
 * Alpaca market-data bars JSON, read with Jackson's streaming parser: the multi-symbol form
 * {@code {"bars":{"AAPL":[{"t","o","h","l","c","v","n","vw"}, ...], ...}, "next_page_token": ...}}, the single-symbol
 * form {@code {"bars":[...], "symbol":"AAPL", ...}} ({@code symbol} may come after the bars), a bare array of bars
 * (with {@code --symbol}), and several such documents one after another (saved pages). {@code t} is RFC 3339;
 * {@code n} and {@code vw} may be missing. Daily bars stamped at midnight New York time become 00:00 UTC of that date.
 * <p>
 * A bad bar is reported at its line and column in the file (Alpaca's responses are often one line).
 */
final class AlpacaJsonReader
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();

    private final String file;
    private final Timeframe timeframe;
    private final boolean daily;
    private final ZoneConverter dailyZone;
    private final TimestampParser tsParser;
    private final SeriesTable table;
    private final String fixedSymbol;
    private final RowErrors errors;
    private final ChunkPool pool;
    private long rows;
    private long otherSymbolRows;
    private long barLine;
    private int barColumn;
    /** The first non-number where a number belongs in the current bar. */
    private String numberError;
    /** Single-symbol bars read before the document's "symbol". */
    private SeriesBuffer pending;

    /** @param fixedSymbol the symbol of a file that names none (--symbol); null when not given. */
    AlpacaJsonReader(
        final String file, final Timeframe timeframe, final ZoneConverter dailyZone, final SeriesTable table,
        final String fixedSymbol, final RowErrors errors, final ChunkPool pool)
    {
        this.pool = pool;
        this.file = file;
        this.timeframe = timeframe;
        this.daily = timeframe == Timeframe.D1 || timeframe == Timeframe.W1;
        this.dailyZone = dailyZone;
        this.tsParser = new TimestampParser(TsUnit.ISO, null);
        this.table = table;
        this.fixedSymbol = fixedSymbol;
        this.errors = errors;
    }

    long rows()
    {
        return rows;
    }

    long otherSymbolRows()
    {
        return otherSymbolRows;
    }

    void read(final InputStream in) throws IOException
    {
        try (JsonParser p = FACTORY.createParser(in))
        {
            JsonToken token = p.nextToken();
            if (token == null)
            {
                throw new ImportException(file, "holds no JSON value");
            }
            for (; token != null; token = p.nextToken())
            {
                if (token == JsonToken.START_ARRAY)
                {
                    readBars(p, requireSymbol("a JSON array of bars"));
                }
                else if (token == JsonToken.START_OBJECT)
                {
                    readDocument(p);
                }
                else
                {
                    throw structure(p, "expected an object with \"bars\", found " + describe(token));
                }
            }
        }
        catch (final JsonProcessingException ex)
        {
            final JsonLocation where = ex.getLocation();
            throw new ImportException(file, where == null ? 0 : where.getLineNr(), 0,
                "is not valid JSON" + (where == null ? "" : " at column " + where.getColumnNr()) + ": " +
                ex.getOriginalMessage());
        }
    }

    /** One {@code {"bars": ..., "symbol": ..., ...}} object. */
    private void readDocument(final JsonParser p) throws IOException
    {
        pending = null;
        String symbol = null;
        boolean sawBars = false;
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            if ("bars".equals(name))
            {
                sawBars = true;
                if (value == JsonToken.START_OBJECT)
                {
                    readSymbols(p);
                }
                else if (value == JsonToken.START_ARRAY)
                {
                    pending = new SeriesBuffer(SeriesKey.of("PENDING", timeframe), pool, false);
                    readBars(p, pending);
                }
                else if (value != JsonToken.VALUE_NULL)
                {
                    throw structure(p, "\"bars\" must be an object of symbols or an array of bars, found " +
                        describe(value));
                }
            }
            else if ("symbol".equals(name) && value == JsonToken.VALUE_STRING)
            {
                symbol = p.getText();
            }
            else
            {
                p.skipChildren();
            }
        }
        if (!sawBars)
        {
            throw structure(p, "a JSON object without \"bars\"; expected Alpaca bars " +
                "({\"bars\":{\"AAPL\":[...]}} or {\"bars\":[...],\"symbol\":\"AAPL\"})");
        }
        if (pending != null)
        {
            final SeriesBuffer held = pending;
            pending = null;
            try
            {
                movePending(held, symbol);
            }
            finally
            {
                held.release();
            }
        }
    }

    /** Single-symbol bars were held until the document said whose they are. */
    private void movePending(final SeriesBuffer held, final String symbol)
    {
        final SeriesBuffer target;
        if (symbol == null)
        {
            target = requireSymbol("the bars have no \"symbol\"");
        }
        else
        {
            final char[] chars = symbol.toCharArray();
            target = table.lookup(chars, 0, chars.length);
            if (target == null)
            {
                if (!table.skipped())
                {
                    throw new ImportException(file, table.error());
                }
                otherSymbolRows += held.rows();
                return;
            }
        }
        held.copyTo(target);
    }

    private SeriesBuffer requireSymbol(final String what)
    {
        if (fixedSymbol == null)
        {
            throw new ImportException(file, what + "; give the symbol with --symbol");
        }
        final char[] chars = fixedSymbol.toCharArray();
        return table.lookup(chars, 0, chars.length);
    }

    /** {@code {"AAPL":[...], "MSFT":[...]}}; a symbol may also map to one bar object (latest bars). */
    private void readSymbols(final JsonParser p) throws IOException
    {
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final char[] name = p.currentName().toCharArray();
            final JsonToken value = p.nextToken();
            SeriesBuffer series = table.lookup(name, 0, name.length);
            if (series == null && !table.skipped())
            {
                throw structure(p, table.error());
            }
            if (value == JsonToken.START_ARRAY)
            {
                readBars(p, series);
            }
            else if (value == JsonToken.START_OBJECT)
            {
                readBar(p, series);
            }
            else if (value != JsonToken.VALUE_NULL)
            {
                throw structure(p, "the bars of " + p.currentName() + " must be an array, found " + describe(value));
            }
        }
    }

    /** The elements of an array of bars; a null series skips them (another symbol than asked for). */
    private void readBars(final JsonParser p, final SeriesBuffer series) throws IOException
    {
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY)
        {
            if (token == JsonToken.START_OBJECT)
            {
                readBar(p, series);
            }
            else if (token == null)
            {
                throw structure(p, "the file ends inside an array of bars");
            }
            else
            {
                throw structure(p, "a bar must be an object, found " + describe(token));
            }
        }
    }

    /** One bar object; the current token is its START_OBJECT. */
    private void readBar(final JsonParser p, final SeriesBuffer series) throws IOException
    {
        final JsonLocation start = p.currentTokenLocation();
        barLine = start.getLineNr();
        barColumn = start.getColumnNr();
        rows++;
        if (series == null)
        {
            otherSymbolRows++;
            p.skipChildren();
            return;
        }
        long ts = TimestampParser.FAILED;
        double open = Double.NaN;
        double high = Double.NaN;
        double low = Double.NaN;
        double close = Double.NaN;
        double volume = Double.NaN;
        double vwap = BarBatch.UNKNOWN_VWAP;
        long trades = BarBatch.UNKNOWN_TRADES;
        int seen = 0;
        String error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            switch (name)
            {
                case "t" ->
                {
                    if (value == JsonToken.VALUE_STRING)
                    {
                        ts = tsParser.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        if (ts == TimestampParser.FAILED && error == null)
                        {
                            error = tsParser.error();
                        }
                    }
                    else if (error == null)
                    {
                        error = "t must be an RFC 3339 timestamp string, found " + describe(value);
                    }
                    seen |= 1;
                }
                case "o" ->
                {
                    open = number(p, value, "o");
                    seen |= 2;
                }
                case "h" ->
                {
                    high = number(p, value, "h");
                    seen |= 4;
                }
                case "l" ->
                {
                    low = number(p, value, "l");
                    seen |= 8;
                }
                case "c" ->
                {
                    close = number(p, value, "c");
                    seen |= 16;
                }
                case "v" ->
                {
                    volume = number(p, value, "v");
                    seen |= 32;
                }
                case "vw" -> vwap = value == JsonToken.VALUE_NULL ? Double.NaN : number(p, value, "vw");
                case "n" ->
                {
                    if (value == JsonToken.VALUE_NUMBER_INT)
                    {
                        trades = p.getLongValue();
                    }
                    else if (value != JsonToken.VALUE_NULL && error == null)
                    {
                        error = "n must be a whole number, found " + describe(value);
                    }
                }
                default -> p.skipChildren();
            }
            if (numberError != null && error == null)
            {
                error = numberError;
            }
            numberError = null;
        }
        if (error == null && seen != 63)
        {
            error = "the bar has no " + missing(seen);
        }
        if (error != null)
        {
            errors.add(barLine, barColumn, where(series) + error);
            return;
        }
        if (daily && dailyZone != null && !Timeframe.D1.isAligned(ts))
        {
            ts = dailyZone.localDateMidnightUtc(ts);
        }
        final String rule = BarRules.check(timeframe, ts, open, high, low, close, volume, vwap, trades);
        if (rule != null)
        {
            errors.add(barLine, barColumn, where(series) + rule);
            return;
        }
        series.add(ts, open, high, low, close, volume, vwap, trades, barLine);
    }

    private double number(final JsonParser p, final JsonToken value, final String name) throws IOException
    {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT)
        {
            return p.getDoubleValue();
        }
        if (numberError == null)
        {
            numberError = name + " must be a number, found " + describe(value) +
                (value == JsonToken.VALUE_STRING ? " \"" + Texts.excerpt(p.getText()) + "\"" : "");
        }
        p.skipChildren();
        return Double.NaN;
    }

    private String where(final SeriesBuffer series)
    {
        return "column " + barColumn + (series == pending ? "" : ", a bar of " + series.key().symbol()) + ": ";
    }

    /** Gives back what a document left held when reading stopped part way (a structural error). */
    void release()
    {
        if (pending != null)
        {
            pending.release();
            pending = null;
        }
    }

    private static String missing(final int seen)
    {
        final String[] names = {"t", "o", "h", "l", "c", "v"};
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++)
        {
            if ((seen & (1 << i)) == 0)
            {
                sb.append(sb.length() == 0 ? "" : ", ").append('"').append(names[i]).append('"');
            }
        }
        return sb.toString();
    }

    private ImportException structure(final JsonParser p, final String rule)
    {
        final JsonLocation where = p.currentTokenLocation();
        return new ImportException(file, where.getLineNr(), 0, rule + " (column " + where.getColumnNr() + ")");
    }

    private static String describe(final JsonToken token)
    {
        if (token == null)
        {
            return "the end of the file";
        }
        return switch (token)
        {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }
}

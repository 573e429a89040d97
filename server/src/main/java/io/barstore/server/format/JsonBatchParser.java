package io.barstore.server.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.NumberInput;
import io.barstore.engine.BarBatch;
import io.barstore.engine.Column;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON array of bars, {@code [{"ts":"2025-01-02T14:30:00Z","open":1.0,...}, ...]}, with Jackson's streaming
 * parser: fields in any order, {@code vwap} and {@code trades} optional or {@code null} (unknown), the short names
 * {@code t o h l c v vw n} accepted. Numbers are parsed from the parser's own char buffer and {@code ts} with
 * {@link IsoTime}, so a bar allocates nothing. Field names come from Jackson's symbol table, interned.
 */
public final class JsonBatchParser implements BatchParser
{
    private static final String TS_EXPECTED = "must be a string: " + IsoTime.EXPECTED;

    private final JsonFactory factory;
    private final double[] values = new double[Column.COUNT];

    /** {@code factory} should have {@code StreamReadFeature.USE_FAST_DOUBLE_PARSER} on, as the server's has. */
    public JsonBatchParser(final JsonFactory factory)
    {
        this.factory = factory;
    }

    public void parse(final InputStream body, final BarBatch batch, final RowErrors errors) throws IOException
    {
        try (JsonParser parser = factory.createParser(body))
        {
            final JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY)
            {
                throw new MalformedBodyException("the body must be a JSON array of bars, " +
                    "[{\"ts\": \"2025-01-02T14:30:00Z\", \"open\": 1.0, ...}, ...]; it " +
                    (first == null ? "is empty" : "starts with " + describe(first)));
            }
            int row = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY)
            {
                if (token == JsonToken.START_OBJECT)
                {
                    readBar(parser, row, batch, errors);
                }
                else
                {
                    errors.add(row, "bar", "must be a JSON object, {\"ts\": ..., \"open\": ...}, not " +
                        describe(token));
                    parser.skipChildren();
                }
                row++;
            }
            final JsonToken after = parser.nextToken();
            if (after != null)
            {
                throw new MalformedBodyException("the body must hold one JSON array; after its closing ] comes " +
                    describe(after));
            }
        }
        catch (final StreamReadException ex)
        {
            throw new MalformedBodyException("malformed JSON at line " + ex.getLocation().getLineNr() + ", column " +
                ex.getLocation().getColumnNr() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    private void readBar(final JsonParser parser, final int row, final BarBatch batch, final RowErrors errors)
        throws IOException
    {
        long ts = 0;
        long trades = BarBatch.UNKNOWN_TRADES;
        values[Column.VWAP.ordinal()] = BarBatch.UNKNOWN_VWAP;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            final Column column = BarFields.byName(name);
            if (column == null)
            {
                errors.add(row, name, "unknown field; a bar has " + BarFields.NAMES);
                parser.skipChildren();
                continue;
            }
            if ((seen & BarFields.bit(column)) != 0)
            {
                errors.add(row, column.fieldName(), "is given twice");
                parser.skipChildren();
                continue;
            }
            seen |= BarFields.bit(column);
            switch (column)
            {
                case TS:
                    if (value == JsonToken.VALUE_STRING)
                    {
                        ts = IsoTime.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                        if (ts == IsoTime.INVALID)
                        {
                            errors.add(row, "ts", TS_EXPECTED);
                        }
                    }
                    else
                    {
                        errors.add(row, "ts", TS_EXPECTED);
                        parser.skipChildren();
                    }
                    break;
                case TRADES:
                    trades = readTrades(parser, value, row, errors);
                    break;
                case VWAP:
                    values[Column.VWAP.ordinal()] = value == JsonToken.VALUE_NULL ?
                        BarBatch.UNKNOWN_VWAP : readNumber(parser, value, row, column, errors);
                    break;
                default:
                    values[column.ordinal()] = readNumber(parser, value, row, column, errors);
                    break;
            }
        }
        for (int c = 0; c < Column.COUNT; c++)
        {
            final Column column = Column.byIndex(c);
            if (BarFields.required(column) && (seen & BarFields.bit(column)) == 0)
            {
                errors.add(row, column.fieldName(), "is required");
            }
        }
        if (errors.total() == 0) // after a bad row the batch is rejected anyway: keep no more bars
        {
            batch.add(ts, values[Column.OPEN.ordinal()], values[Column.HIGH.ordinal()], values[Column.LOW.ordinal()],
                values[Column.CLOSE.ordinal()], values[Column.VOLUME.ordinal()], values[Column.VWAP.ordinal()], trades);
        }
    }

    private static double readNumber(
        final JsonParser parser, final JsonToken value, final int row, final Column column, final RowErrors errors)
        throws IOException
    {
        if (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT)
        {
            return NumberInput.parseDouble(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), true);
        }
        errors.add(row, column.fieldName(), "must be a number" +
            (column == Column.VWAP ? ", or null when unknown" : "") + ", not " + describe(value));
        parser.skipChildren();
        return Double.NaN;
    }

    private static long readTrades(final JsonParser parser, final JsonToken value, final int row, final RowErrors errors)
        throws IOException
    {
        if (value == JsonToken.VALUE_NULL)
        {
            return BarBatch.UNKNOWN_TRADES;
        }
        if (value == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                return parser.getLongValue();
            }
            catch (final InputCoercionException ex)
            {
                errors.add(row, "trades", "is out of range");
                return BarBatch.UNKNOWN_TRADES;
            }
        }
        errors.add(row, "trades", "must be a whole number, or null when unknown, not " + describe(value));
        parser.skipChildren();
        return BarBatch.UNKNOWN_TRADES;
    }

    private static String describe(final JsonToken token)
    {
        switch (token)
        {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }
}

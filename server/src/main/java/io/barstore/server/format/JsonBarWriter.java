package io.barstore.server.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.barstore.engine.BarCursor;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Bars as JSON (CONTRACT.md), written with Jackson's streaming generator one bar at a time, each bar's object
 * composed by {@link JsonBarText} and handed over as one raw value:
 * <pre>
 *   one series:  {"symbol":"AAPL","timeframe":"5m","source":"default","bars":[{"ts":"...","open":1.0,...},...]}
 *   several:     {"timeframe":"5m","source":"default","bars":{"AAPL":[...],"MSFT":[...]}}
 *   latest:      {"timeframe":"5m","source":"default","bars":{"AAPL":{...},"MSFT":null}}
 * </pre>
 * An unknown vwap is {@code null} (JSON has no NaN); trades are written as stored (-1 when unknown).
 */
public final class JsonBarWriter implements BarWriter
{
    private static final SerializedString SYMBOL = new SerializedString("symbol");
    private static final SerializedString TIMEFRAME = new SerializedString("timeframe");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString BARS = new SerializedString("bars");

    private enum Shape
    {
        SERIES, MULTI, LATEST
    }

    private final JsonGenerator generator;
    private final JsonBarText bar = new JsonBarText();
    private Shape shape;

    /** A writer to {@code out}, which it flushes but never closes. */
    public JsonBarWriter(final JsonFactory factory, final OutputStream out) throws IOException
    {
        generator = factory.createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    public void startSeries(final SeriesKey key) throws IOException
    {
        shape = Shape.SERIES;
        generator.writeStartObject();
        generator.writeFieldName(SYMBOL);
        generator.writeString(key.symbol());
        writeTimeframeAndSource(key.timeframe(), key.source());
        generator.writeFieldName(BARS);
        generator.writeStartArray();
    }

    public void startMulti(final Timeframe timeframe, final String source) throws IOException
    {
        startKeyed(Shape.MULTI, timeframe, source);
    }

    public void startLatest(final Timeframe timeframe, final String source) throws IOException
    {
        startKeyed(Shape.LATEST, timeframe, source);
    }

    public long writeBars(final SeriesKey key, final BarCursor cursor) throws IOException
    {
        long bars = 0;
        switch (shape)
        {
            case SERIES:
                while (cursor.next())
                {
                    writeBar(cursor);
                    bars++;
                }
                break;
            case MULTI:
                generator.writeFieldName(key.symbol());
                generator.writeStartArray();
                while (cursor.next())
                {
                    writeBar(cursor);
                    bars++;
                }
                generator.writeEndArray();
                break;
            default:
                generator.writeFieldName(key.symbol());
                if (cursor.next())
                {
                    writeBar(cursor);
                    bars++;
                }
                else
                {
                    generator.writeNull();
                }
                break;
        }
        return bars;
    }

    public void writeMissing(final SeriesKey key) throws IOException
    {
        generator.writeFieldName(key.symbol());
        if (shape == Shape.LATEST)
        {
            generator.writeNull();
        }
        else
        {
            generator.writeStartArray();
            generator.writeEndArray();
        }
    }

    public void end() throws IOException
    {
        if (shape == Shape.SERIES)
        {
            generator.writeEndArray();
        }
        else
        {
            generator.writeEndObject();
        }
        generator.writeEndObject();
        generator.close(); // flushes; AUTO_CLOSE_TARGET is off, so the response stream stays open
    }

    private void startKeyed(final Shape keyed, final Timeframe timeframe, final String source) throws IOException
    {
        shape = keyed;
        generator.writeStartObject();
        writeTimeframeAndSource(timeframe, source);
        generator.writeFieldName(BARS);
        generator.writeStartObject();
    }

    private void writeTimeframeAndSource(final Timeframe timeframe, final String source) throws IOException
    {
        generator.writeFieldName(TIMEFRAME);
        generator.writeString(timeframe.label());
        generator.writeFieldName(SOURCE);
        generator.writeString(source);
    }

    private void writeBar(final BarCursor cursor) throws IOException
    {
        bar.of(cursor);
        generator.writeRawValue(bar.chars(), 0, bar.length());
    }
}

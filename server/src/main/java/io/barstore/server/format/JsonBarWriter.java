package io.barstore.server.format;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.barstore.engine.BarCursor;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.Partition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bars as JSON (CONTRACT.md), written as UTF-8 bytes straight from a cursor's chunks:
 * <pre>
 *   one series:  {"symbol":"AAPL","timeframe":"5m","source":"default","bars":[{"ts":"...","open":1.0,...},...]}
 *   several:     {"timeframe":"5m","source":"default","bars":{"AAPL":[...],"MSFT":[...]}}
 *   latest:      {"timeframe":"5m","source":"default","bars":{"AAPL":{...},"MSFT":null}}
 * </pre>
 * An unknown vwap is {@code null} (JSON has no NaN); trades are written as stored (-1 when unknown).
 * <p>
 * Rows of sealed partitions come from a {@link SealedJsonCache} when one is given: their text is a slice of bytes
 * rendered once, handed to the stream as it is. Other rows are composed by {@link JsonBarText} into this writer's
 * buffer. The output is the same byte for byte either way.
 */
public final class JsonBarWriter implements BarWriter
{
    /**
     * Small, since it is allocated per response and the stream behind it gathers anyway: 4 KiB holds about 30
     * rendered bars between copies, and cached text longer than half of it bypasses it.
     */
    private static final int BUFFER_BYTES = 4 * 1024;
    private static final byte[] NULL = ascii("null");

    private enum Shape
    {
        SERIES, MULTI, LATEST
    }

    private final OutputStream out;
    private final SealedJsonCache cache;
    private final JsonBarText bar = new JsonBarText();
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private Shape shape;
    /** Whether the next member of the open array or object needs a comma before it. */
    private boolean separate;

    /** A writer to {@code out}, which it flushes but never closes, rendering every bar. */
    public JsonBarWriter(final OutputStream out)
    {
        this(out, null);
    }

    /**
     * A writer to {@code out} that takes sealed partitions' text from {@code cache} (null, or a cache with no budget:
     * render every bar, into this writer's buffer only).
     */
    public JsonBarWriter(final OutputStream out, final SealedJsonCache cache)
    {
        this.out = out;
        this.cache = cache == null || cache.budgetBytes() == 0 ? null : cache;
    }

    public void startSeries(final SeriesKey key) throws IOException
    {
        shape = Shape.SERIES;
        put("{\"symbol\":");
        putString(key.symbol());
        putTimeframeAndSource(key.timeframe(), key.source());
        put(",\"bars\":[");
        separate = false;
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
        switch (shape)
        {
            case SERIES:
                return writeRows(cursor, true);
            case MULTI:
            {
                putMemberName(key.symbol());
                put('[');
                separate = false;
                final long bars = writeRows(cursor, true);
                put(']');
                separate = true;
                return bars;
            }
            default:
            {
                putMemberName(key.symbol());
                separate = false;
                final long bars = writeRows(cursor, false); // one bar at most: not worth a cache lookup
                if (bars == 0)
                {
                    put(NULL, 0, NULL.length);
                }
                separate = true;
                return bars;
            }
        }
    }

    public void writeMissing(final SeriesKey key) throws IOException
    {
        putMemberName(key.symbol());
        if (shape == Shape.LATEST)
        {
            put(NULL, 0, NULL.length);
        }
        else
        {
            put("[]");
        }
        separate = true;
    }

    public void end() throws IOException
    {
        put(shape == Shape.SERIES ? "]}" : "}}");
        flushBuffer();
        out.flush();
    }

    private void startKeyed(final Shape keyed, final Timeframe timeframe, final String source) throws IOException
    {
        shape = keyed;
        put('{');
        putTimeframeAndSource(timeframe, source);
        put(",\"bars\":{");
        separate = false;
    }

    private void putTimeframeAndSource(final Timeframe timeframe, final String source) throws IOException
    {
        if (shape == Shape.SERIES)
        {
            put(',');
        }
        put("\"timeframe\":");
        putString(timeframe.label());
        put(",\"source\":");
        putString(source);
    }

    /** Every bar left in {@code cursor}, chunk by chunk, as members of the open array. */
    private long writeRows(final BarCursor cursor, final boolean cached) throws IOException
    {
        long bars = 0;
        while (cursor.nextChunk())
        {
            final int rows = cursor.chunkRows();
            final long tsAddress = cursor.chunkAddress(Column.TS);
            final long stride = cursor.chunkAddress(Column.OPEN) - tsAddress;
            final Partition partition = cursor.chunkPartition();
            if (cached && cache != null && partition != null && partition.sealed())
            {
                writeCached(partition, cursor.chunkFirstRow(), rows, tsAddress, stride);
            }
            else
            {
                writeRendered(tsAddress, stride, rows);
            }
            bars += rows;
        }
        return bars;
    }

    private void writeRendered(final long tsAddress, final long stride, final int rows) throws IOException
    {
        for (int i = 0; i < rows; i++)
        {
            bar.ofRow(tsAddress + (long)i * Column.VALUE_BYTES, stride);
            if (position + JsonBarText.MAX_LENGTH + 1 > buffer.length)
            {
                flushBuffer();
            }
            if (separate)
            {
                buffer[position++] = ',';
            }
            position = bar.copyTo(buffer, position);
            separate = true;
        }
    }

    /** Rows {@code [firstRow, firstRow + rows)} of a sealed partition, the first with its ts at {@code tsAddress}. */
    private void writeCached(
        final Partition partition, final long firstRow, final int rows, final long tsAddress, final long stride)
        throws IOException
    {
        final long rowZero = tsAddress - firstRow * Column.VALUE_BYTES;
        final long end = firstRow + rows;
        long row = firstRow;
        while (row < end)
        {
            final int index = (int)(row >>> SealedJsonCache.BLOCK_SHIFT);
            final long blockFirst = (long)index << SealedJsonCache.BLOCK_SHIFT;
            final int from = (int)(row - blockFirst);
            final int to = (int)Math.min(end - blockFirst, SealedJsonCache.BLOCK_ROWS);
            final SealedJsonCache.Block block = cache.block(partition, index, rowZero, stride, to - from);
            if (block == null)
            {
                writeRendered(rowZero + row * Column.VALUE_BYTES, stride, to - from);
            }
            else
            {
                if (separate)
                {
                    put(',');
                }
                final int offset = block.start(from);
                put(block.text(), offset, block.start(to) - 1 - offset);
                separate = true;
            }
            row = blockFirst + to;
        }
    }

    private void putMemberName(final String name) throws IOException
    {
        if (separate)
        {
            put(',');
        }
        putString(name);
        put(':');
    }

    /** A JSON string, quoted and escaped by Jackson's encoder, as UTF-8. */
    private void putString(final String value) throws IOException
    {
        put('"');
        final byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        put(quoted, 0, quoted.length);
        put('"');
    }

    private void put(final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        put(bytes, 0, bytes.length);
    }

    private void put(final char c) throws IOException
    {
        if (position == buffer.length)
        {
            flushBuffer();
        }
        buffer[position++] = (byte)c;
    }

    /**
     * Copies small runs into the buffer; hands large ones to the stream as they are, after topping the buffer up with
     * their head. So every write but the last is at least a full buffer: Javalin's compressing stream decides on its
     * first write whether to compress at all, and compresses only a write of 1,500 bytes or more.
     */
    private void put(final byte[] bytes, final int offset, final int length) throws IOException
    {
        int from = offset;
        int left = length;
        if (left > buffer.length - position)
        {
            final int head = buffer.length - position;
            System.arraycopy(bytes, from, buffer, position, head);
            position = buffer.length;
            from += head;
            left -= head;
            flushBuffer();
            if (left >= buffer.length / 2)
            {
                out.write(bytes, from, left);
                return;
            }
        }
        System.arraycopy(bytes, from, buffer, position, left);
        position += left;
    }

    private void flushBuffer() throws IOException
    {
        if (position > 0)
        {
            out.write(buffer, 0, position);
            position = 0;
        }
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

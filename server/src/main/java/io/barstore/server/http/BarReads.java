package io.barstore.server.http;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.ArrowIpc;
import io.barstore.server.format.BarFormat;
import io.barstore.server.format.BarWriter;
import io.barstore.server.format.CsvBarWriter;
import io.barstore.server.format.JsonBarWriter;
import io.barstore.server.format.SealedJsonCache;
import io.barstore.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import io.javalin.http.Header;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/bars/{symbol}}, {@code GET /v1/bars?symbols=} and {@code GET /v1/latest}: bars streamed from the
 * store as they are read. Every parameter is checked before the first byte goes out, so a bad request gets a clean
 * 400. JSON and CSV are written bar by bar from the cursor (JSON of sealed partitions as text rendered once, from
 * the {@link SealedJsonCache}); Arrow goes out record batch by record batch from the
 * engine's zero-copy export (each batch's buffers point into the mapped files), uncompressed. Either way the heap a
 * response needs does not grow with its bars.
 */
final class BarReads
{
    private final BarStore store;
    private final BufferAllocator allocator;
    private final SealedJsonCache jsonCache;
    private final ServerMetrics metrics;
    private final Paging paging;
    private final long maxBars;
    /** One cursor per server thread, reused request after request: reads then allocate nothing per bar. */
    private final ThreadLocal<BarCursor> cursors;

    BarReads(
        final BarStore store,
        final BufferAllocator allocator,
        final SealedJsonCache jsonCache,
        final ServerMetrics metrics,
        final long maxBars)
    {
        this.store = store;
        this.allocator = allocator;
        this.jsonCache = jsonCache;
        this.metrics = metrics;
        this.maxBars = maxBars;
        this.paging = new Paging(store, maxBars);
        this.cursors = ThreadLocal.withInitial(store::newCursor);
    }

    /** {@code GET /v1/bars/{symbol}}: one series, 404 when the store does not hold it. */
    void series(final Context ctx, final QueryParams query) throws IOException
    {
        final BarFormat format = query.format(ctx.header("Accept"));
        final SeriesKey key = SeriesKey.of(ctx.pathParam("symbol"), query.timeframe(), query.source());
        final long start = query.start();
        final long end = query.end();
        final long limit = query.limit(1, maxBars);
        if (!store.exists(key))
        {
            throw ApiException.notFound("no series " + key.symbol() + " at timeframe " + key.timeframe().label() +
                " from source " + key.source() + "; GET /v1/series/{symbol} lists what is stored",
                ApiException.facts("symbol", key.symbol(), "timeframe", key.timeframe().label(),
                    "source", key.source()));
        }
        respond(ctx, query, format, "GET /v1/bars/{symbol}", end,
            cursor -> limit > 0 ? end : paging.pageEnd(List.of(key), start, end, cursor),
            (child, cursor, pageEnd, out) ->
            {
                store.range(key, start, pageEnd, limit, cursor);
                return ArrowIpc.writeStream(child, cursor, out);
            },
            (writer, cursor, pageEnd) ->
            {
                writer.startSeries(key);
                return store.range(key, start, pageEnd, limit, cursor) ? writer.writeBars(key, cursor) : 0;
            });
    }

    /** {@code GET /v1/bars?symbols=}: several series of one timeframe and source, 404 when the store holds none. */
    void multi(final Context ctx, final QueryParams query) throws IOException
    {
        final BarFormat format = query.format(ctx.header("Accept"));
        final Timeframe timeframe = query.timeframe();
        final String source = query.source();
        final List<SeriesKey> keys = keys(query.symbols(), timeframe, source);
        final long start = query.start();
        final long end = query.end();
        final long limit = query.limit(keys.size(), maxBars);
        requireAnySeries(keys, timeframe, source);
        respond(ctx, query, format, "GET /v1/bars", end,
            cursor -> limit > 0 ? end : paging.pageEnd(keys, start, end, cursor),
            (child, cursor, pageEnd, out) -> ArrowIpc.writeStream(child, store, keys, start, pageEnd, limit, out),
            (writer, cursor, pageEnd) ->
            {
                writer.startMulti(timeframe, source);
                return writeEach(writer, keys, cursor, (key, c) -> store.range(key, start, pageEnd, limit, c));
            });
    }

    /** {@code GET /v1/latest?symbols=}: the newest bar of each series, 404 when the store holds none. */
    void latest(final Context ctx, final QueryParams query) throws IOException
    {
        final BarFormat format = query.format(ctx.header("Accept"));
        final Timeframe timeframe = query.timeframe();
        final String source = query.source();
        final List<SeriesKey> keys = keys(query.symbols(), timeframe, source);
        requireAnySeries(keys, timeframe, source);
        respond(ctx, query, format, "GET /v1/latest", 0, cursor -> 0,
            (child, cursor, pageEnd, out) ->
                ArrowIpc.writeStream(child, store, keys, Long.MIN_VALUE, Long.MAX_VALUE, 1, out),
            (writer, cursor, pageEnd) ->
            {
                writer.startLatest(timeframe, source);
                return writeEach(writer, keys, cursor, store::latest);
            });
    }

    /** Where a read's page ends: {@code end}, or earlier when the bars up to it would be more than one response. */
    @FunctionalInterface
    private interface PageEnd
    {
        long of(BarCursor cursor);
    }

    /** Writes a read's bars as an Arrow stream to {@code out}; returns the bars written. */
    @FunctionalInterface
    private interface ArrowBody
    {
        long write(BufferAllocator child, BarCursor cursor, long pageEnd, OutputStream out) throws IOException;
    }

    /** Writes a read's bars through a JSON or CSV writer, its start included and its end not; returns the bars. */
    @FunctionalInterface
    private interface TextBody
    {
        long write(BarWriter writer, BarCursor cursor, long pageEnd) throws IOException;
    }

    /**
     * A read's response, in the order every read route needs: the page's end, the headers and the body opened, the
     * bars in the format asked for, the body ended (a gathered one is sent then, with its length when it is all
     * there) and the bars counted. The cursor and any staging buffer are released whatever happens.
     */
    private void respond(
        final Context ctx,
        final QueryParams query,
        final BarFormat format,
        final String route,
        final long end,
        final PageEnd pageEndOf,
        final ArrowBody arrow,
        final TextBody text) throws IOException
    {
        final BarCursor cursor = cursors.get();
        OutputStream out = null;
        try
        {
            final long pageEnd = pageEndOf.of(cursor);
            out = begin(ctx, format, query, end, pageEnd);
            final long bars;
            if (format == BarFormat.ARROW)
            {
                try (BufferAllocator child = allocator.newChildAllocator(route, 0, Long.MAX_VALUE))
                {
                    bars = arrow.write(child, cursor, pageEnd, out);
                }
            }
            else
            {
                final BarWriter writer = writer(format, out);
                bars = text.write(writer, cursor, pageEnd);
                writer.end();
            }
            if (out instanceof ResponseBody gathered)
            {
                gathered.close();
            }
            metrics.barsServed(format, bars);
        }
        finally
        {
            cursor.release();
            if (out instanceof ResponseBody gathered)
            {
                gathered.release(); // after close() nothing is left; after a failure the buffer goes back to its pool
            }
        }
    }

    /**
     * Sets the status, type and (when the page ends before {@code end}) the {@code Link} to the next page, and opens
     * the body. Arrow is not compressed: it is binary columns, and compressing would cost a copy of every byte. So it
     * goes to Jetty's stream itself rather than through Javalin's compressing wrapper, whose first-write check of the
     * content type against its exclusion list took about a tenth of an Arrow response's sampled Java time. JSON and
     * CSV go through the wrapper when the client names an encoding it accepts, and are gzipped when that is gzip;
     * without {@code Accept-Encoding} nothing would be compressed, so they skip the wrapper too. What skips it is
     * gathered into one socket write of up to 512 KiB at a time ({@link ResponseBody}), Arrow's columns copied
     * straight from the mapped files.
     */
    private static OutputStream begin(
        final Context ctx, final BarFormat format, final QueryParams query, final long end, final long pageEnd)
        throws IOException
    {
        ctx.status(200).contentType(format.contentType());
        if (pageEnd != end)
        {
            ctx.header("Link", Paging.nextLink(ctx.url(), query, pageEnd));
        }
        if (format != BarFormat.ARROW && ctx.header(Header.ACCEPT_ENCODING) != null)
        {
            return ctx.outputStream();
        }
        final OutputStream body = ctx.res().getOutputStream();
        return body instanceof HttpOutput jetty ? new ResponseBody(ctx.res(), jetty) : body;
    }

    /** Positions a cursor on what a read takes of one series; false when the store has no such series. */
    @FunctionalInterface
    private interface SeriesRead
    {
        boolean position(SeriesKey key, BarCursor cursor);
    }

    /** Writes what {@code read} finds of each series in turn, or that a series is missing; returns the bars. */
    private static long writeEach(
        final BarWriter writer, final List<SeriesKey> keys, final BarCursor cursor, final SeriesRead read)
        throws IOException
    {
        long bars = 0;
        for (final SeriesKey key : keys)
        {
            if (read.position(key, cursor))
            {
                bars += writer.writeBars(key, cursor);
            }
            else
            {
                writer.writeMissing(key);
            }
        }
        return bars;
    }

    private BarWriter writer(final BarFormat format, final OutputStream out) throws IOException
    {
        return format == BarFormat.CSV ? new CsvBarWriter(out) : new JsonBarWriter(out, jsonCache);
    }

    private static List<SeriesKey> keys(final List<String> symbols, final Timeframe timeframe, final String source)
    {
        final List<SeriesKey> keys = new ArrayList<>(symbols.size());
        for (final String symbol : symbols)
        {
            keys.add(SeriesKey.of(symbol, timeframe, source));
        }
        return keys;
    }

    private void requireAnySeries(final List<SeriesKey> keys, final Timeframe timeframe, final String source)
    {
        for (final SeriesKey key : keys)
        {
            if (store.exists(key))
            {
                return;
            }
        }
        throw ApiException.notFound("none of the symbols has a series at timeframe " + timeframe.label() +
            " from source " + source + "; GET /v1/symbols lists what is stored",
            ApiException.facts("timeframe", timeframe.label(), "source", source));
    }
}

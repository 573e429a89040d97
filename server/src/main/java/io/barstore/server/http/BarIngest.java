package io.barstore.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.WriteResult;
import io.barstore.server.format.ArrowBatchParser;
import io.barstore.server.format.BarFormat;
import io.barstore.server.format.BatchParser;
import io.barstore.server.format.CsvBatchParser;
import io.barstore.server.format.JsonBatchParser;
import io.barstore.server.format.MalformedBodyException;
import io.barstore.server.format.RowErrors;
import io.barstore.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /v1/bars/{symbol}?timeframe=&source=}: a body of bars in the format its {@code Content-Type} names,
 * parsed as it streams in (never held whole), then written as one batch: accepted whole or rejected whole with every
 * bad row named. The answer comes once the batch is in the journal, which is when {@link BarStore#write} returns.
 */
final class BarIngest
{
    /** Arrow memory a body may need beyond its own size (schema, dictionaries, alignment). */
    private static final long ARROW_SLACK_BYTES = 1L << 20;

    private final BarStore store;
    private final BufferAllocator allocator;
    private final JsonFactory jsonFactory;
    private final ServerMetrics metrics;
    private final long maxBodyBytes;

    /** What an accepted batch did. */
    record IngestResult(
        String symbol, String timeframe, String source, long bars, long appended, long replaced, long upserted)
    {
    }

    private final Runnable afterOlderBarsChanged;

    BarIngest(
        final BarStore store,
        final BufferAllocator allocator,
        final JsonFactory jsonFactory,
        final ServerMetrics metrics,
        final long maxBodyBytes,
        final Runnable afterOlderBarsChanged)
    {
        this.afterOlderBarsChanged = afterOlderBarsChanged;
        this.store = store;
        this.allocator = allocator;
        this.jsonFactory = jsonFactory;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    void handle(final Context ctx, final QueryParams query) throws IOException
    {
        final SeriesKey key = SeriesKey.of(ctx.pathParam("symbol"), query.timeframe(), query.source());
        final BarFormat format = BarFormat.ofMediaType(ctx.header("Content-Type"));
        if (format == null)
        {
            throw new ApiException(415, "Content-Type must be application/json (an array of bars), text/csv (with a " +
                "header line) or " + BarFormat.ARROW.mediaType(),
                ApiException.facts("contentType", ctx.header("Content-Type")));
        }
        if (ctx.req().getContentLengthLong() > maxBodyBytes)
        {
            throw new BodyTooLargeException(maxBodyBytes); // refused before a byte is read
        }
        final BarBatch batch = new BarBatch(1024);
        final RowErrors errors = new RowErrors();
        try (InputStream body = new LimitedInputStream(ctx.req().getInputStream(), maxBodyBytes);
             BufferAllocator arrowMemory = format == BarFormat.ARROW ?
                 allocator.newChildAllocator("POST /v1/bars/{symbol}", 0, maxBodyBytes + ARROW_SLACK_BYTES) : null)
        {
            parser(format, arrowMemory).parse(body, batch, errors);
        }
        catch (final BodyTooLargeException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            throw new MalformedBodyException("the request body could not be read to its end (" + ex.getMessage() +
                "); was the upload cut short?", ex);
        }
        if (errors.total() > 0)
        {
            throw errors.rejection(key);
        }
        final WriteResult result = store.write(key, batch);
        metrics.barsIngested(format, batch.size());
        if ((result.upserted() > 0 || result.replaced() > 0) && touchesEndedDays(batch))
        {
            afterOlderBarsChanged.run(); // a sealed, archived partition may have been rewritten
        }
        ctx.json(new IngestResult(key.symbol(), key.timeframe().label(), key.source(), batch.size(),
            result.appended(), result.replaced(), result.upserted()));
    }

    /**
     * True when the batch has a bar from before today (UTC): only such a bar can be in a sealed partition. The
     * still-forming bar a live feed rewrites many times a minute never is, so it does not wake the archiver.
     */
    private static boolean touchesEndedDays(final BarBatch batch)
    {
        final long today = Math.floorDiv(System.currentTimeMillis(), 86_400_000L) * 86_400_000_000_000L;
        for (int i = 0, n = batch.size(); i < n; i++)
        {
            if (batch.ts(i) < today)
            {
                return true;
            }
        }
        return false;
    }

    private BatchParser parser(final BarFormat format, final BufferAllocator arrowMemory)
    {
        switch (format)
        {
            case CSV:
                return new CsvBatchParser();
            case ARROW:
                return new ArrowBatchParser(arrowMemory);
            default:
                return new JsonBatchParser(jsonFactory);
        }
    }
}

package io.barstore.server.http;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.server.format.IsoTime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Cuts a read of {@code [start, end)} into responses of at most {@code maxBars} bars, each a time slice: a read over
 * several series is cut at one instant for all of them, so page after page walks forward in time and every bar comes
 * exactly once. The cut is the ts of the first bar left out, which becomes the next page's {@code start} in a
 * {@code Link: <...>; rel="next"} header; the last page has no Link.
 * <p>
 * Only whole-range reads are paged: a read with {@code limit} is refused above {@code maxBars} instead (see
 * {@link QueryParams#limit}), since "the newest N" has no stable next page while bars keep arriving.
 * <p>
 * The cut is found by counting bars per partition chunk (no bar is read): one count of the whole range, and when it
 * is over the cap a binary search over the timeframe's bar times, about 30 counts at most. If more series than
 * {@code maxBars} have a bar at the very first instant, that instant is served whole, so a page always moves on.
 */
final class Paging
{
    private final BarStore store;
    private final long maxBars;

    Paging(final BarStore store, final long maxBars)
    {
        this.store = store;
        this.maxBars = maxBars;
    }

    /**
     * The exclusive end of the first page of {@code [start, end)} over {@code keys} (one timeframe): {@code end} when
     * everything fits one response, else the ts of the first bar left for the next page. Leaves {@code cursor}
     * released.
     */
    long pageEnd(final List<SeriesKey> keys, final long start, final long end, final BarCursor cursor)
    {
        try
        {
            if (count(keys, start, end, cursor) <= maxBars)
            {
                return end;
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (final SeriesKey key : keys)
            {
                if (store.range(key, start, end, cursor) && cursor.next())
                {
                    first = Math.min(first, cursor.ts());
                }
                if (store.range(key, start, end, 1, cursor) && cursor.next())
                {
                    last = Math.max(last, cursor.ts());
                }
            }
            // Bars sit on the timeframe's grid: search k with the page ending at first + k * step. At k = 0 the page
            // is empty (fits); at k = hi it would hold every bar up to last (does not fit).
            final long step = keys.get(0).timeframe().nanos();
            long lo = 0;
            long hi = (last - first) / step + 1;
            while (hi - lo > 1)
            {
                final long mid = (lo + hi) >>> 1;
                if (count(keys, start, first + mid * step, cursor) <= maxBars)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }
            return first + Math.max(lo, 1) * step;
        }
        finally
        {
            cursor.release();
        }
    }

    /** Bars in {@code [start, end)} over {@code keys}, counted chunk by chunk. */
    private long count(final List<SeriesKey> keys, final long start, final long end, final BarCursor cursor)
    {
        long bars = 0;
        for (final SeriesKey key : keys)
        {
            if (store.range(key, start, end, cursor))
            {
                while (cursor.nextChunk())
                {
                    bars += cursor.chunkRows();
                }
            }
        }
        return bars;
    }

    /**
     * The {@code Link} header value to the next page: the request's own URL and parameters, {@code start} replaced by
     * {@code nextStart}.
     */
    static String nextLink(final String requestUrl, final QueryParams query, final long nextStart)
    {
        final StringBuilder url = new StringBuilder(requestUrl).append('?');
        for (final Map.Entry<String, String> param : query.asGiven())
        {
            if (!param.getKey().equals(QueryParam.START.key()))
            {
                appendEncoded(url, param.getKey()).append('=');
                appendEncoded(url, param.getValue()).append('&');
            }
        }
        url.append(QueryParam.START.key()).append('=').append(IsoTime.toString(nextStart));
        return "<" + url + ">; rel=\"next\"";
    }

    /** Percent-encodes a query component, leaving the characters that read well and mean nothing there. */
    private static StringBuilder appendEncoded(final StringBuilder url, final String value)
    {
        for (final byte b : value.getBytes(StandardCharsets.UTF_8))
        {
            final char c = (char)(b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == ',' || c == '/')
            {
                url.append(c);
            }
            else
            {
                url.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return url;
    }
}

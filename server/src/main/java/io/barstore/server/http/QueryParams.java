package io.barstore.server.http;

import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.BarFormat;
import io.barstore.server.format.IsoTime;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The query parameters of one request, checked against the ones its route takes: a name the route does not take, a
 * name given twice or an empty value is a 400 naming the parameter, before anything else happens. The typed getters
 * (timeframe, instants, limit, symbols, format) each answer 400 naming their parameter when the value is bad.
 */
final class QueryParams
{
    /** At most this many symbols in one {@code symbols=} list. */
    static final int MAX_SYMBOLS = 1_000;
    private static final int MAX_ECHOED_CHARS = 64;

    private final Map<QueryParam, String> values;
    private final List<Map.Entry<String, String>> ordered;

    private QueryParams(final Map<QueryParam, String> values, final List<Map.Entry<String, String>> ordered)
    {
        this.values = values;
        this.ordered = ordered;
    }

    /** The parameters of {@code ctx}, which may use only {@code allowed}. */
    static QueryParams of(final Context ctx, final Set<QueryParam> allowed)
    {
        final Map<QueryParam, String> values = new EnumMap<>(QueryParam.class);
        final List<Map.Entry<String, String>> ordered = new ArrayList<>();
        for (final Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet())
        {
            final String name = entry.getKey();
            final QueryParam param = QueryParam.byKey(name);
            if (param == null || !allowed.contains(param))
            {
                throw ApiException.badRequest("unknown query parameter '" + echo(name) + "'; " +
                    (allowed.isEmpty() ? "this route takes none" : "this route takes " + names(allowed)),
                    ApiException.facts("parameter", echo(name), "allowed", keys(allowed)));
            }
            if (entry.getValue().size() != 1)
            {
                throw ApiException.badRequest("query parameter '" + name + "' is given " + entry.getValue().size() +
                    " times; give it once", ApiException.facts("parameter", name));
            }
            final String value = entry.getValue().get(0);
            if (value.isBlank())
            {
                throw ApiException.badRequest("query parameter '" + name + "' is empty; give a value or leave it out",
                    ApiException.facts("parameter", name));
            }
            values.put(param, value);
            ordered.add(Map.entry(name, value));
        }
        return new QueryParams(values, ordered);
    }

    /** The raw value, or null when not given. */
    String get(final QueryParam param)
    {
        return values.get(param);
    }

    /** Every parameter as given, in request order: the base of a {@code Link} to the next page. */
    List<Map.Entry<String, String>> asGiven()
    {
        return ordered;
    }

    /** {@code timeframe}, which is required. */
    Timeframe timeframe()
    {
        final String value = values.get(QueryParam.TIMEFRAME);
        if (value == null)
        {
            throw ApiException.badRequest("query parameter 'timeframe' is required, e.g. timeframe=5m",
                ApiException.facts("parameter", "timeframe"));
        }
        return Timeframe.parse(value); // BAD_INPUT naming the accepted values
    }

    /** {@code source}, {@value SeriesKey#DEFAULT_SOURCE} unless given. */
    String source()
    {
        final String value = values.get(QueryParam.SOURCE);
        if (value == null)
        {
            return SeriesKey.DEFAULT_SOURCE;
        }
        SeriesKey.validateSource(value);
        return value;
    }

    /** {@code start} in epoch nanoseconds; the beginning of time unless given. */
    long start()
    {
        return instant(QueryParam.START, Long.MIN_VALUE);
    }

    /** {@code end} in epoch nanoseconds (exclusive); the end of time unless given. Must be after {@code start}. */
    long end()
    {
        final long end = instant(QueryParam.END, Long.MAX_VALUE);
        final long start = start();
        if (end <= start)
        {
            throw ApiException.badRequest("query parameter 'end' must be after 'start': the range is [start, end)",
                ApiException.facts("parameter", "end", "start", values.get(QueryParam.START),
                    "end", values.get(QueryParam.END)));
        }
        return end;
    }

    /**
     * {@code limit} (keep the newest N bars of each series), 0 when not given. {@code series} series at N bars each
     * must fit one response of {@code maxBars}: a limited read is never paged, so a larger one is refused.
     */
    long limit(final int series, final long maxBars)
    {
        final String value = values.get(QueryParam.LIMIT);
        if (value == null)
        {
            return 0;
        }
        final long limit;
        try
        {
            limit = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw ApiException.badRequest("query parameter 'limit' must be a whole number of bars, e.g. limit=100",
                ApiException.facts("parameter", "limit", "value", echo(value)));
        }
        if (limit < 1)
        {
            throw ApiException.badRequest("query parameter 'limit' must be at least 1",
                ApiException.facts("parameter", "limit", "value", limit));
        }
        if (limit > maxBars / series)
        {
            throw ApiException.badRequest("query parameter 'limit' asks for more bars than one response holds (" +
                maxBars + (series > 1 ? " over " + series + " symbols" : "") + "); a limited read is never paged: " +
                "lower limit, or leave it out and page with start and end",
                ApiException.facts("parameter", "limit", "value", limit, "maxBarsPerResponse", maxBars));
        }
        return limit;
    }

    /** {@code symbols}, required: a comma-separated list, each checked, duplicates dropped, order kept. */
    List<String> symbols()
    {
        final String value = values.get(QueryParam.SYMBOLS);
        if (value == null)
        {
            throw ApiException.badRequest("query parameter 'symbols' is required, e.g. symbols=AAPL,MSFT",
                ApiException.facts("parameter", "symbols"));
        }
        final Set<String> symbols = new LinkedHashSet<>();
        final String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++)
        {
            final String symbol = parts[i].trim();
            if (symbol.isEmpty())
            {
                throw ApiException.badRequest("query parameter 'symbols' has an empty name at position " + (i + 1) +
                    "; separate symbols with single commas", ApiException.facts("parameter", "symbols"));
            }
            SeriesKey.validateSymbol(symbol);
            symbols.add(symbol);
        }
        if (symbols.size() > MAX_SYMBOLS)
        {
            throw ApiException.badRequest("query parameter 'symbols' names more than " + MAX_SYMBOLS +
                " symbols; split the request", ApiException.facts("parameter", "symbols", "count", symbols.size()));
        }
        return new ArrayList<>(symbols);
    }

    /**
     * The response format: {@code format=} when given, else the best of {@code Accept} ({@code q} values honoured,
     * {@code *}{@code /*} and {@code application/*} meaning JSON, {@code text/*} CSV), else JSON.
     */
    BarFormat format(final String accept)
    {
        final String value = values.get(QueryParam.FORMAT);
        if (value != null)
        {
            final BarFormat format = BarFormat.ofParameter(value);
            if (format == null)
            {
                throw ApiException.badRequest("query parameter 'format' must be " + BarFormat.parameterValues(),
                    ApiException.facts("parameter", "format", "value", echo(value)));
            }
            return format;
        }
        if (accept == null || accept.isBlank())
        {
            return BarFormat.JSON;
        }
        BarFormat best = null;
        double bestQ = 0;
        for (final String range : accept.split(","))
        {
            final String[] parts = range.split(";");
            final String type = parts[0].trim().toLowerCase(Locale.ROOT);
            final double q = quality(parts);
            final BarFormat format = switch (type)
            {
                case "*/*", "application/*" -> BarFormat.JSON;
                case "text/*" -> BarFormat.CSV;
                default -> BarFormat.ofMediaType(type);
            };
            if (format != null && q > bestQ)
            {
                best = format;
                bestQ = q;
            }
        }
        if (best == null)
        {
            throw new ApiException(406, "none of the media types in Accept is served here; accept application/json, " +
                "text/csv or " + BarFormat.ARROW.mediaType() + ", or pass format=json|csv|arrow",
                ApiException.facts("accept", echo(accept)));
        }
        return best;
    }

    private long instant(final QueryParam param, final long absent)
    {
        final String value = values.get(param);
        if (value == null)
        {
            return absent;
        }
        long nanos = IsoTime.parse(value);
        final int space = value.lastIndexOf(' ');
        if (nanos == IsoTime.INVALID && space > 10)
        {
            // An offset's '+' sent unencoded arrives as a space (form decoding): 14:30:00 02:00 means 14:30:00+02:00.
            nanos = IsoTime.parse(value.substring(0, space) + '+' + value.substring(space + 1));
        }
        if (nanos == IsoTime.INVALID)
        {
            throw ApiException.badRequest("query parameter '" + param.key() + "' must be " + IsoTime.EXPECTED +
                " (UTC unless an offset is given)", ApiException.facts("parameter", param.key(), "value", echo(value)));
        }
        return nanos;
    }

    private static double quality(final String[] parts)
    {
        for (int i = 1; i < parts.length; i++)
        {
            final String p = parts[i].trim();
            if (p.startsWith("q="))
            {
                try
                {
                    return Double.parseDouble(p.substring(2));
                }
                catch (final NumberFormatException ex)
                {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static String names(final Set<QueryParam> params)
    {
        final StringJoiner joiner = new StringJoiner(", ");
        for (final QueryParam p : params)
        {
            joiner.add(p.key());
        }
        return joiner.toString();
    }

    private static List<String> keys(final Set<QueryParam> params)
    {
        final List<String> keys = new ArrayList<>();
        for (final QueryParam p : params)
        {
            keys.add(p.key());
        }
        return keys;
    }

    /** A value as the client sent it, cut short: messages quote it, but never at any length. */
    private static String echo(final String value)
    {
        return value.length() <= MAX_ECHOED_CHARS ? value : value.substring(0, MAX_ECHOED_CHARS) + "...";
    }
}

package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.IsoTime;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The options that pick series and a time range, shared by {@code query} and {@code export}: {@code --timeframe},
 * {@code --source}, {@code --start}, {@code --end}, read as the HTTP API reads them. A symbol with one series needs
 * neither {@code --timeframe} nor {@code --source}; see {@link #resolve}.
 */
final class SeriesOptions
{
    @Option(names = {"--timeframe", "-t"}, paramLabel = "TF",
        description = "Bar interval: 1s ... 1w, or 5Min, 1Hour, 1Day, ... (optional when the symbol has one "
            + "timeframe stored).")
    String timeframe;

    @Option(names = "--source", paramLabel = "NAME",
        description = "Source of the series (default: the only one stored, else 'default').")
    String source;

    @Option(names = "--start", paramLabel = "TIME",
        description = "First bar open time, inclusive: an ISO-8601 instant (UTC unless an offset is given) or a date "
            + "(UTC midnight), e.g. 2025-01-02 or 2025-01-02T14:30:00Z.")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "End of the range, exclusive; as --start.")
    String end;

    long startNanos()
    {
        return instant("--start", start, Long.MIN_VALUE);
    }

    /** @throws BarStoreException BAD_INPUT when the end is not after the start. */
    long endNanos()
    {
        final long e = instant("--end", end, Long.MAX_VALUE);
        if (e <= startNanos())
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "--end must be after --start (the range is [start, end))").with("start", start).with("end", end);
        }
        return e;
    }

    /** "between 2025-01-02T00:00:00Z and ...", for messages. */
    String describeRange()
    {
        if (start == null && end == null)
        {
            return "";
        }
        return " in [" + (start == null ? "..." : Format.ts(startNanos())) + ", " +
            (end == null ? "..." : Format.ts(endNanos())) + ")";
    }

    /**
     * The series of {@code symbol} these options pick: the one stored series matching the given timeframe and source;
     * among several, the one of source {@code default} when no source was given.
     *
     * @throws BarStoreException NOT_FOUND naming what the symbol has when nothing matches; BAD_INPUT naming the
     *                           candidates when several do.
     */
    SeriesKey resolve(final BarStore store, final String symbol)
    {
        SeriesKey.validateSymbol(symbol);
        final Timeframe tf = timeframe == null ? null : Timeframe.parse(timeframe);
        if (source != null)
        {
            SeriesKey.validateSource(source);
        }
        if (tf != null && source != null && store.exists(SeriesKey.of(symbol, tf, source)))
        {
            return SeriesKey.of(symbol, tf, source);
        }
        final List<SeriesKey> ofSymbol = new ArrayList<>();
        final List<SeriesKey> candidates = new ArrayList<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            if (key.symbol().equals(symbol))
            {
                ofSymbol.add(key);
                if ((tf == null || key.timeframe() == tf) && (source == null || key.source().equals(source)))
                {
                    candidates.add(key);
                }
            }
        }
        if (candidates.size() > 1 && source == null)
        {
            final List<SeriesKey> defaults = candidates.stream()
                .filter(k -> k.source().equals(SeriesKey.DEFAULT_SOURCE)).toList();
            if (defaults.size() == 1)
            {
                return defaults.get(0);
            }
        }
        if (candidates.size() == 1)
        {
            return candidates.get(0);
        }
        final String asked = symbol + (tf == null ? "" : " " + tf.label()) + (source == null ? "" : " " + source);
        if (candidates.isEmpty())
        {
            throw new BarStoreException(BarStoreException.Category.NOT_FOUND, ofSymbol.isEmpty() ?
                "no series of " + symbol + " is stored; 'barstore symbols' lists the symbols" :
                "no series " + asked + " is stored; " + symbol + " has " + list(ofSymbol));
        }
        throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
            asked + " matches several series, " + list(candidates) + "; give " +
                (tf == null ? "--timeframe" : "--source") + " to pick one");
    }

    /** {@code 1m alpaca, 5m default} */
    private static String list(final List<SeriesKey> keys)
    {
        final StringJoiner joiner = new StringJoiner(", ");
        keys.stream().sorted(Stores.KEY_ORDER)
            .forEach(k -> joiner.add(k.timeframe().label() + " " + k.source()));
        return joiner.toString();
    }

    private static long instant(final String option, final String value, final long absent)
    {
        if (value == null)
        {
            return absent;
        }
        final long nanos = IsoTime.parse(value);
        if (nanos == IsoTime.INVALID)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                option + " must be " + IsoTime.EXPECTED + " (UTC unless an offset is given)").with(option, value);
        }
        return nanos;
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.Timeframe;

/**
 * The engine's validation rules (CONTRACT.md), checked row by row while a file is read so a bad row is named by its
 * line and the rule it breaks in the importer's words ({@code high 10.5 is below low 11.0}) before anything is
 * written. The engine checks again on write.
 */
final class BarRules
{
    private BarRules()
    {
    }

    /** Null when the bar is valid, else the first rule it breaks. */
    static String check(
        final Timeframe tf, final long ts, final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades)
    {
        if (ts >= 0 && tf.isAligned(ts) &&
            Double.isFinite(open) && Double.isFinite(high) && Double.isFinite(low) && Double.isFinite(close) &&
            Double.isFinite(volume) && !Double.isInfinite(vwap) &&
            low <= Math.min(open, close) && high >= Math.max(open, close) && low <= high &&
            volume >= 0 && trades >= -1)
        {
            return null;
        }
        return explain(tf, ts, open, high, low, close, volume, vwap, trades);
    }

    private static String explain(
        final Timeframe tf, final long ts, final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades)
    {
        if (ts < 0)
        {
            return "ts " + CivilTime.iso(ts) + " is before 1970-01-01T00:00:00Z";
        }
        if (!tf.isAligned(ts))
        {
            return "ts " + CivilTime.iso(ts) + " is not aligned to the " + tf.label() + " timeframe" + alignmentHint(tf);
        }
        String bad = finite("open", open);
        bad = bad != null ? bad : finite("high", high);
        bad = bad != null ? bad : finite("low", low);
        bad = bad != null ? bad : finite("close", close);
        bad = bad != null ? bad : finite("volume", volume);
        if (bad != null)
        {
            return bad;
        }
        if (Double.isInfinite(vwap))
        {
            return "vwap " + CivilTime.number(vwap) + " is not a finite number";
        }
        if (high < low)
        {
            return "high " + CivilTime.number(high) + " is below low " + CivilTime.number(low);
        }
        if (low > open)
        {
            return "low " + CivilTime.number(low) + " is above open " + CivilTime.number(open);
        }
        if (low > close)
        {
            return "low " + CivilTime.number(low) + " is above close " + CivilTime.number(close);
        }
        if (high < open)
        {
            return "high " + CivilTime.number(high) + " is below open " + CivilTime.number(open);
        }
        if (high < close)
        {
            return "high " + CivilTime.number(high) + " is below close " + CivilTime.number(close);
        }
        if (volume < 0)
        {
            return "volume " + CivilTime.number(volume) + " is negative";
        }
        return "trades " + trades + " is negative";
    }

    /** Why a ts is not aligned, in terms the user can act on. */
    static String alignmentHint(final Timeframe tf)
    {
        return switch (tf)
        {
            case D1 -> " (daily bars open at 00:00 UTC; for bars stamped at the exchange's midnight or close, give " +
                "--tz with its time zone to take its local date)";
            case W1 -> " (weekly bars open on Monday 00:00 UTC)";
            default -> " (a " + tf.label() + " bar opens at a multiple of " + tf.label() + " since 00:00 UTC)";
        };
    }

    private static String finite(final String field, final double value)
    {
        return Double.isFinite(value) ? null : field + " " + CivilTime.number(value) + " is not a finite number";
    }
}

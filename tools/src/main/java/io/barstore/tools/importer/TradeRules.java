package io.barstore.tools.importer;

import io.barstore.engine.Timeframe;

/** What a trade must be to count, and which bar it falls in. */
final class TradeRules
{
    private TradeRules()
    {
    }

    /** Null when the trade is valid: ts from 1970, a finite price (negative is allowed: some futures), size >= 0. */
    static String check(final long ts, final double price, final double size)
    {
        if (ts >= 0 && Double.isFinite(price) && Double.isFinite(size) && size >= 0)
        {
            return null;
        }
        if (ts < 0)
        {
            return "ts " + CivilTime.iso(ts) + " is before 1970-01-01T00:00:00Z";
        }
        if (!Double.isFinite(price))
        {
            return "price " + CivilTime.number(price) + " is not a finite number";
        }
        if (!Double.isFinite(size))
        {
            return "size " + CivilTime.number(size) + " is not a finite number";
        }
        return "size " + CivilTime.number(size) + " is negative";
    }

    /**
     * The open time of the bar holding a trade at {@code ts}: the timeframe's floor in UTC; for 1d and 1w bars with
     * an exchange zone, the bar of the trade's local date there (an evening trade in New York belongs to that day, not
     * to the next UTC day).
     */
    static long barOf(final Timeframe timeframe, final long ts, final ZoneConverter dailyZone)
    {
        if (dailyZone != null && (timeframe == Timeframe.D1 || timeframe == Timeframe.W1))
        {
            return timeframe.floor(dailyZone.localDateMidnightUtc(ts));
        }
        return timeframe.floor(ts);
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.Timeframe;

import java.time.ZoneId;
import java.util.Locale;

/**
 * Polygon.io / Massive flat files of aggregates: {@code ticker,volume,open,close,high,low,window_start,transactions},
 * many tickers a file, {@code window_start} in epoch nanoseconds, no vwap. Minute files are {@code minute_aggs_v1/...},
 * day files {@code day_aggs_v1/...}; their day bars open at midnight New York time (04:00 or 05:00 UTC), which becomes
 * 00:00 UTC of that date. Crypto and forex day bars already open at 00:00 UTC and stay as they are.
 */
final class PolygonPreset extends CsvPreset
{
    static final PolygonPreset INSTANCE = new PolygonPreset();

    private PolygonPreset()
    {
    }

    ImportFormat format()
    {
        return ImportFormat.POLYGON;
    }

    int position(final Role role, final int fieldCount)
    {
        return switch (role)
        {
            case SYMBOL -> 1;
            case VOLUME -> 2;
            case OPEN -> 3;
            case CLOSE -> 4;
            case HIGH -> 5;
            case LOW -> 6;
            case TS -> 7;
            case TRADES -> fieldCount >= 8 ? 8 : 0;
            default -> 0;
        };
    }

    Timeframe timeframe(final String fileName)
    {
        final String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.contains("minute_aggs"))
        {
            return Timeframe.M1;
        }
        if (lower.contains("day_aggs"))
        {
            return Timeframe.D1;
        }
        return null;
    }

    ZoneId zone()
    {
        return NEW_YORK;
    }

    TsUnit tsUnit()
    {
        return TsUnit.NS;
    }

    String timeframeHint()
    {
        return "--timeframe 1m for minute aggregates, 1d for day aggregates";
    }

    /** A header with these columns is a Polygon file. */
    static boolean recognises(final java.util.Set<String> names)
    {
        return names.contains("ticker") && names.contains("windowstart") && names.contains("open") &&
            names.contains("high") && names.contains("low") && names.contains("close");
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.Timeframe;

import java.util.Set;

/**
 * Yahoo Finance ({@code Date,Open,High,Low,Close,Adj Close,Volume}) and Stooq ({@code Date,Open,High,Low,Close,Volume})
 * daily downloads: one symbol a file, a date a row, so the bars are 1d (a weekly download takes {@code --timeframe
 * 1w}). {@code Adj Close} is not stored: barstore keeps the prices as traded.
 */
final class YahooPreset extends CsvPreset
{
    static final YahooPreset INSTANCE = new YahooPreset();

    private YahooPreset()
    {
    }

    ImportFormat format()
    {
        return ImportFormat.YAHOO;
    }

    int position(final Role role, final int fieldCount)
    {
        final boolean adjusted = fieldCount >= 7;
        return switch (role)
        {
            case TS -> 1;
            case OPEN -> 2;
            case HIGH -> 3;
            case LOW -> 4;
            case CLOSE -> 5;
            case VOLUME -> adjusted ? 7 : 6;
            default -> 0;
        };
    }

    Timeframe timeframe(final String fileName)
    {
        return Timeframe.D1;
    }

    /** Date, open, high, low, close, and Yahoo's adjusted close or a date in the first data row. */
    static boolean recognises(final Set<String> names, final boolean firstValueIsDate)
    {
        return names.contains("date") && names.contains("open") && names.contains("high") && names.contains("low") &&
            names.contains("close") && !names.contains("time") && !names.contains("symbol") &&
            !names.contains("ticker") && (names.contains("adjclose") || firstValueIsDate);
    }
}

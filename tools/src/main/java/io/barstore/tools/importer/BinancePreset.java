package io.barstore.tools.importer;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binance klines CSV (data.binance.vision): 12 columns, open time, open, high, low, close, volume, close time, quote
 * asset volume, number of trades, taker buy base volume, taker buy quote volume, ignore. Open times are epoch ms (µs
 * in spot files from 2025 on; told apart by magnitude). Older files have no header, newer ones
 * {@code open_time,open,high,low,close,volume,close_time,quote_volume,count,...}; columns are taken by position
 * either way. vwap is the quote volume over the volume. The file name ({@code BTCUSDT-1m-2024-01.csv}, {@code .zip}) gives the
 * symbol and timeframe when {@code --symbol} and {@code --timeframe} do not.
 */
final class BinancePreset extends CsvPreset
{
    static final BinancePreset INSTANCE = new BinancePreset();
    static final int FIELDS = 12;

    private static final Pattern FILE_NAME = Pattern.compile("([A-Za-z0-9]+)-([0-9]+[a-zA-Z]+)-\\d{4}-\\d{2}(-\\d{2})?(\\.[A-Za-z0-9]+)*");

    private BinancePreset()
    {
    }

    ImportFormat format()
    {
        return ImportFormat.BINANCE;
    }

    int position(final Role role, final int fieldCount)
    {
        return switch (role)
        {
            case TS -> 1;
            case OPEN -> 2;
            case HIGH -> 3;
            case LOW -> 4;
            case CLOSE -> 5;
            case VOLUME -> 6;
            case QUOTE_VOLUME -> 8;
            case TRADES -> 9;
            default -> 0;
        };
    }

    boolean positionsOnly()
    {
        return true;
    }

    int fixedFieldCount()
    {
        return FIELDS;
    }

    Timeframe timeframe(final String fileName)
    {
        final Matcher m = FILE_NAME.matcher(baseName(fileName));
        if (m.matches())
        {
            try
            {
                return Timeframe.parse(m.group(2));
            }
            catch (final BarStoreException ex)
            {
                return null; // 3m, 6h, 1mo...: not a barstore timeframe; --timeframe must say
            }
        }
        return null;
    }

    String symbol(final String fileName)
    {
        final Matcher m = FILE_NAME.matcher(baseName(fileName));
        if (m.matches())
        {
            try
            {
                SeriesKey.validateSymbol(m.group(1));
                return m.group(1);
            }
            catch (final BarStoreException ex)
            {
                return null;
            }
        }
        return null;
    }

    private static String baseName(final String fileName)
    {
        final Path name = Path.of(fileName).getFileName();
        return name == null ? fileName : name.toString();
    }

    /** A header with an open time, a close time and a quote volume. */
    static boolean recognises(final Set<String> names)
    {
        return names.contains("opentime") && names.contains("closetime") &&
            (names.contains("quotevolume") || names.contains("quoteassetvolume"));
    }

    /** No header: 12 fields, the open and close times epoch ms or µs. */
    static boolean recognisesRow(final List<String> fields)
    {
        return fields.size() == FIELDS && isEpochMillisOrMicros(fields.get(0)) && isEpochMillisOrMicros(fields.get(6));
    }

    private static boolean isEpochMillisOrMicros(final String field)
    {
        final String s = field.trim();
        if (s.length() != 13 && s.length() != 16)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }
}

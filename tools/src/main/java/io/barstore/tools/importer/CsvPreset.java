package io.barstore.tools.importer;

import io.barstore.engine.Timeframe;

import java.time.ZoneId;

/**
 * What a CSV format says about its files: the names each column goes by in a header, the positions of the columns
 * when there is none, and the timeframe, time zone, ts unit and symbol its files imply. The generic CSV is this base
 * class; each vendor preset overrides what it knows.
 */
class CsvPreset
{
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Header names (normalised: lower case, letters and digits only) per role, in order of preference. */
    private static final String[][] ALIASES = new String[Role.VALUES.length][];

    static
    {
        alias(Role.TS, "ts", "timestamp", "time", "datetime", "date", "t", "opentime", "windowstart", "starttime",
            "begin", "bartime", "siptimestamp", "transacttime", "tradetime");
        alias(Role.OPEN, "open", "o", "openprice", "first");
        alias(Role.HIGH, "high", "h", "highprice", "max");
        alias(Role.LOW, "low", "l", "lowprice", "min");
        alias(Role.CLOSE, "close", "c", "closeprice", "last");
        alias(Role.VOLUME, "volume", "v", "vol", "totalvolume");
        alias(Role.VWAP, "vwap", "vw", "averageprice", "avgprice");
        alias(Role.TRADES, "trades", "n", "transactions", "count", "numberoftrades", "tradecount", "numtrades");
        alias(Role.SYMBOL, "symbol", "ticker", "sym", "instrument");
        alias(Role.QUOTE_VOLUME, "quotevolume", "quoteassetvolume");
        alias(Role.PRICE, "price", "p", "px", "tradeprice");
        alias(Role.SIZE, "size", "s", "qty", "quantity", "amount", "volume", "v", "tradesize");
    }

    static final CsvPreset GENERIC = new CsvPreset();

    private static void alias(final Role role, final String... names)
    {
        ALIASES[role.ordinal()] = names;
    }

    static CsvPreset of(final ImportFormat format)
    {
        return switch (format)
        {
            case POLYGON -> PolygonPreset.INSTANCE;
            case BINANCE -> BinancePreset.INSTANCE;
            case YAHOO -> YahooPreset.INSTANCE;
            case TRADES -> TradesPreset.INSTANCE;
            default -> GENERIC;
        };
    }

    ImportFormat format()
    {
        return ImportFormat.CSV;
    }

    /** True for a file of trades to aggregate rather than of bars. */
    boolean trades()
    {
        return false;
    }

    Role[] roles()
    {
        return Role.BAR_ROLES;
    }

    String[] aliases(final Role role)
    {
        final String[] names = ALIASES[role.ordinal()];
        return names == null ? new String[0] : names;
    }

    /**
     * The 1-based column of {@code role} in a file without a header (or in every file, when
     * {@link #positionsOnly()}); 0 when the format has no such column.
     */
    int position(final Role role, final int fieldCount)
    {
        return switch (role)
        {
            case TS -> 1;
            case OPEN -> 2;
            case HIGH -> 3;
            case LOW -> 4;
            case CLOSE -> 5;
            case VOLUME -> fieldCount >= 6 ? 6 : 0;
            case VWAP -> fieldCount >= 7 ? 7 : 0;
            case TRADES -> fieldCount >= 8 ? 8 : 0;
            default -> 0;
        };
    }

    /** True when columns are found by position even when the file has a header (its names are fixed). */
    boolean positionsOnly()
    {
        return false;
    }

    /** The number of columns every row must have; 0 for "as many as the header or the first row". */
    int fixedFieldCount()
    {
        return 0;
    }

    /** The timeframe the file implies (by format or file name); null when {@code --timeframe} must say. */
    Timeframe timeframe(final String fileName)
    {
        return null;
    }

    /** The exchange's zone used for daily bars stamped at a local time; null for none. */
    ZoneId zone()
    {
        return null;
    }

    TsUnit tsUnit()
    {
        return TsUnit.AUTO;
    }

    /** The symbol the file name implies; null when {@code --symbol} or a symbol column must say. */
    String symbol(final String fileName)
    {
        return null;
    }

    /** For a message: an example of the timeframe option this format needs. */
    String timeframeHint()
    {
        return "e.g. --timeframe 1m";
    }

    /** Normalises a header name for matching: lower case, letters and digits only ("Adj Close" is "adjclose"). */
    static String normalise(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isLetterOrDigit(c))
            {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}

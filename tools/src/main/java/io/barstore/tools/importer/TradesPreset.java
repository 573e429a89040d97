package io.barstore.tools.importer;

import java.util.Set;

/**
 * A file of trades, {@code ts, price, size} (and optionally a symbol column), made into bars of the timeframe given.
 * Headers from Polygon ({@code sip_timestamp,price,size}) and Binance ({@code price,qty,time},
 * {@code price,quantity,transact_time}) are recognised; without a header the first three columns are ts, price, size.
 */
final class TradesPreset extends CsvPreset
{
    static final TradesPreset INSTANCE = new TradesPreset();

    private TradesPreset()
    {
    }

    ImportFormat format()
    {
        return ImportFormat.TRADES;
    }

    boolean trades()
    {
        return true;
    }

    Role[] roles()
    {
        return Role.TRADE_ROLES;
    }

    int position(final Role role, final int fieldCount)
    {
        return switch (role)
        {
            case TS -> 1;
            case PRICE -> 2;
            case SIZE -> fieldCount >= 3 ? 3 : 0;
            default -> 0;
        };
    }

    /** A price column and no open or close: trades. */
    static boolean recognises(final Set<String> names)
    {
        final boolean price = names.contains("price") || names.contains("p") || names.contains("px") ||
            names.contains("tradeprice");
        return price && !names.contains("open") && !names.contains("close") && !names.contains("o") &&
            !names.contains("c");
    }
}

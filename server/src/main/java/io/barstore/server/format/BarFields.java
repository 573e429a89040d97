package io.barstore.server.format;

import io.barstore.engine.Column;

/**
 * The names a bar's fields go by in ingest bodies (JSON fields, CSV header cells, Arrow columns): the Arrow column
 * names of CONTRACT.md and the one-letter names of Alpaca's and Polygon's bar APIs.
 */
final class BarFields
{
    /** For messages: what a bar has. */
    static final String NAMES = "ts, open, high, low, close, volume and, optionally, vwap and trades";

    private BarFields()
    {
    }

    /** The column {@code name} stands for, matched exactly; null for any other name. Allocates nothing. */
    static Column byName(final String name)
    {
        switch (name)
        {
            case "ts":
            case "t":
            case "timestamp":
                return Column.TS;
            case "open":
            case "o":
                return Column.OPEN;
            case "high":
            case "h":
                return Column.HIGH;
            case "low":
            case "l":
                return Column.LOW;
            case "close":
            case "c":
                return Column.CLOSE;
            case "volume":
            case "v":
                return Column.VOLUME;
            case "vwap":
            case "vw":
                return Column.VWAP;
            case "trades":
            case "n":
            case "trade_count":
                return Column.TRADES;
            default:
                return null;
        }
    }

    /** vwap and trades may be left out (unknown); every other field is required. */
    static boolean required(final Column column)
    {
        return column != Column.VWAP && column != Column.TRADES;
    }

    /** A bit per column, for sets of columns seen in a row. */
    static int bit(final Column column)
    {
        return 1 << column.ordinal();
    }
}

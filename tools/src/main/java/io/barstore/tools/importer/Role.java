package io.barstore.tools.importer;

/** What a CSV column holds. */
enum Role
{
    NONE("", null),
    TS("ts", "--ts-col"),
    OPEN("open", "--open-col"),
    HIGH("high", "--high-col"),
    LOW("low", "--low-col"),
    CLOSE("close", "--close-col"),
    VOLUME("volume", "--volume-col"),
    VWAP("vwap", "--vwap-col"),
    TRADES("trades", "--trades-col"),
    SYMBOL("symbol", "--symbol-col"),
    /** Binance's quote asset volume: vwap = quote volume / volume. */
    QUOTE_VOLUME("quote volume", null),
    PRICE("price", "--price-col"),
    SIZE("size", "--size-col");

    static final Role[] VALUES = values();
    /** The roles of a file of bars, in the order they are resolved. */
    static final Role[] BAR_ROLES = {TS, OPEN, HIGH, LOW, CLOSE, VOLUME, VWAP, TRADES, SYMBOL, QUOTE_VOLUME};
    static final Role[] TRADE_ROLES = {TS, PRICE, SIZE, SYMBOL};

    private final String label;
    private final String option;

    Role(final String label, final String option)
    {
        this.label = label;
        this.option = option;
    }

    String label()
    {
        return label;
    }

    /** The flag that names this role's column; null when there is none. */
    String option()
    {
        return option;
    }

    boolean requiredForBars()
    {
        return this == TS || this == OPEN || this == HIGH || this == LOW || this == CLOSE;
    }

    boolean requiredForTrades()
    {
        return this == TS || this == PRICE;
    }
}

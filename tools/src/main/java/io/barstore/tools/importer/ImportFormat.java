package io.barstore.tools.importer;

import java.util.Locale;

/** The input formats {@code barstore import} reads; {@link #AUTO} recognises each file from its first lines. */
public enum ImportFormat
{
    /** Recognise the format of each file from its header (or its first character: JSON). */
    AUTO("auto"),
    /** Any CSV of bars: columns found by name in the header, by {@code --*-col} flags, or by position. */
    CSV("csv"),
    /** Polygon/Massive flat-file aggregates: {@code ticker,volume,open,close,high,low,window_start,transactions}. */
    POLYGON("polygon"),
    /** Alpaca bars JSON: {@code {"bars":{"AAPL":[{"t","o","h","l","c","v","n","vw"}]}}} or the single-symbol form. */
    ALPACA("alpaca"),
    /** Binance klines CSV: 12 columns, open time in ms (µs in newer files), usually no header. */
    BINANCE("binance"),
    /** Yahoo Finance or Stooq daily CSV: {@code Date,Open,High,Low,Close[,Adj Close],Volume}. */
    YAHOO("yahoo"),
    /** Trades ({@code ts, price, size}) made into bars of the chosen timeframe. */
    TRADES("trades");

    private final String label;

    ImportFormat(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    /** Case-insensitive; null when unknown. */
    public static ImportFormat byLabel(final String text)
    {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        for (final ImportFormat f : values())
        {
            if (f.label.equals(lower))
            {
                return f;
            }
        }
        return null;
    }

    public String toString()
    {
        return label;
    }
}

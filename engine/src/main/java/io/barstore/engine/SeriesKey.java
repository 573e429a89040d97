package io.barstore.engine;

/**
 * Names one series of bars: a symbol at a timeframe from a source (a vendor name, {@code default} unless given).
 * Construction validates the symbol and source, so a key that exists is safe to turn into a path.
 */
public record SeriesKey(String symbol, Timeframe timeframe, String source)
{
    public static final String DEFAULT_SOURCE = "default";
    public static final int MAX_SYMBOL_LENGTH = 64;
    public static final int MAX_SOURCE_LENGTH = 32;

    public SeriesKey
    {
        validateSymbol(symbol);
        validateSource(source);
        if (timeframe == null)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "timeframe is required");
        }
    }

    public static SeriesKey of(final String symbol, final Timeframe timeframe)
    {
        return new SeriesKey(symbol, timeframe, DEFAULT_SOURCE);
    }

    public static SeriesKey of(final String symbol, final Timeframe timeframe, final String source)
    {
        return new SeriesKey(symbol, timeframe, source == null || source.isEmpty() ? DEFAULT_SOURCE : source);
    }

    /**
     * Checks the symbol rule of CONTRACT.md: 1 to 64 characters from letters, digits and {@code . _ - / : ^ = +}.
     *
     * @throws BarStoreException of category {@code BAD_INPUT} naming the first bad character and its position.
     */
    public static void validateSymbol(final String symbol)
    {
        if (symbol == null || symbol.isEmpty())
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "symbol is empty; give 1 to 64 characters");
        }
        if (symbol.length() > MAX_SYMBOL_LENGTH)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "symbol is longer than " + MAX_SYMBOL_LENGTH + " characters")
                .with("symbol", symbol.substring(0, 16) + "...").with("length", symbol.length());
        }
        for (int i = 0; i < symbol.length(); i++)
        {
            final char c = symbol.charAt(i);
            if (!isSymbolChar(c))
            {
                throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                    "symbol has a character that is not allowed; use letters, digits and . _ - / : ^ = +")
                    .with("symbol", printable(symbol)).with("character", describe(c)).with("position", i);
            }
        }
    }

    /** Sources are vendor names: 1 to 32 of {@code a-z A-Z 0-9 _ -}. */
    public static void validateSource(final String source)
    {
        if (source == null || source.isEmpty() || source.length() > MAX_SOURCE_LENGTH)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "source must be 1 to " + MAX_SOURCE_LENGTH + " characters").with("source", source);
        }
        for (int i = 0; i < source.length(); i++)
        {
            final char c = source.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                    "source has a character that is not allowed; use letters, digits, _ and -")
                    .with("source", printable(source)).with("character", describe(c)).with("position", i);
            }
        }
    }

    private static boolean isSymbolChar(final char c)
    {
        return isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '^' ||
            c == '=' || c == '+';
    }

    private static boolean isAsciiLetterOrDigit(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String describe(final char c)
    {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int)c);
    }

    private static String printable(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int)c));
        }
        return sb.toString();
    }

    public String toString()
    {
        return symbol + "/" + timeframe.label() + "/" + source;
    }
}

package io.barstore.tools.importer;

import java.util.Locale;

/** How the timestamp column is written; {@link #AUTO} decides from the first value of each file. */
public enum TsUnit
{
    /** Digits: epoch seconds, ms, µs or ns by magnitude (8 digits that are a valid yyyymmdd: a date); else ISO-8601. */
    AUTO("auto", 0),
    S("s", 1_000_000_000L),
    MS("ms", 1_000_000L),
    US("us", 1_000L),
    NS("ns", 1L),
    /** ISO-8601: {@code 2024-01-02T14:30:00Z}, {@code 2024-01-02 14:30:00.5+01:00}, or a date. */
    ISO("iso", 0),
    /** A date: {@code 2024-01-02} or {@code 20240102}; the bar opens at 00:00 UTC of that date. */
    DATE("date", 0);

    private final String label;
    private final long nanosPerUnit;

    TsUnit(final String label, final long nanosPerUnit)
    {
        this.label = label;
        this.nanosPerUnit = nanosPerUnit;
    }

    public String label()
    {
        return label;
    }

    /** Nanoseconds in one unit of an epoch unit, 0 for the others. */
    long nanosPerUnit()
    {
        return nanosPerUnit;
    }

    boolean isEpoch()
    {
        return nanosPerUnit != 0;
    }

    /** Case-insensitive, {@code µs} too; null when unknown. */
    public static TsUnit byLabel(final String text)
    {
        final String lower = text.trim().toLowerCase(Locale.ROOT).replace('µ', 'u');
        for (final TsUnit u : values())
        {
            if (u.label.equals(lower))
            {
                return u;
            }
        }
        return null;
    }

    public String toString()
    {
        return label;
    }
}

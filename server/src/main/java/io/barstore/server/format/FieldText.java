package io.barstore.server.format;

/**
 * One value as text in a reused char buffer, for writers that must not allocate per bar. Doubles are written as
 * {@link Double#toString(double)} writes them ({@code 1.0}, {@code 187.25}, {@code 1.0E-5}), which JSON, CSV readers,
 * pandas and polars all read back exactly: prices and volumes by {@link ShortDecimal}, anything with more digits by
 * {@link StringBuilder}, which on JDK 17 appends a double or long without creating a String (the chars are then
 * copied out). Timestamps keep their own buffer, whose date part is rewritten only when the day changes: bars come
 * in time order, so most share the previous bar's date.
 */
final class FieldText
{
    private final StringBuilder builder = new StringBuilder(32);
    private final char[] numberChars = new char[64];
    private final char[] tsChars = new char[IsoTime.MAX_LENGTH];
    private long tsDay = Long.MIN_VALUE;
    private char[] chars = numberChars;
    private int length;

    FieldText ofDouble(final double value)
    {
        chars = numberChars;
        length = ShortDecimal.format(value, chars, 0);
        if (length >= 0)
        {
            return this;
        }
        builder.setLength(0);
        builder.append(value);
        return copyOut();
    }

    FieldText ofLong(final long value)
    {
        chars = numberChars;
        builder.setLength(0);
        builder.append(value);
        return copyOut();
    }

    FieldText ofTs(final long epochNanos)
    {
        chars = tsChars;
        final long day = IsoTime.day(epochNanos);
        if (day != tsDay)
        {
            IsoTime.formatDate(day, tsChars, 0);
            tsDay = day;
        }
        length = IsoTime.formatTime(epochNanos, tsChars, IsoTime.DATE_LENGTH);
        return this;
    }

    /** The chars of the last value, from index 0; valid until the next call. */
    char[] chars()
    {
        return chars;
    }

    int length()
    {
        return length;
    }

    private FieldText copyOut()
    {
        length = builder.length();
        builder.getChars(0, length, chars, 0);
        return this;
    }
}

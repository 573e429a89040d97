package io.barstore.server.format;

/**
 * One value as text in a reused char buffer, for writers that must not allocate per bar: {@link StringBuilder} on
 * JDK 17 appends a double or long without creating a String, and the chars are copied out to {@link #chars()}.
 * Doubles are written as {@link Double#toString(double)} writes them ({@code 1.0}, {@code 187.25}, {@code 1.0E-5}),
 * which JSON, CSV readers, pandas and polars all read back exactly.
 */
final class FieldText
{
    private final StringBuilder builder = new StringBuilder(32);
    private final char[] chars = new char[Math.max(64, IsoTime.MAX_LENGTH)];
    private int length;

    FieldText ofDouble(final double value)
    {
        builder.setLength(0);
        builder.append(value);
        return copyOut();
    }

    FieldText ofLong(final long value)
    {
        builder.setLength(0);
        builder.append(value);
        return copyOut();
    }

    FieldText ofTs(final long epochNanos)
    {
        length = IsoTime.format(epochNanos, chars, 0);
        return this;
    }

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

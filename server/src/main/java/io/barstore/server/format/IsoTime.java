package io.barstore.server.format;

/**
 * ISO-8601 timestamps to and from epoch nanoseconds (UTC) over char arrays, allocating nothing: the JSON and CSV
 * writers and readers call it once a bar, and query parameters go through the same parser so every place accepts the
 * same text.
 * <p>
 * Written: {@code 2025-01-02T14:30:00Z}, with fractional seconds only when non-zero, in groups of three digits as
 * {@link java.time.Instant#toString()} does ({@code .5} is written {@code .500}).
 * <p>
 * Read: {@code 2025-01-02} (UTC midnight), or a date, {@code T} (or a space), {@code HH:MM[:SS[.fraction]]} with up to
 * nine fraction digits, then {@code Z}, an offset ({@code +02:00}, {@code +0200}, {@code +02}) or nothing (UTC).
 * Surrounding spaces are ignored. Years 1678 to 2261: the instants that fit a long of nanoseconds.
 */
public final class IsoTime
{
    /** What {@link #parse} returns for text it cannot read; no readable instant maps to it. */
    public static final long INVALID = Long.MIN_VALUE;
    /** The longest text {@link #format} writes: {@code 2025-01-02T14:30:00.123456789Z}. */
    public static final int MAX_LENGTH = 30;
    /** The length of the date part, {@code 2025-01-02T}. */
    static final int DATE_LENGTH = 11;
    /** What error messages show as the accepted forms. */
    public static final String EXPECTED = "an ISO-8601 instant such as 2025-01-02T14:30:00Z or a date such as 2025-01-02";

    static final int MIN_YEAR = 1678;
    static final int MAX_YEAR = 2261;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar (Hinnant's civil-date algorithms). */
    private static final long EPOCH_SHIFT_DAYS = 719_468L;
    private static final long DAYS_PER_ERA = 146_097L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private IsoTime()
    {
    }

    /** Writes {@code epochNanos} at {@code dst[offset]}; returns the number of chars written (at most {@link #MAX_LENGTH}). */
    public static int format(final long epochNanos, final char[] dst, final int offset)
    {
        final int p = formatDate(day(epochNanos), dst, offset);
        return formatTime(epochNanos, dst, p) - offset;
    }

    /** The day {@code epochNanos} falls on, counted from 1970-01-01: what {@link #formatDate} writes. */
    static long day(final long epochNanos)
    {
        return Math.floorDiv(epochNanos, NANOS_PER_SECOND * SECONDS_PER_DAY);
    }

    /** Writes the {@link #DATE_LENGTH} chars {@code 2025-01-02T} of {@code day} at {@code p}; returns the index after. */
    static int formatDate(final long day, final char[] dst, final int p)
    {
        final long z = day + EPOCH_SHIFT_DAYS;
        final long era = Math.floorDiv(z, DAYS_PER_ERA);
        final long dayOfEra = z - era * DAYS_PER_ERA;
        final long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long mp = (5 * dayOfYear + 2) / 153;
        final int dayOfMonth = (int)(dayOfYear - (153 * mp + 2) / 5 + 1);
        final int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        final long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        int q = digits(dst, p, (int)year, 4);
        dst[q++] = '-';
        q = digits(dst, q, month, 2);
        dst[q++] = '-';
        q = digits(dst, q, dayOfMonth, 2);
        dst[q++] = 'T';
        return q;
    }

    /** Writes the time of day of {@code epochNanos}, {@code 14:30:00[.fraction]Z}, at {@code p}; returns the index after. */
    static int formatTime(final long epochNanos, final char[] dst, final int p)
    {
        final long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        final int nanos = (int)Math.floorMod(epochNanos, NANOS_PER_SECOND);
        final int secondOfDay = (int)Math.floorMod(seconds, SECONDS_PER_DAY);
        int q = digits(dst, p, secondOfDay / 3600, 2);
        dst[q++] = ':';
        q = digits(dst, q, secondOfDay / 60 % 60, 2);
        dst[q++] = ':';
        q = digits(dst, q, secondOfDay % 60, 2);
        if (nanos != 0)
        {
            dst[q++] = '.';
            if (nanos % 1_000_000 == 0)
            {
                q = digits(dst, q, nanos / 1_000_000, 3);
            }
            else if (nanos % 1_000 == 0)
            {
                q = digits(dst, q, nanos / 1_000, 6);
            }
            else
            {
                q = digits(dst, q, nanos, 9);
            }
        }
        dst[q++] = 'Z';
        return q;
    }

    /** {@link #format} to a new String, for cold paths (headers, catalogue responses). */
    public static String toString(final long epochNanos)
    {
        final char[] chars = new char[MAX_LENGTH];
        return new String(chars, 0, format(epochNanos, chars, 0));
    }

    /** Parses {@code text} (see the class comment); {@link #INVALID} when it is not a timestamp barstore reads. */
    public static long parse(final CharSequence text)
    {
        final char[] chars = new char[text.length()];
        for (int i = 0; i < chars.length; i++)
        {
            chars[i] = text.charAt(i);
        }
        return parse(chars, 0, chars.length);
    }

    /** Parses {@code length} chars from {@code offset} (see the class comment); {@link #INVALID} when unreadable. */
    public static long parse(final char[] s, final int offset, final int length)
    {
        int p = offset;
        int end = offset + length;
        while (p < end && s[p] == ' ')
        {
            p++;
        }
        while (end > p && s[end - 1] == ' ')
        {
            end--;
        }
        if (end - p < 10 || s[p + 4] != '-' || s[p + 7] != '-')
        {
            return INVALID;
        }
        final int year = number(s, p, 4);
        final int month = number(s, p + 5, 2);
        final int day = number(s, p + 8, 2);
        if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        {
            return INVALID;
        }
        p += 10;
        long secondOfDay = 0;
        long nanos = 0;
        long offsetSeconds = 0;
        if (p < end)
        {
            final char separator = s[p];
            if ((separator != 'T' && separator != 't' && separator != ' ') || end - p < 6 || s[p + 3] != ':')
            {
                return INVALID;
            }
            final int hour = number(s, p + 1, 2);
            final int minute = number(s, p + 4, 2);
            int second = 0;
            p += 6;
            if (p < end && s[p] == ':')
            {
                if (end - p < 3)
                {
                    return INVALID;
                }
                second = number(s, p + 1, 2);
                p += 3;
                if (p < end && (s[p] == '.' || s[p] == ','))
                {
                    final int first = ++p;
                    while (p < end && p - first < 10 && s[p] >= '0' && s[p] <= '9')
                    {
                        p++;
                    }
                    final int fractionDigits = p - first;
                    if (fractionDigits == 0 || fractionDigits > 9)
                    {
                        return INVALID;
                    }
                    nanos = (long)number(s, first, fractionDigits) * POWERS_OF_TEN[9 - fractionDigits];
                }
            }
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
            {
                return INVALID;
            }
            secondOfDay = hour * 3600L + minute * 60L + second;
            if (p < end)
            {
                offsetSeconds = zoneOffsetSeconds(s, p, end);
                if (offsetSeconds == INVALID)
                {
                    return INVALID;
                }
            }
        }
        final long seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + secondOfDay - offsetSeconds;
        return seconds * NANOS_PER_SECOND + nanos;
    }

    /** {@code Z}, {@code +HH:MM}, {@code +HHMM} or {@code +HH} filling {@code [p, end)}; {@link #INVALID} otherwise. */
    private static long zoneOffsetSeconds(final char[] s, final int p, final int end)
    {
        final int length = end - p;
        if (length == 1 && (s[p] == 'Z' || s[p] == 'z'))
        {
            return 0;
        }
        if (s[p] != '+' && s[p] != '-')
        {
            return INVALID;
        }
        final int hours;
        final int minutes;
        if (length == 3)
        {
            hours = number(s, p + 1, 2);
            minutes = 0;
        }
        else if (length == 5)
        {
            hours = number(s, p + 1, 2);
            minutes = number(s, p + 3, 2);
        }
        else if (length == 6 && s[p + 3] == ':')
        {
            hours = number(s, p + 1, 2);
            minutes = number(s, p + 4, 2);
        }
        else
        {
            return INVALID;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59)
        {
            return INVALID;
        }
        final long seconds = hours * 3600L + minutes * 60L;
        return s[p] == '-' ? -seconds : seconds;
    }

    /** The decimal number in {@code count} chars from {@code p}, or -1 when one is not a digit. */
    private static int number(final char[] s, final int p, final int count)
    {
        int value = 0;
        for (int i = p; i < p + count; i++)
        {
            final char c = s[i];
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int digits(final char[] dst, final int p, final int value, final int count)
    {
        int v = value;
        for (int i = p + count - 1; i >= p; i--)
        {
            dst[i] = (char)('0' + v % 10);
            v /= 10;
        }
        return p + count;
    }

    private static int daysInMonth(final int year, final int month)
    {
        switch (month)
        {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static long daysFromCivil(final int year, final int month, final int day)
    {
        final long y = month <= 2 ? year - 1 : year;
        final long era = Math.floorDiv(y, 400);
        final long yearOfEra = y - era * 400;
        final long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT_DAYS;
    }
}

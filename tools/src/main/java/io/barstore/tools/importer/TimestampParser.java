package io.barstore.tools.importer;

/**
 * Bar open times from a char buffer to epoch nanoseconds (UTC), allocating nothing unless the value is bad.
 * <p>
 * Accepted: epoch seconds, ms, µs or ns (digits, optionally with a fraction); ISO-8601 date-times
 * ({@code 2024-01-02T14:30:00Z}, a space for the {@code T}, fractional seconds, {@code Z}, {@code +01:00}, {@code +0100},
 * {@code UTC}); dates ({@code 2024-01-02}, {@code 2024/01/02}, and {@code 20240102} as {@link TsUnit#DATE}). A date-time
 * without an offset is a local time in the zone of {@code --tz} (UTC without it); a date is a calendar date, 00:00 UTC,
 * whatever the zone (bars are stamped with their date, not with the exchange's midnight).
 * <p>
 * With {@link TsUnit#AUTO} the first value of the file decides: digits are epoch seconds below 1e11, ms below 1e14, µs
 * below 1e17, else ns (8 digits that form a valid yyyymmdd between 1900 and 2199 are a date); anything else is
 * ISO-8601. Every later value must be of the same kind and magnitude, so a file that switches units midway is
 * reported at the line where it does rather than stored 1,000 times off.
 */
final class TimestampParser
{
    /** Returned for a value that is not a timestamp; {@link #error()} says why. */
    static final long FAILED = Long.MIN_VALUE;

    private static final long MAX_EPOCH_SECONDS = Long.MAX_VALUE / CivilTime.NANOS_PER_SECOND - 1;
    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L};

    private final TsUnit configured;
    private final ZoneConverter zone;
    /** What the values of this file are: configured, or decided by the first value under AUTO. */
    private TsUnit kind;
    private boolean wasDate;
    private String error;

    /** @param zone local times' zone; null for UTC. */
    TimestampParser(final TsUnit unit, final ZoneConverter zone)
    {
        this.configured = unit;
        this.zone = zone;
        this.kind = unit == TsUnit.AUTO ? null : unit;
    }

    /** What the file's timestamps turned out to be (null before the first value under AUTO). */
    TsUnit kind()
    {
        return kind;
    }

    /** True when the last value parsed was a date without a time. */
    boolean wasDate()
    {
        return wasDate;
    }

    String error()
    {
        return error;
    }

    long parse(final char[] b, final int offset, final int length)
    {
        int i = offset;
        int end = offset + length;
        while (i < end && (b[i] == ' ' || b[i] == '\t'))
        {
            i++;
        }
        while (end > i && (b[end - 1] == ' ' || b[end - 1] == '\t'))
        {
            end--;
        }
        wasDate = false;
        if (i == end)
        {
            return fail("ts is empty");
        }
        if (kind == null)
        {
            kind = detect(b, i, end);
        }
        return switch (kind)
        {
            case S, MS, US, NS -> epoch(b, i, end);
            case DATE -> date(b, i, end);
            default -> iso(b, i, end);
        };
    }

    private static TsUnit detect(final char[] b, final int start, final int end)
    {
        int i = start;
        if (b[i] == '-' || b[i] == '+')
        {
            i++;
        }
        final int digitsStart = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9')
        {
            value = i - digitsStart < 19 ? value * 10 + (b[i] - '0') : Long.MAX_VALUE;
            i++;
        }
        final int digits = i - digitsStart;
        if (digits == 0 || (i < end && b[i] != '.'))
        {
            return TsUnit.ISO;
        }
        if (digits == 8 && i == end && start == digitsStart && isCompactDate(value))
        {
            return TsUnit.DATE;
        }
        return magnitude(value);
    }

    private static boolean isCompactDate(final long value)
    {
        final int year = (int)(value / 10_000);
        return year >= 1900 && year <= 2199 &&
            CivilTime.isValidDate(year, (int)(value / 100 % 100), (int)(value % 100));
    }

    private static TsUnit magnitude(final long value)
    {
        final long abs = Math.abs(value);
        return abs < 100_000_000_000L ? TsUnit.S :
            abs < 100_000_000_000_000L ? TsUnit.MS :
            abs < 100_000_000_000_000_000L ? TsUnit.US : TsUnit.NS;
    }

    private long epoch(final char[] b, final int start, final int end)
    {
        int i = start;
        final boolean negative = b[i] == '-';
        if (negative || b[i] == '+')
        {
            i++;
        }
        final int digitsStart = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9')
        {
            if (i - digitsStart >= 19)
            {
                return fail(b, start, end, "is out of range");
            }
            value = value * 10 + (b[i] - '0');
            i++;
        }
        if (i == digitsStart)
        {
            return fail(b, start, end, "is not an epoch number like the file's first ts (" + describe(kind) + ")");
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < end && b[i] == '.')
        {
            i++;
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                if (fractionDigits < 9)
                {
                    fraction = fraction * 10 + (b[i] - '0');
                    fractionDigits++;
                }
                i++;
            }
        }
        if (i != end)
        {
            return fail(b, start, end, "is not an epoch number like the file's first ts (" + describe(kind) + ")");
        }
        if (configured == TsUnit.AUTO && magnitude(value) != kind && value != 0)
        {
            return fail(b, start, end, "looks like epoch " + describe(magnitude(value)) +
                " but the file's first ts was in " + describe(kind) + "; give --ts-unit if that is right");
        }
        final long unitNanos = kind.nanosPerUnit();
        if (value > Long.MAX_VALUE / unitNanos - 1)
        {
            return fail(b, start, end, "is out of range for epoch " + describe(kind));
        }
        long nanos = value * unitNanos;
        if (fractionDigits > 0)
        {
            nanos += (long)((double)fraction / POWERS_OF_TEN[fractionDigits] * unitNanos);
        }
        return negative ? -nanos : nanos;
    }

    /** {@code 2024-01-02}, {@code 2024/01/02} or {@code 20240102}. */
    private long date(final char[] b, final int start, final int end)
    {
        if (end - start == 8)
        {
            final int year = digits(b, start, 4);
            final int month = digits(b, start + 4, 2);
            final int day = digits(b, start + 6, 2);
            if (year >= 0 && month >= 0 && day >= 0)
            {
                if (!CivilTime.isValidDate(year, month, day))
                {
                    return fail(b, start, end, "is not a valid date");
                }
                wasDate = true;
                return CivilTime.epochDay(year, month, day) * CivilTime.NANOS_PER_DAY;
            }
        }
        if (end - start == 10)
        {
            return iso(b, start, end);
        }
        return fail(b, start, end, "is not a date (2024-01-02 or 20240102)");
    }

    private long iso(final char[] b, final int start, final int end)
    {
        if (end - start < 10)
        {
            return failIso(b, start, end);
        }
        final int year = digits(b, start, 4);
        final char separator = b[start + 4];
        final int month = digits(b, start + 5, 2);
        final int day = digits(b, start + 8, 2);
        if (year < 0 || month < 0 || day < 0 || (separator != '-' && separator != '/') || b[start + 7] != separator)
        {
            return failIso(b, start, end);
        }
        if (!CivilTime.isValidDate(year, month, day) || year < 1 || year > 2261)
        {
            return fail(b, start, end, "is not a valid date");
        }
        final long epochDay = CivilTime.epochDay(year, month, day);
        int i = start + 10;
        if (i == end)
        {
            wasDate = true;
            return epochDay * CivilTime.NANOS_PER_DAY;
        }
        if (kind == TsUnit.DATE)
        {
            return fail(b, start, end, "is not a date (2024-01-02 or 20240102)");
        }
        final char t = b[i];
        if (t != 'T' && t != 't' && t != ' ' || end - i < 6)
        {
            return failIso(b, start, end);
        }
        final int hour = digits(b, i + 1, 2);
        final int minute = b[i + 3] == ':' ? digits(b, i + 4, 2) : -1;
        if (hour < 0 || minute < 0)
        {
            return failIso(b, start, end);
        }
        i += 6;
        int second = 0;
        if (i < end && b[i] == ':')
        {
            second = end - i >= 3 ? digits(b, i + 1, 2) : -1;
            if (second < 0)
            {
                return failIso(b, start, end);
            }
            i += 3;
        }
        if (hour > 23 || minute > 59 || second > 59)
        {
            return fail(b, start, end, "is not a valid time of day");
        }
        long nanos = 0;
        if (i < end && (b[i] == '.' || b[i] == ','))
        {
            i++;
            int fractionDigits = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                if (fractionDigits < 9)
                {
                    nanos = nanos * 10 + (b[i] - '0');
                    fractionDigits++;
                }
                i++;
            }
            if (fractionDigits == 0)
            {
                return failIso(b, start, end);
            }
            nanos *= POWERS_OF_TEN[9 - fractionDigits];
        }
        while (i < end && b[i] == ' ')
        {
            i++;
        }
        final long localSeconds = epochDay * CivilTime.SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        final long utcSeconds;
        if (i == end)
        {
            if (zone == null)
            {
                utcSeconds = localSeconds;
            }
            else
            {
                utcSeconds = zone.toUtcSeconds(localSeconds);
                if (utcSeconds == ZoneConverter.GAP)
                {
                    return fail(b, start, end, "does not exist in " + zone.zone() +
                        " (the clocks skipped it when daylight saving time began)");
                }
            }
        }
        else if (end - i == 1 && (b[i] == 'Z' || b[i] == 'z'))
        {
            utcSeconds = localSeconds;
        }
        else if (NumberParser.equalsIgnoreCase(b, i, end, "utc") || NumberParser.equalsIgnoreCase(b, i, end, "gmt"))
        {
            utcSeconds = localSeconds;
        }
        else if (b[i] == '+' || b[i] == '-')
        {
            final int offset = offsetSeconds(b, i + 1, end);
            if (offset < 0)
            {
                return failIso(b, start, end);
            }
            utcSeconds = localSeconds - (b[i] == '-' ? -offset : offset);
        }
        else
        {
            return failIso(b, start, end);
        }
        if (utcSeconds > MAX_EPOCH_SECONDS)
        {
            return fail(b, start, end, "is out of range");
        }
        return utcSeconds * CivilTime.NANOS_PER_SECOND + nanos;
    }

    /** {@code HH}, {@code HH:MM} or {@code HHMM} after the sign; -1 when malformed. */
    private static int offsetSeconds(final char[] b, final int start, final int end)
    {
        final int length = end - start;
        final int hours = length >= 2 ? digits(b, start, 2) : -1;
        final int minutes;
        if (length == 2)
        {
            minutes = 0;
        }
        else if (length == 4)
        {
            minutes = digits(b, start + 2, 2);
        }
        else if (length == 5 && b[start + 2] == ':')
        {
            minutes = digits(b, start + 3, 2);
        }
        else
        {
            return -1;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59)
        {
            return -1;
        }
        return hours * 3600 + minutes * 60;
    }

    /** The decimal value of {@code count} digits at {@code start}, or -1 when one is not a digit (or out of bounds). */
    private static int digits(final char[] b, final int start, final int count)
    {
        if (start < 0 || start + count > b.length)
        {
            return -1;
        }
        int value = 0;
        for (int i = start; i < start + count; i++)
        {
            final int d = b[i] - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private long failIso(final char[] b, final int start, final int end)
    {
        return fail(b, start, end, configured == TsUnit.AUTO && kind == TsUnit.ISO ?
            "is not an ISO-8601 timestamp like the file's first ts (2024-01-02T14:30:00Z, a date, or give --ts-unit)" :
            "is not an ISO-8601 timestamp (2024-01-02T14:30:00Z or a date)");
    }

    private long fail(final char[] b, final int start, final int end, final String rule)
    {
        return fail("ts \"" + Texts.excerpt(b, start, end - start) + "\" " + rule);
    }

    private long fail(final String message)
    {
        error = message;
        return FAILED;
    }

    static String describe(final TsUnit unit)
    {
        return switch (unit)
        {
            case S -> "seconds";
            case MS -> "milliseconds";
            case US -> "microseconds";
            case NS -> "nanoseconds";
            case DATE -> "dates";
            default -> "ISO-8601";
        };
    }
}

package io.barstore.tools.importer;

import java.time.Instant;

/** Calendar arithmetic on plain numbers, so timestamps parse without java.time objects per row. */
final class CivilTime
{
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long SECONDS_PER_DAY = 86_400L;
    static final long NANOS_PER_DAY = SECONDS_PER_DAY * NANOS_PER_SECOND;

    private CivilTime()
    {
    }

    /** Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long epochDay(final int year, final int month, final int day)
    {
        final long y = month <= 2 ? year - 1L : year;
        final long era = Math.floorDiv(y, 400);
        final long yearOfEra = y - era * 400;
        final long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    static boolean isValidDate(final int year, final int month, final int day)
    {
        return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
    }

    static int daysInMonth(final int year, final int month)
    {
        return switch (month)
        {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** {@code 2025-01-02T14:30:00Z}, fractional seconds only when non-zero (CONTRACT.md). */
    static String iso(final long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS_PER_SECOND),
            Math.floorMod(epochNanos, NANOS_PER_SECOND)).toString();
    }

    /** A number as a person wrote it: {@code 10.5}, {@code 1200}, {@code NaN}. */
    static String number(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return Double.toString(value);
    }
}

package io.barstore.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A UTC calendar period that bounds one partition file: a day, a month or a year. */
public enum PartitionSpan
{
    DAY('D'),
    MONTH('M'),
    YEAR('Y');

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final char code;

    PartitionSpan(final char code)
    {
        this.code = code;
    }

    /** One letter used in partition file names. */
    public char code()
    {
        return code;
    }

    /** Start (inclusive, epoch nanos) of the period holding {@code ts}. */
    public long periodStart(final long ts)
    {
        final long day = Math.floorDiv(ts, NANOS_PER_DAY);
        switch (this)
        {
            case DAY:
                return day * NANOS_PER_DAY;
            case MONTH:
                return LocalDate.ofEpochDay(day).withDayOfMonth(1).toEpochDay() * NANOS_PER_DAY;
            default:
                return LocalDate.ofEpochDay(day).withDayOfYear(1).toEpochDay() * NANOS_PER_DAY;
        }
    }

    /** End (exclusive, epoch nanos) of the period starting at {@code periodStart}. */
    public long periodEnd(final long periodStart)
    {
        final LocalDate start = LocalDate.ofEpochDay(Math.floorDiv(periodStart, NANOS_PER_DAY));
        final LocalDate end = switch (this)
        {
            case DAY -> start.plusDays(1);
            case MONTH -> start.plusMonths(1);
            case YEAR -> start.plusYears(1);
        };
        return end.toEpochDay() * NANOS_PER_DAY;
    }

    /** A sortable, readable name for the period starting at {@code periodStart}: 2025-01-02, 2025-01, 2025. */
    public String periodName(final long periodStart)
    {
        final String iso = Instant.ofEpochSecond(Math.floorDiv(periodStart, 1_000_000_000L))
            .atOffset(ZoneOffset.UTC).toLocalDate().toString();
        return switch (this)
        {
            case DAY -> iso;
            case MONTH -> iso.substring(0, iso.length() - 3);
            case YEAR -> iso.substring(0, iso.length() - 6);
        };
    }

    public static PartitionSpan byCode(final char code)
    {
        for (final PartitionSpan span : values())
        {
            if (span.code == code)
            {
                return span;
            }
        }
        throw new IllegalArgumentException("no partition span with code " + code);
    }
}

package io.barstore.tools.importer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Local wall-clock times of one zone to UTC and back, correct across daylight-saving changes. Between two
 * transitions the offset is constant, so the converter remembers the window it last used and answers from it: java.time
 * objects are made only when a value falls outside it (a few times a year of data).
 * <p>
 * A local time in the gap when clocks go forward does not exist and is reported as such. One in the repeated hour
 * when clocks go back is taken as its first occurrence, unless the file has already passed that instant (a file in
 * time order, such as hourly bars 00:00, 01:00, 01:00, 02:00), in which case it is the second.
 */
final class ZoneConverter
{
    /** The local time fell in a daylight-saving gap: it never happened. */
    static final long GAP = Long.MIN_VALUE;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean fixed;
    private final int fixedOffset;
    /** Local seconds in [localFrom, localTo) map with localOffset, unambiguously. */
    private long localFrom = 1;
    private long localTo = 0;
    private int localOffset;
    /** UTC seconds in [utcFrom, utcTo) have offset utcOffset. */
    private long utcFrom = 1;
    private long utcTo = 0;
    private int utcOffset;
    private long lastUtcSeconds = Long.MIN_VALUE;

    ZoneConverter(final ZoneId zone)
    {
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        this.fixedOffset = fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
    }

    ZoneId zone()
    {
        return zone;
    }

    boolean isUtc()
    {
        return fixed && fixedOffset == 0;
    }

    /** UTC epoch seconds of a local time given as seconds since 1970-01-01T00:00 local; {@link #GAP} if it never was. */
    long toUtcSeconds(final long localSeconds)
    {
        if (fixed)
        {
            return localSeconds - fixedOffset;
        }
        if (localSeconds >= localFrom && localSeconds < localTo)
        {
            return remember(localSeconds - localOffset);
        }
        final LocalDateTime local = LocalDateTime.ofEpochSecond(localSeconds, 0, ZoneOffset.UTC);
        final List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1)
        {
            cacheLocalWindow(localSeconds, offsets.get(0).getTotalSeconds());
            return remember(localSeconds - offsets.get(0).getTotalSeconds());
        }
        if (offsets.isEmpty())
        {
            return GAP;
        }
        final long first = localSeconds - offsets.get(0).getTotalSeconds();
        final long second = localSeconds - offsets.get(1).getTotalSeconds();
        final long earlier = Math.min(first, second);
        final long later = Math.max(first, second);
        return remember(earlier <= lastUtcSeconds && later > lastUtcSeconds ? later : earlier);
    }

    /** The offset in seconds at a UTC instant. */
    int offsetSeconds(final long utcSeconds)
    {
        if (fixed)
        {
            return fixedOffset;
        }
        if (utcSeconds < utcFrom || utcSeconds >= utcTo)
        {
            final Instant instant = Instant.ofEpochSecond(utcSeconds);
            utcOffset = rules.getOffset(instant).getTotalSeconds();
            final ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
            final ZoneOffsetTransition next = rules.nextTransition(instant);
            utcFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
            utcTo = next == null ? Long.MAX_VALUE : next.toEpochSecond();
        }
        return utcOffset;
    }

    /** Epoch nanoseconds of 00:00 UTC of the local date at {@code epochNanos} in this zone. */
    long localDateMidnightUtc(final long epochNanos)
    {
        final long utcSeconds = Math.floorDiv(epochNanos, CivilTime.NANOS_PER_SECOND);
        final long localSeconds = utcSeconds + offsetSeconds(utcSeconds);
        return Math.floorDiv(localSeconds, CivilTime.SECONDS_PER_DAY) * CivilTime.NANOS_PER_DAY;
    }

    private long remember(final long utcSeconds)
    {
        lastUtcSeconds = utcSeconds;
        return utcSeconds;
    }

    /** The unambiguous local window around {@code localSeconds}, which maps with {@code offset}. */
    private void cacheLocalWindow(final long localSeconds, final int offset)
    {
        final Instant instant = Instant.ofEpochSecond(localSeconds - offset);
        final ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
        final ZoneOffsetTransition next = rules.nextTransition(instant);
        localFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond() +
            Math.max(previous.getOffsetBefore().getTotalSeconds(), previous.getOffsetAfter().getTotalSeconds());
        localTo = next == null ? Long.MAX_VALUE : next.toEpochSecond() +
            Math.min(next.getOffsetBefore().getTotalSeconds(), next.getOffsetAfter().getTotalSeconds());
        localOffset = offset;
    }
}

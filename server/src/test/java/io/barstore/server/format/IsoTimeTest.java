package io.barstore.server.format;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** IsoTime against java.time: the same text for every instant, and back again. */
class IsoTimeTest
{
    private static final long SEED = 20_250_102L;

    @Test
    void formatsEveryInstantAsInstantToStringDoes()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final char[] buf = new char[IsoTime.MAX_LENGTH];
        final long max = nanos("2261-12-31T23:59:59.999999999Z");
        for (int i = 0; i < 200_000; i++)
        {
            long ns = random.nextLong(0, max);
            switch (i % 4)
            {
                case 0 -> ns -= ns % 1_000_000_000L;  // whole seconds
                case 1 -> ns -= ns % 1_000_000L;      // milliseconds
                case 2 -> ns -= ns % 1_000L;          // microseconds
                default -> { }
            }
            final String expected = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L),
                Math.floorMod(ns, 1_000_000_000L)).toString();
            final int length = IsoTime.format(ns, buf, 0);
            assertEquals(expected, new String(buf, 0, length), "seed " + SEED + " ns " + ns);
            assertEquals(ns, IsoTime.parse(buf, 0, length), expected);
        }
    }

    @Test
    void readsDatesOffsetsSpacesAndShortTimes()
    {
        assertEquals(nanos("2025-01-02T00:00:00Z"), IsoTime.parse("2025-01-02"));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("2025-01-02T14:30"));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("2025-01-02 14:30:00"));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("  2025-01-02t14:30:00z "));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("2025-01-02T16:30:00+02:00"));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("2025-01-02T09:30:00-0500"));
        assertEquals(nanos("2025-01-02T14:30:00Z"), IsoTime.parse("2025-01-02T15:30:00+01"));
        assertEquals(nanos("2025-01-02T14:30:00.5Z"), IsoTime.parse("2025-01-02T14:30:00,5Z"));
        assertEquals(nanos("2025-01-02T14:30:00.123456789Z"), IsoTime.parse("2025-01-02T14:30:00.123456789Z"));
        assertEquals(nanos("2024-02-29T00:00:00Z"), IsoTime.parse("2024-02-29"));
        assertEquals(nanos("2000-02-29T00:00:00Z"), IsoTime.parse("2000-02-29"));
        assertEquals(nanos("1678-01-01T00:00:00Z"), IsoTime.parse("1678-01-01"));
    }

    @Test
    void rejectsWhatIsNotAnInstant()
    {
        for (final String bad : new String[] {"", " ", "yesterday", "2025-1-2", "2025-01-02T", "2025-13-01",
            "2025-00-10", "2025-02-29", "1900-02-29", "2025-04-31", "2025-01-02T24:00:00Z", "2025-01-02T12:60Z",
            "2025-01-02T12:00:60Z", "2025-01-02T12:00:00.Z", "2025-01-02T12:00:00.1234567890Z",
            "2025-01-02T12:00:00+19:00", "2025-01-02T12:00:00+02:60", "2025-01-02T12:00:00 Z", "2025-01-02T12:00:00ZZ",
            "2025-01-02X12:00", "1677-12-31", "2262-01-01", "+2025-01-02", "2025-01-02T12:00:00+2"})
        {
            assertEquals(IsoTime.INVALID, IsoTime.parse(bad), bad);
        }
    }

    private static long nanos(final String iso)
    {
        final Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}

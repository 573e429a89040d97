package io.barstore.tools.importer;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TimestampParserTest
{
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long nanos(final String instant)
    {
        final Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static long parse(final TimestampParser parser, final String s)
    {
        return parser.parse(s.toCharArray(), 0, s.length());
    }

    private static long parse(final String s)
    {
        return parse(new TimestampParser(TsUnit.AUTO, null), s);
    }

    @Test
    void epochSecondsMillisecondsMicrosecondsAndNanosecondsAreToldApartByMagnitude()
    {
        final long expected = nanos("2024-01-02T14:30:00Z");
        for (final String s : new String[] {"1704205800", "1704205800000", "1704205800000000", "1704205800000000000"})
        {
            final TimestampParser parser = new TimestampParser(TsUnit.AUTO, null);
            assertEquals(expected, parse(parser, s), s);
        }
        final TimestampParser ms = new TimestampParser(TsUnit.AUTO, null);
        parse(ms, "1704205800000");
        assertEquals(TsUnit.MS, ms.kind());
        assertEquals(nanos("2024-01-02T14:30:00.5Z"), parse("1704205800.5"), "fractional seconds");
    }

    @Test
    void aFileThatSwitchesUnitMidwayIsReportedAtTheRowThatDoes()
    {
        final TimestampParser parser = new TimestampParser(TsUnit.AUTO, null);
        parse(parser, "1704205800000");
        assertEquals(TimestampParser.FAILED, parse(parser, "1704205860"));
        assertTrue(parser.error().contains("looks like epoch seconds but the file's first ts was in milliseconds"),
            parser.error());
    }

    @Test
    void aGivenUnitOverridesTheMagnitude()
    {
        assertEquals(1_704_205_800L * 1_000_000L, parse(new TimestampParser(TsUnit.MS, null), "1704205800"));
    }

    @Test
    void isoTimestampsInTheirUsualFormsParseToUtc()
    {
        final long expected = nanos("2024-01-02T14:30:00Z");
        for (final String s : new String[] {"2024-01-02T14:30:00Z", "2024-01-02 14:30:00", "2024-01-02T14:30",
            "2024-01-02T09:30:00-05:00", "2024-01-02T15:30:00+0100", "2024-01-02 14:30:00+00:00",
            "2024-01-02 14:30:00 UTC", "2024-01-02T14:30:00.000000000Z", "2024/01/02 14:30:00"})
        {
            assertEquals(expected, parse(s), s);
        }
        assertEquals(nanos("2024-01-02T14:30:00.123456789Z"), parse("2024-01-02T14:30:00.123456789Z"));
        assertEquals(nanos("2024-01-02T14:30:00.5Z"), parse("2024-01-02T14:30:00,5Z"));
    }

    @Test
    void datesAreUtcMidnightWhateverTheZone()
    {
        final TimestampParser parser = new TimestampParser(TsUnit.AUTO, new ZoneConverter(NEW_YORK));
        assertEquals(nanos("2024-03-11T00:00:00Z"), parse(parser, "2024-03-11"));
        assertTrue(parser.wasDate());
        final TimestampParser compact = new TimestampParser(TsUnit.AUTO, null);
        assertEquals(nanos("2024-03-11T00:00:00Z"), parse(compact, "20240311"), "yyyymmdd is a date, not 1970");
        assertEquals(TsUnit.DATE, compact.kind());
    }

    @Test
    void badTimestampsNameTheValueAndWhatIsWrong()
    {
        for (final String s : new String[] {"yesterday", "2024-13-01", "2024-02-30", "2024-01-02T25:00:00Z",
            "2024-01-02T14:30:00+25:00", "2024-01-02T14:30:00Q", "2024-01-02T14"})
        {
            final TimestampParser parser = new TimestampParser(TsUnit.ISO, null);
            assertEquals(TimestampParser.FAILED, parse(parser, s), s);
            assertTrue(parser.error().startsWith("ts \"" + s + "\" "), parser.error());
        }
        final TimestampParser parser = new TimestampParser(TsUnit.AUTO, null);
        assertEquals(TimestampParser.FAILED, parse(parser, ""));
        assertEquals("ts is empty", parser.error());
    }

    @Test
    void newYorkLocalTimesConvertCorrectlyAcrossTheMarchChangeAndTheGapIsAnError()
    {
        final TimestampParser parser = new TimestampParser(TsUnit.ISO, new ZoneConverter(NEW_YORK));
        assertEquals(nanos("2024-03-08T14:30:00Z"), parse(parser, "2024-03-08 09:30:00"), "EST: UTC-5");
        assertEquals(nanos("2024-03-10T06:00:00Z"), parse(parser, "2024-03-10 01:00:00"));
        assertEquals(TimestampParser.FAILED, parse(parser, "2024-03-10 02:30:00"));
        assertTrue(parser.error().contains("does not exist in America/New_York"), parser.error());
        assertEquals(nanos("2024-03-10T07:00:00Z"), parse(parser, "2024-03-10 03:00:00"));
        assertEquals(nanos("2024-03-11T13:30:00Z"), parse(parser, "2024-03-11 09:30:00"), "EDT: UTC-4");
    }

    @Test
    void theRepeatedNovemberHourIsFirstThenSecondOccurrenceInAFileInTimeOrder()
    {
        final TimestampParser parser = new TimestampParser(TsUnit.ISO, new ZoneConverter(NEW_YORK));
        assertEquals(nanos("2024-11-03T04:00:00Z"), parse(parser, "2024-11-03 00:00:00"));
        assertEquals(nanos("2024-11-03T05:00:00Z"), parse(parser, "2024-11-03 01:00:00"), "01:00 EDT");
        assertEquals(nanos("2024-11-03T06:00:00Z"), parse(parser, "2024-11-03 01:00:00"), "01:00 EST, again");
        assertEquals(nanos("2024-11-03T07:00:00Z"), parse(parser, "2024-11-03 02:00:00"));
        assertEquals(nanos("2024-11-04T14:30:00Z"), parse(parser, "2024-11-04 09:30:00"), "EST: UTC-5");
    }

    @Test
    void theLocalDateOfAnInstantFollowsTheZoneAcrossDaylightSaving()
    {
        final ZoneConverter zone = new ZoneConverter(NEW_YORK);
        assertEquals(nanos("2024-03-08T00:00:00Z"), zone.localDateMidnightUtc(nanos("2024-03-08T05:00:00Z")));
        assertEquals(nanos("2024-03-11T00:00:00Z"), zone.localDateMidnightUtc(nanos("2024-03-11T04:00:00Z")));
        assertEquals(nanos("2024-03-10T00:00:00Z"), zone.localDateMidnightUtc(nanos("2024-03-11T03:59:00Z")));
        assertEquals(nanos("2024-11-04T00:00:00Z"), zone.localDateMidnightUtc(nanos("2024-11-04T05:00:00Z")));
        final ZoneConverter tokyo = new ZoneConverter(ZoneId.of("Asia/Tokyo"));
        assertEquals(nanos("2024-01-03T00:00:00Z"), tokyo.localDateMidnightUtc(nanos("2024-01-02T15:00:00Z")));
        assertFalse(tokyo.isUtc());
    }
}

package io.barstore.tools.importer;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NumberParserTest
{
    private final NumberParser parser = new NumberParser();

    private double parse(final String s)
    {
        return parser.parseDouble(s.toCharArray(), 0, s.length());
    }

    @Test
    void plainDecimalsParseExactlyAsDoubleParseDoubleDoes()
    {
        for (final String s : new String[] {"0", "1", "-1", "+2.5", "185.12", "0.1", "0.3", "1e3", "1.5E-3", "123456789",
            "0.000001", "99999999999999999999", "1.7976931348623157e308", "4.9e-324", "3.141592653589793238",
            "  42.5 ", "1.", ".5", "-0"})
        {
            assertEquals(Double.parseDouble(s.trim()), parse(s), s);
            assertEquals(NumberParser.OK, parser.status(), s);
        }
    }

    @Test
    void randomPricesAndVolumesAgreeWithDoubleParseDoubleBitForBit()
    {
        final long seed = 20_250_101L;
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final double value = random.nextDouble() * Math.pow(10, random.nextInt(-8, 12));
            final String s = switch (i % 4)
            {
                case 0 -> Double.toString(value);
                case 1 -> String.format(Locale.ROOT, "%.2f", value);
                case 2 -> String.format(Locale.ROOT, "%.6f", value);
                default -> String.format(Locale.ROOT, "%.12e", value);
            };
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(parse(s)),
                () -> s + " (seed " + seed + ")");
        }
    }

    @Test
    void nanAndInfinityAreNumbersForTheRulesToReject()
    {
        assertTrue(Double.isNaN(parse("NaN")));
        assertEquals(NumberParser.OK, parser.status());
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-Infinity"));
        assertEquals(NumberParser.OK, parser.status());
    }

    @Test
    void emptyCellsAndNullWordsAreMissing()
    {
        for (final String s : new String[] {"", "  ", "null", "NULL", "None", "NA", "n/a", "-"})
        {
            assertTrue(Double.isNaN(parse(s)), s);
            assertEquals(NumberParser.MISSING, parser.status(), s);
        }
    }

    @Test
    void anythingElseIsBadIncludingTheSuffixesAndHexThatParseDoubleWouldTake()
    {
        for (final String s : new String[] {"abc", "1x5", "1.5d", "1.5f", "0x1p3", "1,5", "1e", "1e+", "--1", "1.2.3",
            "12 34", "\u0000"})
        {
            parse(s);
            assertEquals(NumberParser.BAD, parser.status(), s);
        }
    }

    @Test
    void wholeNumbersParseAsLongsWithAMissingValueForEmptyCells()
    {
        assertEquals(12, parser.parseLong("12".toCharArray(), 0, 2, -1));
        assertEquals(NumberParser.OK, parser.status());
        assertEquals(12, parser.parseLong("12.0".toCharArray(), 0, 4, -1));
        assertEquals(-1, parser.parseLong("".toCharArray(), 0, 0, -1));
        assertEquals(NumberParser.MISSING, parser.status());
        parser.parseLong("12.5".toCharArray(), 0, 4, -1);
        assertEquals(NumberParser.BAD, parser.status());
        parser.parseLong("many".toCharArray(), 0, 4, -1);
        assertEquals(NumberParser.BAD, parser.status());
    }
}

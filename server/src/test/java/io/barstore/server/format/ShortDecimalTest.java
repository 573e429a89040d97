package io.barstore.server.format;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShortDecimal} writes prices and volumes exactly as {@link Double#toString(double)} does, every text it writes
 * reads back as the same double, and it leaves what it cannot shorten to the caller.
 */
class ShortDecimalTest
{
    private final char[] chars = new char[ShortDecimal.MAX_LENGTH];

    @Test
    void pricesAndVolumesAreWrittenAsDoubleToStringWritesThem()
    {
        for (int i = -100_000; i < 2_000_000; i++)
        {
            assertSameAsDoubleToString(i / 100.0);
            assertSameAsDoubleToString(100 + i * 0.25);
        }
        for (int i = 0; i < 1_000_000; i++)
        {
            assertSameAsDoubleToString(i / 10_000.0);
            assertSameAsDoubleToString(i * 1_000.0 + 7);
            assertSameAsDoubleToString(i * 123_457.0);
        }
        for (final double v : new double[] {0.0, -0.0, 1.0, -1.0, 0.001, 0.00099, 0.000125, 1.0E-5, 1.0E-9,
            9_999_999.0, 9_999_999.5, 1.0E7, -1.0E7, 1.5E7, 12_345_678.5, 5.3E7, 1.0E15, 9_007_199_254_740_991.0,
            187.25, 0.1, 0.2, 0.7, 1.1, 2.675, 37.63, -37.63})
        {
            assertSameAsDoubleToString(v);
        }
    }

    @Test
    void everyTextReadsBackAsTheSameDoubleAndIsNeverLongerThanDoubleToString()
    {
        final Random rnd = new Random(42);
        for (int i = 0; i < 2_000_000; i++)
        {
            final double price = rnd.nextInt(100_000_000) / Math.pow(10, rnd.nextInt(10)) * (rnd.nextBoolean() ? 1 : -1);
            assertReadsBack(price);
            assertReadsBack(price * 1.1);
            assertReadsBack(price / 3);
            final double anything = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isFinite(anything))
            {
                assertReadsBack(anything);
            }
        }
    }

    @Test
    void valuesItCannotShortenAreLeftToTheCaller()
    {
        for (final double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0E-12,
            0.1 + 0.2, 187.253421987341, 1.0E300, 9_007_199_254_740_992.0, Double.MIN_VALUE})
        {
            assertEquals(-1, ShortDecimal.format(v, chars, 0), () -> Double.toString(v));
        }
    }

    private void assertSameAsDoubleToString(final double v)
    {
        final int length = ShortDecimal.format(v, chars, 0);
        assertTrue(length > 0, () -> "no short form for " + v);
        assertEquals(Double.toString(v), new String(chars, 0, length));
    }

    private void assertReadsBack(final double v)
    {
        final int length = ShortDecimal.format(v, chars, 0);
        if (length < 0)
        {
            return;
        }
        final String text = new String(chars, 0, length);
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(text)),
            () -> text + " does not read back as " + v);
        assertTrue(length <= Double.toString(v).length(), () -> text + " is longer than " + Double.toString(v));
    }
}

package io.barstore.server.format;

/**
 * Writes a double with few decimals (a price, a volume) as {@link Double#toString(double)} writes it, about ten times
 * faster and allocating nothing: JDK 17's {@code Double.toString} was most of the cost of a JSON response.
 * <p>
 * It looks for the fewest fraction digits {@code k} (at most {@value #MAX_FRACTION_DIGITS}) such that
 * {@code m / 10^k} is the value again, with {@code m} a whole number below 2^53. Both {@code m} and {@code 10^k} are
 * then exact doubles and IEEE division rounds correctly, so {@code m / 10^k == value} means the decimal
 * {@code m * 10^-k} reads back as exactly this double: the text is exact by construction, whatever the rounding of
 * the search. The notation is {@code Double.toString}'s: plain ({@code 187.25}, {@code 100.0}) from 10^-3 to 10^7,
 * otherwise {@code 1.5E7}, {@code 1.25E-4}. A value with more digits (a computed vwap) is left to the caller
 * ({@link #format} returns -1), as are NaN and the infinities.
 */
final class ShortDecimal
{
    /** Prices and volumes have a handful of decimals; a value with more is a computed one, which rarely fits anyway. */
    static final int MAX_FRACTION_DIGITS = 9;
    /** The longest text {@link #format} writes: a sign, 16 digits, a point, {@code E-10}. */
    static final int MAX_LENGTH = 24;

    private static final double TWO_TO_53 = 9_007_199_254_740_992.0;
    private static final double[] POWERS_OF_TEN = new double[MAX_FRACTION_DIGITS + 1];
    private static final long[] LONG_POWERS_OF_TEN = new long[19];

    static
    {
        long power = 1;
        for (int i = 0; i < LONG_POWERS_OF_TEN.length; i++, power *= 10)
        {
            LONG_POWERS_OF_TEN[i] = power;
        }
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++)
        {
            POWERS_OF_TEN[k] = LONG_POWERS_OF_TEN[k];
        }
    }

    private ShortDecimal()
    {
    }

    /**
     * Writes {@code value} at {@code dst[offset]} (room for {@link #MAX_LENGTH} chars needed); returns the chars
     * written, or -1 (nothing written) when the value needs more than {@value #MAX_FRACTION_DIGITS} fraction digits,
     * 16 significant digits, or is not finite.
     */
    static int format(final double value, final char[] dst, final int offset)
    {
        final double magnitude = Math.abs(value);
        if (!(magnitude < TWO_TO_53)) // also NaN
        {
            return -1;
        }
        int p = offset;
        if (Double.doubleToRawLongBits(value) < 0)
        {
            dst[p++] = '-';
        }
        if (magnitude == 0)
        {
            return zero(dst, p) - offset;
        }
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++)
        {
            final double scaled = magnitude * POWERS_OF_TEN[k];
            if (scaled >= TWO_TO_53)
            {
                return -1;
            }
            final long m = (long)Math.rint(scaled);
            if (m / POWERS_OF_TEN[k] == magnitude)
            {
                final boolean plain = magnitude >= 1e-3 && magnitude < 1e7;
                return (plain ? plain(magnitude, m, k, dst, p) : scientific(m, k, dst, p)) - offset;
            }
        }
        return -1;
    }

    private static int zero(final char[] dst, final int p)
    {
        dst[p] = '0';
        dst[p + 1] = '.';
        dst[p + 2] = '0';
        return p + 3;
    }

    /**
     * {@code m / 10^k} as integer part, point, fraction (at least one digit). The integer part is the value's own:
     * were {@code m / 10^k} to round across a whole number, that whole number would have been found at {@code k = 0}.
     * This spares two 64-bit divisions by a variable, which cost more than all the rest.
     */
    private static int plain(final double magnitude, final long m, final int k, final char[] dst, final int p)
    {
        final long whole = (long)magnitude;
        int q = digits(whole, dst, p);
        dst[q++] = '.';
        if (k == 0)
        {
            dst[q++] = '0';
            return q;
        }
        long fraction = m - whole * LONG_POWERS_OF_TEN[k];
        for (int i = q + k - 1; i >= q; i--)
        {
            dst[i] = (char)('0' + fraction % 10);
            fraction /= 10;
        }
        return q + k;
    }

    /** {@code m / 10^k} as {@code d.dddE[-]x}: the significant digits of m, trailing zeros dropped. */
    private static int scientific(final long m, final int k, final char[] dst, final int p)
    {
        long significand = m;
        int dropped = 0;
        while (significand % 10 == 0)
        {
            significand /= 10;
            dropped++;
        }
        // Digits go one place right of p, then the first moves left over the point's place.
        final int end = digits(significand, dst, p + 1);
        final int count = end - (p + 1);
        dst[p] = dst[p + 1];
        dst[p + 1] = '.';
        int q = end;
        if (count == 1)
        {
            dst[q++] = '0';
        }
        dst[q++] = 'E';
        final int exponent = count - 1 + dropped - k;
        if (exponent < 0)
        {
            dst[q++] = '-';
        }
        return digits(Math.abs(exponent), dst, q);
    }

    /** The decimal digits of {@code value >= 0} at {@code p}; returns the index after the last. */
    private static int digits(final long value, final char[] dst, final int p)
    {
        int count = 1;
        while (count < LONG_POWERS_OF_TEN.length && value >= LONG_POWERS_OF_TEN[count])
        {
            count++;
        }
        long v = value;
        for (int i = p + count - 1; i >= p; i--)
        {
            dst[i] = (char)('0' + v % 10);
            v /= 10;
        }
        return p + count;
    }
}

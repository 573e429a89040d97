package io.barstore.tools.importer;

/**
 * Parses numbers straight from a CSV reader's or JSON parser's char buffer, without making a String for the usual
 * forms. A decimal with at most 2^53 as its digits and a power of ten up to 22 is exact in one double multiply or
 * divide (Clinger's fast path), so the result is the same as {@link Double#parseDouble}'s; anything longer goes
 * through {@code Double.parseDouble} itself.
 * <p>
 * After each call {@link #status()} tells a number ({@link #OK}, NaN and infinities included, for the rules to judge)
 * from an empty cell or a null word ({@link #MISSING}) and from anything else ({@link #BAD}).
 */
final class NumberParser
{
    static final int OK = 0;
    static final int MISSING = 1;
    static final int BAD = 2;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22};
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** Digits beyond this many are not accumulated (the slow path takes over). */
    private static final long ACCUMULATE_LIMIT = (Long.MAX_VALUE - 9) / 10;

    private int status;

    int status()
    {
        return status;
    }

    double parseDouble(final char[] b, final int offset, final int length)
    {
        int i = offset;
        int end = offset + length;
        while (i < end && isBlank(b[i]))
        {
            i++;
        }
        while (end > i && isBlank(b[end - 1]))
        {
            end--;
        }
        if (i == end)
        {
            status = MISSING;
            return Double.NaN;
        }
        final int start = i;
        boolean negative = false;
        char c = b[i];
        if (c == '-' || c == '+')
        {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int exponent = 0;
        boolean digits = false;
        boolean inexact = false;
        while (i < end)
        {
            final int d = b[i] - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            digits = true;
            if (mantissa <= ACCUMULATE_LIMIT)
            {
                mantissa = mantissa * 10 + d;
            }
            else
            {
                exponent++;
                inexact = true;
            }
            i++;
        }
        if (i < end && b[i] == '.')
        {
            i++;
            while (i < end)
            {
                final int d = b[i] - '0';
                if (d < 0 || d > 9)
                {
                    break;
                }
                digits = true;
                if (mantissa <= ACCUMULATE_LIMIT)
                {
                    mantissa = mantissa * 10 + d;
                    exponent--;
                }
                else
                {
                    inexact = true;
                }
                i++;
            }
        }
        if (!digits)
        {
            return word(b, start, end);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E'))
        {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '-' || b[i] == '+'))
            {
                negativeExponent = b[i] == '-';
                i++;
            }
            int e = 0;
            boolean exponentDigits = false;
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                e = Math.min(e * 10 + (b[i] - '0'), 100_000);
                exponentDigits = true;
                i++;
            }
            if (!exponentDigits)
            {
                status = BAD;
                return Double.NaN;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != end)
        {
            status = BAD;
            return Double.NaN;
        }
        status = OK;
        if (!inexact && mantissa <= MAX_EXACT_MANTISSA && exponent >= -22 && exponent <= 22)
        {
            final double value = exponent < 0 ?
                (double)mantissa / POWERS_OF_TEN[-exponent] : (double)mantissa * POWERS_OF_TEN[exponent];
            return negative ? -value : value;
        }
        // Only digits, one '.', an exponent and a sign got here, so parseDouble cannot take a suffix or a hex form.
        return Double.parseDouble(new String(b, start, end - start));
    }

    /**
     * An integer such as a trade count: digits, or a decimal with no fraction ({@code 12.0}, as pandas writes
     * integers that had gaps). Missing: {@code missingValue}.
     */
    long parseLong(final char[] b, final int offset, final int length, final long missingValue)
    {
        int i = offset;
        int end = offset + length;
        while (i < end && isBlank(b[i]))
        {
            i++;
        }
        while (end > i && isBlank(b[end - 1]))
        {
            end--;
        }
        if (i < end && end - i <= 18)
        {
            final boolean negative = b[i] == '-';
            int j = negative || b[i] == '+' ? i + 1 : i;
            if (j < end)
            {
                long value = 0;
                while (j < end && b[j] >= '0' && b[j] <= '9')
                {
                    value = value * 10 + (b[j] - '0');
                    j++;
                }
                if (j == end)
                {
                    status = OK;
                    return negative ? -value : value;
                }
            }
        }
        final double d = parseDouble(b, offset, length);
        if (status == MISSING)
        {
            return missingValue;
        }
        if (status == OK && d == Math.rint(d) && Math.abs(d) < 9.0e18)
        {
            return (long)d;
        }
        status = BAD;
        return missingValue;
    }

    /** NaN and infinities (any case) are numbers for the rules to judge; null words are a missing value. */
    private double word(final char[] b, final int start, final int end)
    {
        int i = start;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+')
        {
            negative = b[i] == '-';
            i++;
        }
        if (i == end && start + 1 == end && b[start] == '-')
        {
            status = MISSING; // a lone dash, as spreadsheets write an empty value
            return Double.NaN;
        }
        if (equalsIgnoreCase(b, i, end, "nan"))
        {
            status = OK;
            return Double.NaN;
        }
        if (equalsIgnoreCase(b, i, end, "inf") || equalsIgnoreCase(b, i, end, "infinity"))
        {
            status = OK;
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (i == start && (equalsIgnoreCase(b, i, end, "null") || equalsIgnoreCase(b, i, end, "none") ||
            equalsIgnoreCase(b, i, end, "na") || equalsIgnoreCase(b, i, end, "n/a")))
        {
            status = MISSING;
            return Double.NaN;
        }
        status = BAD;
        return Double.NaN;
    }

    static boolean equalsIgnoreCase(final char[] b, final int start, final int end, final String word)
    {
        if (end - start != word.length())
        {
            return false;
        }
        for (int i = 0; i < word.length(); i++)
        {
            if (Character.toLowerCase(b[start + i]) != word.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(final char c)
    {
        return c == ' ' || c == '\t';
    }
}

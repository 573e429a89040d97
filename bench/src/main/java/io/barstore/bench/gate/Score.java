package io.barstore.bench.gate;

/**
 * One benchmark's result as the gate compares it: the median iteration as nanoseconds per operation, whatever the
 * JMH mode and unit, and the bytes allocated per operation ({@code gc.alloc.rate.norm}; NaN when not profiled).
 */
public record Score(double nanosPerOp, double allocBytesPerOp)
{
    /**
     * Nanoseconds per operation from a JMH score in {@code unit}: a time per op ({@code us/op}) or a rate
     * ({@code ops/s}).
     */
    public static double nanosPerOp(final double value, final String unit)
    {
        final int slash = unit.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("not a JMH time or rate unit: " + unit);
        }
        final String left = unit.substring(0, slash);
        final String right = unit.substring(slash + 1);
        if ("op".equals(right))
        {
            return value * nanosIn(left, unit);
        }
        if ("ops".equals(left))
        {
            return nanosIn(right, unit) / value;
        }
        throw new IllegalArgumentException("not a JMH time or rate unit: " + unit);
    }

    private static double nanosIn(final String timeUnit, final String unit)
    {
        switch (timeUnit)
        {
            case "ns":
                return 1;
            case "us":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            case "min":
                return 60e9;
            default:
                throw new IllegalArgumentException("unknown time unit '" + timeUnit + "' in " + unit);
        }
    }
}

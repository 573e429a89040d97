package io.barstore.bench.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gate's verdict: each baseline entry compared with a run, as rows of a table. A benchmark fails when its cost
 * relative to the reference grew by more than its threshold, when it allocates more per operation than the baseline
 * allows, or when it was not measured at all.
 */
public final class GateReport
{
    /** One benchmark's comparison; {@code problem} is null when it passed. */
    public record Row(
        BenchmarkId id,
        double baselineRelative,
        double nowRelative,
        double nowNanosPerOp,
        double threshold,
        double baselineAlloc,
        double nowAlloc,
        double allowedAlloc,
        String problem)
    {
        public double change()
        {
            return nowRelative / baselineRelative - 1;
        }

        public boolean passed()
        {
            return problem == null;
        }
    }

    private final Baseline baseline;
    private final Score reference;
    private final List<Row> rows;

    private GateReport(final Baseline baseline, final Score reference, final List<Row> rows)
    {
        this.baseline = baseline;
        this.reference = reference;
        this.rows = rows;
    }

    public static GateReport compare(final Baseline baseline, final Map<BenchmarkId, Score> scores)
    {
        final Score ref = scores.get(baseline.reference());
        if (ref == null || !(ref.nanosPerOp() > 0))
        {
            throw new IllegalArgumentException("the run has no usable result for the reference benchmark " +
                baseline.reference() + ", so no score can be normalised; run it with the others");
        }
        final List<Row> rows = new ArrayList<>();
        for (final Baseline.Entry e : baseline.entries())
        {
            final double threshold = baseline.thresholdOf(e);
            final Score s = scores.get(e.id());
            if (s == null)
            {
                rows.add(new Row(e.id(), e.relativeCost(), Double.NaN, Double.NaN, threshold, e.allocBytesPerOp(),
                    Double.NaN, Double.NaN, "not measured in this run"));
                continue;
            }
            final double relative = s.nanosPerOp() / ref.nanosPerOp();
            final double allowedAlloc = Double.isNaN(e.allocBytesPerOp()) ? Double.NaN : Math.max(
                e.allocBytesPerOp() * (1 + baseline.allocTolerance()),
                e.allocBytesPerOp() + baseline.allocSlackBytes());
            final List<String> problems = new ArrayList<>();
            if (Double.isNaN(e.relativeCost()))
            {
                problems.add("no baseline recorded: refresh the baseline");
            }
            else if (relative / e.relativeCost() - 1 > threshold)
            {
                problems.add(String.format(Locale.ROOT, "slower by %.0f%% (limit %.0f%%)",
                    (relative / e.relativeCost() - 1) * 100, threshold * 100));
            }
            if (!Double.isNaN(allowedAlloc))
            {
                if (Double.isNaN(s.allocBytesPerOp()))
                {
                    problems.add("allocation not measured: run with -prof gc");
                }
                else if (s.allocBytesPerOp() > allowedAlloc)
                {
                    problems.add(String.format(Locale.ROOT, "allocates %.1f B/op (allowed %.1f)",
                        s.allocBytesPerOp(), allowedAlloc));
                }
            }
            rows.add(new Row(e.id(), e.relativeCost(), relative, s.nanosPerOp(), threshold, e.allocBytesPerOp(),
                s.allocBytesPerOp(), allowedAlloc, problems.isEmpty() ? null : String.join("; ", problems)));
        }
        return new GateReport(baseline, ref, rows);
    }

    public List<Row> rows()
    {
        return rows;
    }

    public boolean passed()
    {
        return rows.stream().allMatch(Row::passed);
    }

    /** The table the gate prints: costs relative to the reference, the change, allocation, the verdict. */
    public String table()
    {
        final List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", "baseline", "now", "change", "limit", "now ns/op", "alloc base B/op",
            "alloc now B/op", "verdict"});
        for (final Row r : rows)
        {
            cells.add(new String[] {
                r.id().label(),
                fmtRelative(r.baselineRelative()),
                fmtRelative(r.nowRelative()),
                Double.isNaN(r.change()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", r.change() * 100),
                String.format(Locale.ROOT, "+%.0f%%", r.threshold() * 100),
                fmt(r.nowNanosPerOp(), 1),
                fmt(r.baselineAlloc(), 1),
                fmt(r.nowAlloc(), 1),
                r.passed() ? "ok" : "FAIL: " + r.problem()});
        }
        final int[] widths = new int[cells.get(0).length];
        for (final String[] row : cells)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "reference %s: %.1f ns/op now, %.1f ns/op when the baseline was " +
            "recorded (%s); costs below are multiples of it%n", baseline.reference().label(), reference.nanosPerOp(),
            baseline.referenceNanosPerOp(), baseline.recorded()));
        for (int r = 0; r < cells.size(); r++)
        {
            final String[] row = cells.get(r);
            for (int i = 0; i < row.length; i++)
            {
                final boolean left = i == 0 || i == row.length - 1;
                final String pad = " ".repeat(widths[i] - row[i].length());
                sb.append(left ? row[i] + pad : pad + row[i]);
                sb.append(i == row.length - 1 ? "" : "  ");
            }
            sb.append(System.lineSeparator());
            if (r == 0)
            {
                for (int i = 0; i < widths.length; i++)
                {
                    sb.append("-".repeat(widths[i])).append(i == widths.length - 1 ? "" : "  ");
                }
                sb.append(System.lineSeparator());
            }
        }
        final long failed = rows.stream().filter(row -> !row.passed()).count();
        sb.append(failed == 0 ? "gate: PASSED, " + rows.size() + " benchmarks within their limits" :
            "gate: FAILED, " + failed + " of " + rows.size() + " benchmarks regressed");
        return sb.toString();
    }

    private static String fmtRelative(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 0.01 ? "%.4f" : "%.3e", value);
    }

    private static String fmt(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}

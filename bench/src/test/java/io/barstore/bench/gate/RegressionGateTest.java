package io.barstore.bench.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate's arithmetic and verdicts on JMH JSON written here by hand: normalisation by the reference, the median,
 * thresholds and their overrides, the allocation rule, missing results, and the baseline's round trip. The gate
 * failing on a real slowdown is shown by {@code .ci/run}, which runs it with {@code -Dbarstore.slowdown.nanos}.
 */
class RegressionGateTest
{
    private static final String REF = "io.barstore.bench.ReferenceBenchmark.copyAndSum";
    private static final String RANGE = "io.barstore.bench.RangeReadBenchmark.range";
    private static final String APPEND = "io.barstore.bench.AppendBenchmark.batched";

    @TempDir
    Path dir;

    @Test
    void convertsJmhTimesAndRatesToNanosecondsPerOperation()
    {
        assertEquals(12_000.0, Score.nanosPerOp(12, "us/op"), 1e-9);
        assertEquals(80.0, Score.nanosPerOp(80, "ns/op"), 1e-9);
        assertEquals(2_000_000.0, Score.nanosPerOp(2, "ms/op"), 1e-9);
        assertEquals(500.0, Score.nanosPerOp(2_000_000, "ops/s"), 1e-9);
        assertEquals(0.25, Score.nanosPerOp(4, "ops/ns"), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Score.nanosPerOp(1, "B/op"));
        assertThrows(IllegalArgumentException.class, () -> Score.nanosPerOp(1, "ops/fortnight"));
    }

    @Test
    void takesTheMedianIterationSoOneDisturbedIterationDoesNotMoveTheScore() throws Exception
    {
        final Path results = write("jmh.json", "[" +
            run(REF, "{}", "us/op", 1000, "[[1000, 1000, 9000]]", 0) + "," +
            run(RANGE, "{\"bars\":\"2340\"}", "us/op", 40, "[[10, 12, 11, 500, 11]]", 1.5) + "]");

        final Map<BenchmarkId, Score> scores = JmhResults.read(results);

        assertEquals(1_000_000.0, scores.get(BenchmarkId.of(REF)).nanosPerOp(), 1e-6);
        final Score range = scores.get(new BenchmarkId(RANGE, Map.of("bars", "2340")));
        assertEquals(11_000.0, range.nanosPerOp(), 1e-6);
        assertEquals(1.5, range.allocBytesPerOp(), 1e-9);
    }

    @Test
    void aBenchmarkMeasuredTwiceScoresTheMeanOfItsMedians() throws Exception
    {
        final Path results = write("jmh.json", "[" +
            run(REF, "{}", "us/op", 1000, "[[900, 1000, 1100]]", 8) + "," +
            run(REF, "{}", "us/op", 1400, "[[1400]]", 10) + "]");

        final Score ref = JmhResults.read(results).get(BenchmarkId.of(REF));

        assertEquals(1_200_000.0, ref.nanosPerOp(), 1e-6);
        assertEquals(9.0, ref.allocBytesPerOp(), 1e-9);
    }

    @Test
    void passesWhenTheMachineIsSlowerButEveryRatioHolds() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, null);
        // Everything, the reference included, twice as slow: a slower CI machine.
        final GateReport report = GateReport.compare(baseline, scores(2_000_000, 22_000, 1.0, 1_000, 4.0));

        assertTrue(report.passed(), report.table());
        assertEquals(0.0, report.rows().get(0).change(), 1e-9);
    }

    @Test
    void failsWhenOneBenchmarkSlowsDownAgainstTheReferenceAndNamesItInTheTable() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, null);
        final GateReport report = GateReport.compare(baseline, scores(1_000_000, 15_000, 1.0, 500, 4.0));

        assertFalse(report.passed());
        final GateReport.Row range = report.rows().get(0);
        assertEquals(15.0 / 11 - 1, range.change(), 1e-9);
        assertTrue(range.problem().contains("slower by 36%"), range.problem());
        assertNull(report.rows().get(1).problem(), "the append benchmark did not change");
        final String table = report.table();
        assertTrue(table.contains("RangeReadBenchmark.range bars=2340"), table);
        assertTrue(table.contains("FAIL: slower by 36% (limit 30%)"), table);
        assertTrue(table.contains("+36.4%"), table);
        assertTrue(table.endsWith("gate: FAILED, 1 of 2 benchmarks regressed"), table);
    }

    @Test
    void aPerBenchmarkThresholdOverridesTheDefault() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, 0.5);

        assertTrue(GateReport.compare(baseline, scores(1_000_000, 15_000, 1.0, 500, 4.0)).passed());
        assertFalse(GateReport.compare(baseline, scores(1_000_000, 17_000, 1.0, 500, 4.0)).passed());
    }

    @Test
    void failsWhenAHotPathStartsAllocating() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, null);

        // 1 B/op may grow by the 16-byte slack, no more.
        assertTrue(GateReport.compare(baseline, scores(1_000_000, 11_000, 17.0, 500, 4.0)).passed());
        final GateReport report = GateReport.compare(baseline, scores(1_000_000, 11_000, 48.0, 500, 4.0));
        assertFalse(report.passed());
        assertTrue(report.rows().get(0).problem().contains("allocates 48.0 B/op (allowed 17.0)"),
            report.rows().get(0).problem());
    }

    @Test
    void failsWhenAGatedBenchmarkWasNotMeasured() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, null);
        final Map<BenchmarkId, Score> scores = Map.of(
            BenchmarkId.of(REF), new Score(1_000_000, 0),
            new BenchmarkId(RANGE, Map.of("bars", "2340")), new Score(11_000, 1.0));

        final GateReport report = GateReport.compare(baseline, scores);

        assertFalse(report.passed());
        assertEquals("not measured in this run", report.rows().get(1).problem());
    }

    @Test
    void refusesToJudgeWithoutTheReference() throws Exception
    {
        final Baseline baseline = baseline(0.011, 1.0, null);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> GateReport.compare(
            baseline, Map.of(new BenchmarkId(RANGE, Map.of("bars", "2340")), new Score(11_000, 1.0))));
        assertTrue(ex.getMessage().contains("reference benchmark"), ex.getMessage());
    }

    @Test
    void anEntryWithoutARecordedBaselineFailsUntilTheBaselineIsRefreshed() throws Exception
    {
        final Baseline baseline = baseline(Double.NaN, Double.NaN, null);

        final GateReport report = GateReport.compare(baseline, scores(1_000_000, 11_000, 1.0, 500, 4.0));

        assertEquals("no baseline recorded: refresh the baseline", report.rows().get(0).problem());
    }

    @Test
    void updatingTheBaselineRecordsTheRunAndKeepsThresholdsAndTheBenchmarkList() throws Exception
    {
        final Path file = dir.resolve("baseline.json");
        baseline(0.011, 1.0, 0.5).write(file);

        final Baseline updated = Baseline.read(file)
            .recordedFrom(scores(2_000_000, 30_000, 2.0, 800, 4.0), "2026-11-22", "test machine");
        updated.write(file);
        final Baseline read = Baseline.read(file);

        assertEquals("2026-11-22", read.recorded());
        assertEquals(2_000_000.0, read.referenceNanosPerOp(), 1e-9);
        assertEquals(2, read.entries().size());
        final Baseline.Entry range = read.entries().get(0);
        assertEquals(0.015, range.relativeCost(), 1e-12);
        assertEquals(2.0, range.allocBytesPerOp(), 1e-12);
        assertEquals(0.5, range.threshold(), 1e-12);
        assertEquals("reads are noisy", range.why());
        assertEquals(0.0004, read.entries().get(1).relativeCost(), 1e-12);
        assertTrue(GateReport.compare(read, scores(2_000_000, 30_000, 2.0, 800, 4.0)).passed());
    }

    @Test
    void commandLineComparesASavedRunAndExitsWithOneOnARegression() throws Exception
    {
        final Path file = dir.resolve("baseline.json");
        baseline(0.011, 1.0, null).write(file);
        final Path ok = write("ok.json", "[" + run(REF, "{}", "us/op", 1000, "[[1000]]", 0) + "," +
            run(RANGE, "{\"bars\":\"2340\"}", "us/op", 11, "[[11]]", 1.0) + "," +
            run(APPEND, "{\"timeframe\":\"1m\"}", "ops/s", 2_000_000, "[[2000000]]", 4.0) + "]");
        final Path slow = write("slow.json", "[" + run(REF, "{}", "us/op", 1000, "[[1000]]", 0) + "," +
            run(RANGE, "{\"bars\":\"2340\"}", "us/op", 11, "[[11]]", 1.0) + "," +
            run(APPEND, "{\"timeframe\":\"1m\"}", "ops/s", 1_000_000, "[[1000000]]", 4.0) + "]");

        assertEquals(RegressionGate.EXIT_PASSED, gate("--baseline", file.toString(), "--results", ok.toString()));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(RegressionGate.EXIT_REGRESSED,
            gate(out, "--baseline", file.toString(), "--results", slow.toString()));
        final String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("AppendBenchmark.batched timeframe=1m"), table);
        assertTrue(table.contains("FAIL: slower by 100% (limit 30%)"), table);
    }

    private int gate(final String... args)
    {
        return gate(new ByteArrayOutputStream(), args);
    }

    private static int gate(final ByteArrayOutputStream out, final String... args)
    {
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            return new picocli.CommandLine(new RegressionGate()).execute(args);
        }
        finally
        {
            System.setOut(saved);
        }
    }

    /** Range read at {@code rangeRelative} of the reference; append batched at 0.0005 (500 ns a bar at 1 ms). */
    private static Baseline baseline(final double rangeRelative, final double rangeAlloc, final Double rangeThreshold)
    {
        return new Baseline("2026-11-01", "test", "refresh", 0.30, 0.25, 16,
            BenchmarkId.of(REF), 1_000_000,
            List.of(
                new Baseline.Entry(new BenchmarkId(RANGE, Map.of("bars", "2340")), rangeRelative, rangeAlloc,
                    rangeThreshold, rangeThreshold == null ? null : "reads are noisy"),
                new Baseline.Entry(new BenchmarkId(APPEND, Map.of("timeframe", "1m")), 0.0005, 4.0, null, null)));
    }

    private static Map<BenchmarkId, Score> scores(
        final double refNanos,
        final double rangeNanos,
        final double rangeAlloc,
        final double appendNanos,
        final double appendAlloc)
    {
        return Map.of(
            BenchmarkId.of(REF), new Score(refNanos, 0),
            new BenchmarkId(RANGE, Map.of("bars", "2340")), new Score(rangeNanos, rangeAlloc),
            new BenchmarkId(APPEND, Map.of("timeframe", "1m")), new Score(appendNanos, appendAlloc));
    }

    private Path write(final String name, final String json) throws Exception
    {
        return Files.writeString(dir.resolve(name), json);
    }

    /** One benchmark's entry in JMH's JSON format, trimmed to the fields JMH always writes. */
    private static String run(
        final String benchmark,
        final String params,
        final String unit,
        final double score,
        final String rawData,
        final double alloc)
    {
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + benchmark + "\",\"mode\":\"avgt\",\"threads\":1," +
            "\"forks\":1,\"params\":" + params + ",\"primaryMetric\":{\"score\":" + score +
            ",\"scoreError\":0.0,\"scoreUnit\":\"" + unit + "\",\"rawData\":" + rawData + "}," +
            "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc + ",\"scoreUnit\":\"B/op\"," +
            "\"rawData\":[[" + alloc + "]]}}}";
    }
}

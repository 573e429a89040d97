package io.barstore.bench.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JMH JSON result file ({@code -rf json}) into {@link Score}s by {@link BenchmarkId}. The gate takes the
 * median of the measured iterations, not JMH's mean: one iteration disturbed by the machine moves a mean on a 2-core
 * VM and barely moves a median. A benchmark measured more than once in the file (the reference, before and after
 * the others) scores the mean of its medians.
 */
public final class JmhResults
{
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private JmhResults()
    {
    }

    public static Map<BenchmarkId, Score> read(final Path file) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray())
        {
            throw new IOException(file + " is not a JMH JSON result file (expected a JSON array)");
        }
        final Map<BenchmarkId, List<Score>> scores = new LinkedHashMap<>();
        for (final JsonNode run : root)
        {
            final BenchmarkId id = new BenchmarkId(text(run, "benchmark", file), params(run.get("params")));
            final JsonNode primary = run.get("primaryMetric");
            if (primary == null)
            {
                throw new IOException(file + ": " + id + " has no primaryMetric");
            }
            final double median = median(primary.get("rawData"), primary.get("score").asDouble());
            final double nanos = Score.nanosPerOp(median, text(primary, "scoreUnit", file));
            final JsonNode alloc = run.path("secondaryMetrics").path(ALLOC_NORM).path("score");
            scores.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new Score(nanos, alloc.isNumber() ? alloc.asDouble() : Double.NaN));
        }
        final Map<BenchmarkId, Score> merged = new LinkedHashMap<>();
        scores.forEach((id, list) -> merged.put(id, new Score(
            list.stream().mapToDouble(Score::nanosPerOp).average().orElseThrow(),
            list.stream().mapToDouble(Score::allocBytesPerOp).average().orElseThrow())));
        return merged;
    }

    /** The score of one finished run, as {@link #read} would make it from the JSON: for progress lines. */
    static Score score(final RunResult run)
    {
        final Result<?> primary = run.getPrimaryResult();
        final Result<?> alloc = run.getSecondaryResults().get(ALLOC_NORM);
        return new Score(Score.nanosPerOp(primary.getStatistics().getPercentile(50), primary.getScoreUnit()),
            alloc == null ? Double.NaN : alloc.getScore());
    }

    private static Map<String, String> params(final JsonNode params)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        if (params != null)
        {
            for (final Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        return map;
    }

    /** The median of every iteration of every fork; JMH's score when there is no raw data. */
    static double median(final JsonNode rawData, final double fallback)
    {
        final List<Double> values = new ArrayList<>();
        if (rawData != null)
        {
            for (final JsonNode fork : rawData)
            {
                for (final JsonNode iteration : fork)
                {
                    values.add(iteration.asDouble());
                }
            }
        }
        if (values.isEmpty())
        {
            return fallback;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String text(final JsonNode node, final String field, final Path file) throws IOException
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual())
        {
            throw new IOException(file + ": missing \"" + field + "\" in " + node);
        }
        return value.asText();
    }
}

package io.barstore.bench.gate;

import java.util.Map;
import java.util.TreeMap;

/** A benchmark method with its JMH parameters: what the gate measures and the baseline names. */
public record BenchmarkId(String benchmark, Map<String, String> params)
{
    public BenchmarkId
    {
        params = Map.copyOf(params);
    }

    public static BenchmarkId of(final String benchmark)
    {
        return new BenchmarkId(benchmark, Map.of());
    }

    /** {@code RangeReadBenchmark.range bars=2340}: the class and method without the package, then the parameters. */
    public String label()
    {
        final String[] parts = benchmark.split("\\.");
        final StringBuilder sb = new StringBuilder(parts.length >= 2 ?
            parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark);
        new TreeMap<>(params).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    public String toString()
    {
        return label();
    }
}

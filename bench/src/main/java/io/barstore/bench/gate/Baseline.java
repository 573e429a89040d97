package io.barstore.bench.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The committed baseline of the regression gate ({@code bench/baseline.json}): which benchmarks the gate runs, and
 * for each its cost relative to the reference benchmark and its bytes allocated per operation when the baseline was
 * recorded, plus the thresholds. The file format, with every field:
 * <pre>
 * {
 *   "recorded": "2026-11-22", "machine": "...", "refresh": "how to re-record it",
 *   "defaultThreshold": 0.30,      // fail when a benchmark's relative cost grows by more than this fraction
 *   "allocTolerance": 0.25,        // and when its allocation grows by more than this fraction...
 *   "allocSlackBytes": 16,         // ...and by more than this many bytes per operation
 *   "reference": {"benchmark": "io.barstore.bench.ReferenceBenchmark.copyAndSum", "params": {}, "nanosPerOp": 1.0},
 *   "benchmarks": [
 *     {"benchmark": "io.barstore.bench.RangeReadBenchmark.range", "params": {"bars": "2340"},
 *      "relativeCost": 0.0123,    // ns/op divided by the reference's ns/op in the same run
 *      "allocBytesPerOp": 0.5,
 *      "threshold": 0.5,          // optional: overrides defaultThreshold for this benchmark
 *      "why": "..."}              // optional: why the override
 *   ]
 * }
 * </pre>
 */
public final class Baseline
{
    /** One gated benchmark and what it measured when the baseline was recorded (NaN: never recorded). */
    public record Entry(BenchmarkId id, double relativeCost, double allocBytesPerOp, Double threshold, String why)
    {
        Entry withMeasured(final double relative, final double alloc)
        {
            return new Entry(id, relative, alloc, threshold, why);
        }
    }

    private final String recorded;
    private final String machine;
    private final String refresh;
    private final double defaultThreshold;
    private final double allocTolerance;
    private final double allocSlackBytes;
    private final BenchmarkId reference;
    private final double referenceNanosPerOp;
    private final List<Entry> entries;

    public Baseline(
        final String recorded,
        final String machine,
        final String refresh,
        final double defaultThreshold,
        final double allocTolerance,
        final double allocSlackBytes,
        final BenchmarkId reference,
        final double referenceNanosPerOp,
        final List<Entry> entries)
    {
        this.recorded = recorded;
        this.machine = machine;
        this.refresh = refresh;
        this.defaultThreshold = defaultThreshold;
        this.allocTolerance = allocTolerance;
        this.allocSlackBytes = allocSlackBytes;
        this.reference = reference;
        this.referenceNanosPerOp = referenceNanosPerOp;
        this.entries = List.copyOf(entries);
    }

    public static Baseline read(final Path file) throws IOException
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot read the gate baseline " + file + ": " + ex.getMessage(), ex);
        }
        final JsonNode ref = required(root, "reference", file);
        final List<Entry> entries = new ArrayList<>();
        for (final JsonNode e : required(root, "benchmarks", file))
        {
            final JsonNode threshold = e.get("threshold");
            entries.add(new Entry(
                id(e, file),
                number(e.get("relativeCost")),
                number(e.get("allocBytesPerOp")),
                threshold == null || threshold.isNull() ? null : threshold.asDouble(),
                e.hasNonNull("why") ? e.get("why").asText() : null));
        }
        return new Baseline(
            root.path("recorded").asText(""),
            root.path("machine").asText(""),
            root.path("refresh").asText(""),
            root.path("defaultThreshold").asDouble(0.30),
            root.path("allocTolerance").asDouble(0.25),
            root.path("allocSlackBytes").asDouble(16),
            id(ref, file),
            number(ref.get("nanosPerOp")),
            entries);
    }

    /** Writes this baseline to {@code file} through a temporary file and a rename, so a crash leaves the old one. */
    public void write(final Path file) throws IOException
    {
        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode root = mapper.createObjectNode();
        root.put("recorded", recorded);
        root.put("machine", machine);
        root.put("refresh", refresh);
        root.put("defaultThreshold", defaultThreshold);
        root.put("allocTolerance", allocTolerance);
        root.put("allocSlackBytes", allocSlackBytes);
        final ObjectNode ref = putId(root.putObject("reference"), reference);
        putNumber(ref, "nanosPerOp", referenceNanosPerOp, 4);
        final ArrayNode list = root.putArray("benchmarks");
        for (final Entry e : entries)
        {
            final ObjectNode node = putId(list.addObject(), e.id());
            putNumber(node, "relativeCost", e.relativeCost(), 4);
            putNumber(node, "allocBytesPerOp", e.allocBytesPerOp(), 3);
            if (e.threshold() != null)
            {
                node.put("threshold", e.threshold());
            }
            if (e.why() != null)
            {
                node.put("why", e.why());
            }
        }
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, mapper.writeValueAsString(root) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** This baseline with every entry's and the reference's figures replaced by those of a run. */
    public Baseline recordedFrom(
        final Map<BenchmarkId, Score> scores, final String date, final String machineDescription)
    {
        final Score ref = scores.get(reference);
        if (ref == null)
        {
            throw new IllegalArgumentException("the run has no result for the reference " + reference);
        }
        final List<Entry> updated = new ArrayList<>();
        for (final Entry e : entries)
        {
            final Score s = scores.get(e.id());
            if (s == null)
            {
                throw new IllegalArgumentException("the run has no result for " + e.id() + "; nothing was recorded");
            }
            updated.add(e.withMeasured(s.nanosPerOp() / ref.nanosPerOp(), s.allocBytesPerOp()));
        }
        return new Baseline(date, machineDescription, refresh, defaultThreshold, allocTolerance, allocSlackBytes,
            reference, ref.nanosPerOp(), updated);
    }

    /** This baseline with only the entries in {@code ids}, in their order. */
    public Baseline only(final Set<BenchmarkId> ids)
    {
        return new Baseline(recorded, machine, refresh, defaultThreshold, allocTolerance, allocSlackBytes, reference,
            referenceNanosPerOp, entries.stream().filter(e -> ids.contains(e.id())).toList());
    }

    public String recorded()
    {
        return recorded;
    }

    public String machine()
    {
        return machine;
    }

    public double defaultThreshold()
    {
        return defaultThreshold;
    }

    public double allocTolerance()
    {
        return allocTolerance;
    }

    public double allocSlackBytes()
    {
        return allocSlackBytes;
    }

    public BenchmarkId reference()
    {
        return reference;
    }

    public double referenceNanosPerOp()
    {
        return referenceNanosPerOp;
    }

    public List<Entry> entries()
    {
        return entries;
    }

    public double thresholdOf(final Entry entry)
    {
        return entry.threshold() != null ? entry.threshold() : defaultThreshold;
    }

    private static BenchmarkId id(final JsonNode node, final Path file) throws IOException
    {
        final JsonNode name = node.get("benchmark");
        if (name == null || !name.isTextual())
        {
            throw new IOException(file + ": an entry without \"benchmark\": " + node);
        }
        final Map<String, String> params = new LinkedHashMap<>();
        final JsonNode p = node.get("params");
        if (p != null)
        {
            for (final Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); )
            {
                final Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        return new BenchmarkId(name.asText(), params);
    }

    private static ObjectNode putId(final ObjectNode node, final BenchmarkId id)
    {
        node.put("benchmark", id.benchmark());
        final ObjectNode params = node.putObject("params");
        id.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> params.put(e.getKey(), e.getValue()));
        return node;
    }

    private static void putNumber(final ObjectNode node, final String field, final double value, final int digits)
    {
        if (Double.isNaN(value))
        {
            node.putNull(field);
        }
        else
        {
            // Rounded to a few significant digits: a baseline is a measurement, not a 17-digit fact.
            node.put(field, Double.parseDouble(String.format("%." + digits + "g", value)));
        }
    }

    private static double number(final JsonNode node)
    {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }

    private static JsonNode required(final JsonNode root, final String field, final Path file) throws IOException
    {
        final JsonNode node = root == null ? null : root.get(field);
        if (node == null || node.isNull())
        {
            throw new IOException(file + ": missing \"" + field + "\"");
        }
        return node;
    }
}

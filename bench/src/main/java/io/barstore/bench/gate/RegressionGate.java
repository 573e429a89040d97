package io.barstore.bench.gate;

import io.barstore.bench.BenchMain;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The performance regression gate CI runs: measures the benchmarks listed in {@code bench/baseline.json} and the
 * reference benchmark (before and after them) with JMH ({@code -prof gc}, one fork each), writes the JMH JSON, divides every score by the
 * reference's, compares with the baseline and prints a table; exit status 1 when anything regressed.
 * <p>
 * Refresh the baseline on purpose, on a quiet machine, after a change that makes something legitimately slower or
 * faster: {@code java -cp bench/target/benchmarks.jar io.barstore.bench.gate.RegressionGate --update-baseline}, then
 * commit {@code bench/baseline.json} saying why.
 */
@Command(name = "regression-gate", mixinStandardHelpOptions = true,
    description = "Runs the gated JMH benchmarks and fails when one is slower or allocates more than the baseline.")
public final class RegressionGate implements Callable<Integer>
{
    static final int EXIT_PASSED = 0;
    static final int EXIT_REGRESSED = 1;
    static final int EXIT_ERROR = 2;

    @Option(names = "--baseline", description = "The baseline file (default: bench/baseline.json in the repository).")
    Path baselineFile;

    @Option(names = "--results", description = "Compare this JMH JSON file instead of running the benchmarks.")
    Path resultsFile;

    @Option(names = "--out", description = "Where to write the JMH JSON of the run (default: bench/target/gate.json).")
    Path outFile;

    @Option(names = "--only", description = "Only the baseline entries whose label matches this regular expression.")
    Pattern only;

    @Option(names = "--jvm-arg", description = "An extra JVM argument for every benchmark fork (repeatable), e.g. " +
        "-Dbarstore.slowdown.nanos=5000 to see the gate fail.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--warmup", description = "Warm-up iterations of 1 s (default: ${DEFAULT-VALUE}).")
    int warmupIterations = 3;

    @Option(names = "--iterations", description = "Measured iterations of 1 s (default: ${DEFAULT-VALUE}).")
    int measurementIterations = 5;

    @Option(names = "--no-confirm", description = "Fail on the first measurement. By default regressed benchmarks " +
        "are measured a second time and fail only if they regress again.")
    boolean noConfirm;

    @Option(names = "--verbose", description = "Show JMH's own output (iterations, profiler figures).")
    boolean verbose;

    @Option(names = "--update-baseline",
        description = "Record this run as the new baseline (thresholds and the benchmark list are kept).")
    boolean updateBaseline;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RegressionGate()).execute(args));
    }

    public Integer call() throws Exception
    {
        final Path root = BenchMain.findRoot();
        final Path baselinePath = baselineFile != null ? baselineFile : resolve(root, "bench/baseline.json");
        Baseline baseline = Baseline.read(baselinePath);
        if (only != null)
        {
            final Set<BenchmarkId> matching = new HashSet<>();
            baseline.entries().stream()
                .filter(e -> only.matcher(e.id().label()).find())
                .forEach(e -> matching.add(e.id()));
            baseline = baseline.only(matching);
            if (baseline.entries().isEmpty())
            {
                System.err.println("--only " + only + " matches no benchmark of " + baselinePath);
                return EXIT_ERROR;
            }
            if (updateBaseline)
            {
                System.err.println("--update-baseline records every benchmark; it cannot be combined with --only");
                return EXIT_ERROR;
            }
        }

        final Path results;
        if (resultsFile != null)
        {
            results = resultsFile;
        }
        else
        {
            results = outFile != null ? outFile : resolve(root, "bench/target/gate.json");
            run(baseline, root, results);
        }
        final Map<BenchmarkId, Score> scores = JmhResults.read(results);

        if (updateBaseline)
        {
            final Baseline updated = Baseline.read(baselinePath)
                .recordedFrom(scores, LocalDate.now(ZoneOffset.UTC).toString(), machineDescription());
            updated.write(baselinePath);
            System.out.println(GateReport.compare(updated, scores).table());
            System.out.println("baseline recorded in " + baselinePath + "; commit it and say why in the message");
            return EXIT_PASSED;
        }
        final GateReport report = GateReport.compare(baseline, scores);
        System.out.println(report.table());
        if (report.passed() || resultsFile != null || noConfirm)
        {
            return report.passed() ? EXIT_PASSED : EXIT_REGRESSED;
        }
        // A 2-core VM now and then stalls a whole iteration set; a real regression survives a second measurement.
        final Set<BenchmarkId> failed = new HashSet<>();
        report.rows().stream().filter(r -> !r.passed()).forEach(r -> failed.add(r.id()));
        final Baseline again = baseline.only(failed);
        System.out.println("== gate: " + failed.size() + " regressed; measuring them and the reference once more");
        final Path confirmation = results.resolveSibling(results.getFileName() + ".confirm.json");
        run(again, root, confirmation);
        final GateReport second = GateReport.compare(again, JmhResults.read(confirmation));
        System.out.println(second.table());
        System.out.println(second.passed() ?
            "gate: PASSED on the second measurement; the first was disturbed" :
            "gate: FAILED twice in a row: a regression, or a change that needs a refreshed baseline (see --help)");
        return second.passed() ? EXIT_PASSED : EXIT_REGRESSED;
    }

    /** Runs the reference first, then every entry, each in its own fork, and writes all results as JMH JSON. */
    private void run(final Baseline baseline, final Path root, final Path results) throws RunnerException, IOException
    {
        final List<BenchmarkId> ids = new ArrayList<>();
        ids.add(baseline.reference());
        baseline.entries().forEach(e -> ids.add(e.id()));
        // The reference again at the end: the gate uses the mean of both, which evens out a machine that got
        // faster or slower while the run went on.
        ids.add(baseline.reference());
        final List<RunResult> all = new ArrayList<>();
        final long began = System.nanoTime();
        for (final BenchmarkId id : ids)
        {
            System.out.printf("== gate: %s%n", id.label());
            final ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(id.benchmark()) + "$")
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(measurementIterations)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .jvmArgsAppend(BenchMain.forkJvmArgs(jvmArgs, root).toArray(String[]::new));
            id.params().forEach(options::param);
            final var run = new Runner(options.build()).run();
            if (run.isEmpty())
            {
                throw new IllegalStateException("JMH ran nothing for " + id + ": is the benchmark name right?");
            }
            all.addAll(run);
            final Score score = JmhResults.score(run.iterator().next());
            System.out.printf("   %,.1f ns/op, %,.1f B/op%n", score.nanosPerOp(), score.allocBytesPerOp());
        }
        Files.createDirectories(results.toAbsolutePath().getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(results), true, StandardCharsets.UTF_8))
        {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(all);
        }
        System.out.printf("== gate: %d benchmarks in %d s; JMH JSON in %s%n", ids.size(),
            (System.nanoTime() - began) / 1_000_000_000L, results);
    }

    private static Path resolve(final Path root, final String relative)
    {
        return root != null ? root.resolve(relative) : Path.of(relative);
    }

    private static String machineDescription()
    {
        String cpu = "unknown CPU";
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse(cpu);
        }
        catch (final IOException ignored)
        {
            // not Linux: the JVM's figures still say something
        }
        return Runtime.getRuntime().availableProcessors() + " x " + cpu + ", " +
            Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap (gate JVM), Java " +
            System.getProperty("java.version");
    }
}

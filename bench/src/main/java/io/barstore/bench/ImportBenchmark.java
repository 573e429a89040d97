package io.barstore.bench;

import io.barstore.engine.BarStore;
import io.barstore.engine.Timeframe;
import io.barstore.tools.importer.FileResult;
import io.barstore.tools.importer.ImportOptions;
import io.barstore.tools.importer.Importer;
import io.barstore.tools.importer.Progress;
import io.barstore.tools.importer.TsUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code barstore import} of a generic CSV file ({@code ts,open,high,low,close,volume,vwap,trades}, 100,000 rows of
 * 1-minute bars, 6.4 MB) through the importer the command uses. Scores are rows/s.
 * <ul>
 *   <li>{@link #parse}: read the file, parse and check every row, hold the bars: a dry run, nothing written.</li>
 *   <li>{@link #parseAndWrite}: the same, then written into a real store ({@code SyncPolicy.NONE}, maintenance off)
 *   as a new series each time, so every bar appends and each call creates the series' ~70 day partitions, as
 *   importing a new symbol's history does.</li>
 * </ul>
 * The file stays in the page cache; {@link #ts} picks the timestamp form (ISO-8601 or epoch ms).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ImportBenchmark
{
    static final int ROWS = 100_000;

    /** How the ts column is written: {@code iso} (2024-01-02T14:30:00Z) or {@code ms} (epoch milliseconds). */
    @Param({"iso", "ms"})
    public String ts;

    private Path tempDir;
    private Path file;
    private BarStore store;
    private Importer writer;
    private Importer parser;
    private int series;

    @Setup(Level.Trial)
    public void setUpTrial()
    {
        tempDir = BenchSupport.createTempDir("import");
        file = tempDir.resolve("bars.csv");
        writeCsv(file, "ms".equals(ts));
        store = BenchSupport.openStore(tempDir.resolve("store"));
        writer = new Importer(store, options("S0", false), Progress.none());
        parser = new Importer(null, options("P", true), Progress.none());
    }

    @TearDown(Level.Trial)
    public void tearDownTrial()
    {
        BenchSupport.closeQuietly(store);
        BenchSupport.deleteRecursively(tempDir);
    }

    /** Read, parse and check 100,000 rows; nothing written. Score: rows/s. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long parse()
    {
        return check(parser.importFile(file.toString())).bars();
    }

    /** Read, parse, check and append 100,000 rows as a new series. Score: rows/s. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long parseAndWrite()
    {
        final FileResult result = writer.withOptions(options("S" + ++series, false)).importFile(file.toString());
        if (check(result).appended() != ROWS)
        {
            throw new IllegalStateException("appended " + result.appended() + " of " + ROWS);
        }
        return result.appended();
    }

    private static FileResult check(final FileResult result)
    {
        if (!result.ok() || result.bars() != ROWS)
        {
            throw new IllegalStateException(result.describe());
        }
        return result;
    }

    private static ImportOptions options(final String symbol, final boolean dryRun)
    {
        return ImportOptions.builder().symbols(symbol).timeframe(Timeframe.M1).tsUnit(TsUnit.AUTO).dryRun(dryRun)
            .build();
    }

    /** Minute bars from 2020-01-01, prices with two decimals, as vendors' files have them. */
    static void writeCsv(final Path file, final boolean epochMillis)
    {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("ts,open,high,low,close,volume,vwap,trades\n");
            final StringBuilder line = new StringBuilder(96);
            for (int i = 0; i < ROWS; i++)
            {
                final long tsNanos = BenchSupport.EPOCH_2020 + i * 60_000_000_000L;
                final long cents = 10_000 + (i * 37L % 2_000);
                line.setLength(0);
                if (epochMillis)
                {
                    line.append(tsNanos / 1_000_000L);
                }
                else
                {
                    line.append(Instant.ofEpochSecond(tsNanos / 1_000_000_000L));
                }
                line.append(',');
                price(line, cents).append(',');
                price(line, cents + 45).append(',');
                price(line, cents - 38).append(',');
                price(line, cents + 12).append(',');
                line.append(1_000 + (i & 1023)).append(',');
                price(line, cents + 3).append(',');
                line.append(10 + (i & 63)).append('\n');
                out.append(line);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static StringBuilder price(final StringBuilder sb, final long cents)
    {
        sb.append(cents / 100).append('.');
        final long c = cents % 100;
        return sb.append(c < 10 ? "0" : "").append(c);
    }
}

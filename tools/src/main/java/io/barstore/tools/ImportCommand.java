package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Timeframe;
import io.barstore.tools.importer.FileResult;
import io.barstore.tools.importer.ImportFormat;
import io.barstore.tools.importer.ImportOptions;
import io.barstore.tools.importer.ImportSummary;
import io.barstore.tools.importer.Importer;
import io.barstore.tools.importer.Progress;
import io.barstore.tools.importer.TsUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Imports bars from CSV and vendor files: a generic CSV, Polygon/Massive flat files, Alpaca bars JSON, Binance "
            + "klines, Yahoo/Stooq daily CSV, or trades made into bars. Gzip and zip files are read as they are.",
        "",
        "Each file is read and checked whole before anything is written, then written in batches. --strict (the "
            + "default) rejects a file at its first bad line, naming the line and the rule, and writes nothing from "
            + "it; --lenient skips bad rows and lists them (the first 20, then a count). A file with two rows of one "
            + "series at one ts is bad at the later row. Rows out of time order are fine. Importing a file again "
            + "changes nothing: its bars are reported as replaced.",
        "",
        "Daily (1d) and weekly (1w) bars open at 00:00 UTC of their date. A bar stamped at the exchange's midnight or "
            + "close (Alpaca and Polygon stamp US daily bars at 04:00/05:00 UTC) is moved to its date in --tz "
            + "(America/New_York by default for alpaca and polygon files).",
        "",
        "Ends with a line per file and a summary: rows read, bars appended / replaced / upserted, rows rejected, "
            + "bars/s. Exit status 2 when any file was rejected."},
    footer = {
        "",
        "Examples:",
        "  barstore import AAPL-1m.csv --symbol AAPL --timeframe 1m",
        "  barstore import minute_aggs_v1/2024/01/2024-01-02.csv.gz --source polygon",
        "  barstore import bars.json --timeframe 1Day --source alpaca",
        "  barstore import BTCUSDT-1m-2024-01.zip --source binance",
        "  barstore import SPY.csv --symbol SPY",
        "  barstore import trades.csv --symbol AAPL --timeframe 1m",
        "  barstore import es.csv --symbol ES --timeframe 5m --tz America/Chicago"})
final class ImportCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE",
        description = "Files to import, in order; - reads stdin. .gz and .zip are decompressed (by content).")
    List<String> files;

    @Option(names = "--symbol", paramLabel = "SYMBOL[,SYMBOL...]",
        description = "The symbol of a file that names none. For a file with a symbol column (Polygon, Alpaca, a CSV "
            + "with symbol/ticker): import only these symbols.")
    String symbol;

    @Option(names = "--timeframe", paramLabel = "TF", converter = TimeframeConverter.class,
        description = "Timeframe of the bars: 1s 5s 10s 15s 30s 1m 5m 15m 30m 1h 2h 4h 1d 1w (or 5Min, 1Hour, 1Day, "
            + "minute, day). Needed unless the file implies it: yahoo 1d, Binance and Polygon by file name.")
    Timeframe timeframe;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "default",
        description = "The source the series belong to, e.g. the vendor (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = FormatConverter.class,
        description = "auto, csv, polygon, alpaca, binance, yahoo or trades (default: ${DEFAULT-VALUE}: each file's "
            + "own, from its header).")
    ImportFormat format;

    @Option(names = "--ts-col", paramLabel = "COLUMN",
        description = "Column of the bar open time: a header name (case and punctuation ignored) or a 1-based number. "
            + "Every --*-col takes the same; without them columns are found by their usual names (ts, timestamp, "
            + "date, open, o, ...), or by position without a header (ts, open, high, low, close, volume, vwap, "
            + "trades).")
    String tsColumn;

    @Option(names = "--open-col", paramLabel = "COLUMN", description = "Column of the open price.")
    String openColumn;

    @Option(names = "--high-col", paramLabel = "COLUMN", description = "Column of the high price.")
    String highColumn;

    @Option(names = "--low-col", paramLabel = "COLUMN", description = "Column of the low price.")
    String lowColumn;

    @Option(names = "--close-col", paramLabel = "COLUMN", description = "Column of the close price.")
    String closeColumn;

    @Option(names = "--volume-col", paramLabel = "COLUMN", description = "Column of the volume (0 when there is none).")
    String volumeColumn;

    @Option(names = "--vwap-col", paramLabel = "COLUMN", description = "Column of the vwap (unknown when there is none).")
    String vwapColumn;

    @Option(names = "--trades-col", paramLabel = "COLUMN",
        description = "Column of the trade count (unknown when there is none).")
    String tradesColumn;

    @Option(names = "--symbol-col", paramLabel = "COLUMN", description = "Column of the symbol, for a multi-symbol file.")
    String symbolColumn;

    @Option(names = "--price-col", paramLabel = "COLUMN", description = "Trades: column of the price.")
    String priceColumn;

    @Option(names = "--size-col", paramLabel = "COLUMN", description = "Trades: column of the size (quantity).")
    String sizeColumn;

    @Option(names = "--delimiter", paramLabel = "CHAR", converter = DelimiterConverter.class,
        description = "Field delimiter: one character, or tab (default: the most frequent of , ; tab | in the first "
            + "line).")
    Character delimiter;

    @Option(names = "--header", description = "The first line is a header (default: detected: it is one when none of "
        + "its fields is a number or a timestamp).")
    boolean header;

    @Option(names = "--no-header", description = "The first line is data.")
    boolean noHeader;

    @Option(names = "--ts-unit", paramLabel = "UNIT", defaultValue = "auto", converter = TsUnitConverter.class,
        description = "auto, s, ms, us, ns, iso or date (default: ${DEFAULT-VALUE}: epoch digits by magnitude, else "
            + "ISO-8601; every row must match the first).")
    TsUnit tsUnit;

    @Option(names = "--tz", paramLabel = "ZONE", converter = ZoneIdConverter.class,
        description = "Time zone of timestamps without an offset (e.g. America/New_York), correct across daylight "
            + "saving changes; daily bars take their date in it. Default: UTC.")
    ZoneId zone;

    @Option(names = "--strict", description = "Reject a file at its first bad line; nothing from it is written "
        + "(the default).")
    boolean strict;

    @Option(names = "--lenient", description = "Skip bad rows, list them, and import the rest.")
    boolean lenient;

    @Option(names = "--dry-run", description = "Read and check the files; write nothing.")
    boolean dryRun;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
        description = "auto, bar, lines or none (default: ${DEFAULT-VALUE}: a bar on a terminal, a line every 5 s "
            + "otherwise).")
    String progress;

    public Integer call()
    {
        final CommandLine cl = spec.commandLine();
        final PrintWriter out = cl.getOut();
        final PrintWriter err = cl.getErr();
        final ImportOptions options = options(cl);
        final Progress shown = progress(out);
        checkFilesExist();

        final ImportSummary summary;
        if (options.dryRun())
        {
            summary = run(null, options, shown, out);
        }
        else
        {
            try (BarStore store = Stores.open(common.dataDir(), true))
            {
                summary = run(store, options, shown, out);
                if (summary.barsWritten() > 0)
                {
                    final long started = System.nanoTime();
                    store.maintain(Stores.nowNanos());
                    out.println("sealed the closed periods in " + Format.duration(System.nanoTime() - started));
                }
            }
        }
        out.println(summary.describe());
        out.flush();
        final FileResult rejected = summary.firstRejected();
        if (rejected == null)
        {
            return Main.EXIT_OK;
        }
        final long count = summary.rejectedFiles();
        err.println("barstore: " + (summary.files().size() > 1 ? count + " of " + summary.files().size() +
            " files rejected; the first: " : "") + Main.oneLine(rejected.failure().getMessage()) +
            (rejected.failure().partiallyWritten() ? " (some of it was written; importing it again is safe)" :
                " (nothing was written from it" + (options.strict() ? "; --lenient skips bad rows)" : ")")));
        return Main.exitCode(rejected.failure());
    }

    private ImportSummary run(final BarStore store, final ImportOptions options, final Progress shown,
        final PrintWriter out)
    {
        final ImportSummary summary = new ImportSummary();
        final Importer importer = new Importer(store, options, shown);
        for (final String file : files)
        {
            final FileResult result = importer.importFile(file);
            summary.add(result);
            ImportSummary.print(result, out);
            out.flush();
        }
        summary.finish();
        return summary;
    }

    private ImportOptions options(final CommandLine cl)
    {
        if (strict && lenient)
        {
            throw new CommandLine.ParameterException(cl, "--strict and --lenient contradict each other; give one");
        }
        if (header && noHeader)
        {
            throw new CommandLine.ParameterException(cl, "--header and --no-header contradict each other; give one");
        }
        if (files.stream().filter("-"::equals).count() > 1)
        {
            throw new CommandLine.ParameterException(cl, "stdin (-) can be read once only");
        }
        try
        {
            return ImportOptions.builder()
                .symbols(symbol)
                .timeframe(timeframe)
                .source(source)
                .format(format)
                .tsColumn(tsColumn).openColumn(openColumn).highColumn(highColumn).lowColumn(lowColumn)
                .closeColumn(closeColumn).volumeColumn(volumeColumn).vwapColumn(vwapColumn)
                .tradesColumn(tradesColumn).symbolColumn(symbolColumn).priceColumn(priceColumn).sizeColumn(sizeColumn)
                .delimiter(delimiter)
                .header(header ? Boolean.TRUE : noHeader ? Boolean.FALSE : null)
                .tsUnit(tsUnit)
                .zone(zone)
                .strict(!lenient)
                .dryRun(dryRun)
                .build();
        }
        catch (final BarStoreException ex)
        {
            throw new CommandLine.ParameterException(cl, ex.getMessage());
        }
    }

    /** Every file must be there before the store is opened or anything is imported. */
    private void checkFilesExist()
    {
        for (final String file : files)
        {
            if (!"-".equals(file) && !Files.exists(Path.of(file)))
            {
                throw new BarStoreException(BarStoreException.Category.NOT_FOUND, "no such file: " + file +
                    "; nothing was imported");
            }
        }
    }

    private Progress progress(final PrintWriter out)
    {
        return switch (progress.toLowerCase(Locale.ROOT))
        {
            case "none" -> Progress.none();
            case "bar" -> Progress.bar();
            case "lines" -> Progress.lines(out);
            case "auto" -> System.console() != null ? Progress.bar() : Progress.lines(out);
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                "--progress must be auto, bar, lines or none, not '" + progress + "'");
        };
    }

    static final class TimeframeConverter implements CommandLine.ITypeConverter<Timeframe>
    {
        public Timeframe convert(final String value)
        {
            try
            {
                return Timeframe.parse(value);
            }
            catch (final BarStoreException ex)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a timeframe; use 1s 5s 10s 15s " +
                    "30s 1m 5m 15m 30m 1h 2h 4h 1d 1w (or 5Min, 1Hour, 1Day, minute, day)");
            }
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ImportFormat>
    {
        public ImportFormat convert(final String value)
        {
            final ImportFormat f = ImportFormat.byLabel(value);
            if (f == null)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a format; use auto, csv, " +
                    "polygon, alpaca, binance, yahoo or trades");
            }
            return f;
        }
    }

    static final class TsUnitConverter implements CommandLine.ITypeConverter<TsUnit>
    {
        public TsUnit convert(final String value)
        {
            final TsUnit u = TsUnit.byLabel(value);
            if (u == null)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a ts unit; use auto, s, ms, " +
                    "us, ns, iso or date");
            }
            return u;
        }
    }

    static final class ZoneIdConverter implements CommandLine.ITypeConverter<ZoneId>
    {
        public ZoneId convert(final String value)
        {
            try
            {
                return ZoneId.of(value.trim());
            }
            catch (final DateTimeException ex)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a time zone; give a region " +
                    "such as America/New_York or Europe/London, or UTC");
            }
        }
    }

    static final class DelimiterConverter implements CommandLine.ITypeConverter<Character>
    {
        public Character convert(final String value)
        {
            final String v = value.toLowerCase(Locale.ROOT);
            switch (v)
            {
                case "tab", "\\t", "\t":
                    return '\t';
                case "comma":
                    return ',';
                case "semicolon":
                    return ';';
                case "pipe":
                    return '|';
                case "space":
                    return ' ';
                default:
                    break;
            }
            if (value.length() != 1 || value.charAt(0) == '"' || value.charAt(0) == '\n' || value.charAt(0) == '\r')
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a delimiter; give one " +
                    "character (not a quote or a line break), or tab");
            }
            return value.charAt(0);
        }
    }
}

package io.barstore.tools.importer;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Imports files into a store, one at a time, each as a whole: every row is read, checked and held (off-heap) before
 * the first is written, so in strict mode a bad row rejects the file with nothing written from it; then the bars are
 * written in batches of up to {@link ChunkPool#CHUNK_ROWS}. Files are independent: one rejected does not stop the
 * next. Writing the same file again changes nothing (equal ts replace).
 * <p>
 * One thread; the store is single-writer, so this is the only writer while it runs.
 */
public final class Importer
{
    private final BarStore store;
    private final ImportOptions options;
    private final Progress progress;
    private final ChunkPool pool;
    private final WriteResult writeResult = new WriteResult();
    private CsvRowMapper csvRows;
    private AlpacaJsonReader jsonRows;

    /** @param store where to write; may be null for a {@link ImportOptions#dryRun() dry run}. */
    public Importer(final BarStore store, final ImportOptions options, final Progress progress)
    {
        this(store, options, progress, new ChunkPool());
    }

    private Importer(final BarStore store, final ImportOptions options, final Progress progress, final ChunkPool pool)
    {
        if (store == null && !options.dryRun())
        {
            throw new IllegalArgumentException("a store is needed unless it is a dry run");
        }
        this.store = store;
        this.options = options;
        this.progress = progress;
        this.pool = pool;
    }

    /** An importer into the same store with other options (another symbol, say) that reuses this one's buffers. */
    public Importer withOptions(final ImportOptions other)
    {
        return new Importer(store, other, progress, pool);
    }

    /**
     * Imports one file ({@code -} for stdin). Never throws for bad input: a rejected file is a result with
     * {@link FileResult#failure()} set.
     */
    public FileResult importFile(final String arg)
    {
        final long started = System.nanoTime();
        final FileResult result = new FileResult(ImportInput.displayName(arg));
        result.dryRun = options.dryRun();
        csvRows = null;
        jsonRows = null;
        final Progress.File fileProgress = progress.start(result.name(), ImportInput.size(arg), this::rowsSoFar);
        SeriesTable table = null;
        try (ImportInput in = ImportInput.open(arg, fileProgress))
        {
            final RowErrors errors = new RowErrors(in.name(), options.strict());
            ImportFormat format = options.format();
            FormatDetector sniff = null;
            if (format != ImportFormat.ALPACA)
            {
                sniff = new FormatDetector(in.head(), in.headIsWholeFile(), options.delimiter(), options.header());
                if (format == ImportFormat.AUTO)
                {
                    format = sniff.detect(in.head());
                }
            }
            result.format = format;
            table = format == ImportFormat.ALPACA ? readAlpaca(in, errors, result) : readCsv(in, sniff, format, errors,
                result);
            for (final SeriesBuffer series : table.series())
            {
                series.finish(errors);
                result.series.add(series.key());
                result.bars += series.bars();
            }
            result.rowsRejected = errors.total();
            result.rejectedRows = errors.listed();
            if (!options.dryRun())
            {
                write(table, in.name(), fileProgress, result);
            }
        }
        catch (final ImportException ex)
        {
            result.failure = ex;
        }
        catch (final OutOfMemoryError ex)
        {
            // Direct memory for the held bars ran out: the file is rejected whole, as a bad row would reject it.
            result.failure = tooLarge(result.name(), ex);
        }
        finally
        {
            if (table != null)
            {
                table.release();
            }
            fileProgress.close();
            if (result.rowsRead == 0)
            {
                result.rowsRead = rowsSoFar(); // a rejected file: the rows read up to the bad one
            }
            result.elapsedNanos = System.nanoTime() - started;
        }
        return result;
    }

    private long rowsSoFar()
    {
        return csvRows != null ? csvRows.rows() : jsonRows != null ? jsonRows.rows() : 0;
    }

    private SeriesTable readCsv(
        final ImportInput in, final FormatDetector sniff, final ImportFormat format, final RowErrors errors,
        final FileResult result)
    {
        final String name = in.name();
        if (sniff.blank())
        {
            throw new ImportException(name, "holds only blank lines");
        }
        final CsvPreset preset = CsvPreset.of(format);
        final int fieldCount = preset.fixedFieldCount() > 0 ? preset.fixedFieldCount() : sniff.fieldCount();
        final List<String> header = sniff.headerNames();
        final ColumnMapping mapping = ColumnMapping.resolve(name, preset, options, header, fieldCount);
        final Timeframe timeframe = timeframe(name, preset.timeframe(name), format, preset.timeframeHint());
        result.timeframe = timeframe;
        final ZoneId zone = options.zone() != null ? options.zone() : preset.zone();
        final TsUnit unit = options.tsUnit() != TsUnit.AUTO ? options.tsUnit() : preset.tsUnit();
        final TimestampParser ts = new TimestampParser(unit,
            options.zone() != null ? new ZoneConverter(options.zone()) : null);

        final boolean multiSymbol = mapping.has(Role.SYMBOL);
        final SeriesTable table = new SeriesTable(timeframe, options.source(),
            multiSymbol && !options.symbols().isEmpty() ? Set.copyOf(options.symbols()) : null, pool, preset.trades());
        SeriesBuffer fixed = null;
        if (!multiSymbol)
        {
            fixed = table.fixed(fixedSymbol(name, preset.symbol(name)));
        }
        final CsvRowMapper rows = new CsvRowMapper(mapping, fieldCount, sniff.header(), preset.trades(), timeframe, ts,
            zone == null ? null : new ZoneConverter(zone), table, fixed, errors, name);
        csvRows = rows;
        try
        {
            parse(in, sniff.delimiter(), rows);
        }
        catch (final RuntimeException ex)
        {
            table.release();
            throw ex;
        }
        result.rowsRead = rows.rows();
        result.otherSymbolRows = rows.otherSymbolRows();
        result.layout = mapping.describe() + (ts.kind() == null ? "" : ", ts as " + TimestampParser.describe(ts.kind()));
        return table;
    }

    /** Runs FastCSV over the whole file, the mapper taking every row. */
    private static void parse(final ImportInput in, final char delimiter, final CsvRowMapper rows)
    {
        final String name = in.name();
        try (CsvReader<Object> reader = CsvReader.builder()
            .fieldSeparator(delimiter)
            .skipEmptyLines(true)
            .allowExtraFields(true)
            .allowMissingFields(true)
            .build(rows, in.reader()))
        {
            reader.iterator().hasNext(); // the mapper keeps every row, so this one call reads the whole file
        }
        catch (final CsvParseException ex)
        {
            throw csvFailure(name, ex, rows.line(), in.bytesRead());
        }
        catch (final UncheckedIOException ex)
        {
            throw ImportInput.unreadable(name, ex.getCause(), in.bytesRead());
        }
        catch (final IOException ex)
        {
            throw ImportInput.unreadable(name, ex, in.bytesRead());
        }
    }

    private SeriesTable readAlpaca(final ImportInput in, final RowErrors errors, final FileResult result)
    {
        final String name = in.name();
        final Timeframe timeframe = timeframe(name, null, ImportFormat.ALPACA, "e.g. --timeframe 1Min or 1Day");
        result.timeframe = timeframe;
        final ZoneId zone = options.zone() != null ? options.zone() : CsvPreset.NEW_YORK;
        final SeriesTable table = new SeriesTable(timeframe, options.source(),
            options.symbols().isEmpty() ? null : Set.copyOf(options.symbols()), pool, false);
        final AlpacaJsonReader reader = new AlpacaJsonReader(name, timeframe, new ZoneConverter(zone), table,
            options.symbols().size() == 1 ? options.symbols().get(0) : null, errors, pool);
        jsonRows = reader;
        try
        {
            reader.read(in.stream());
        }
        catch (final IOException ex)
        {
            reader.release();
            table.release();
            throw ImportInput.unreadable(name, ex, in.bytesRead());
        }
        catch (final RuntimeException ex)
        {
            reader.release();
            table.release();
            throw ex;
        }
        result.rowsRead = reader.rows();
        result.otherSymbolRows = reader.otherSymbolRows();
        result.layout = "Alpaca bars JSON";
        return table;
    }

    private Timeframe timeframe(final String file, final Timeframe implied, final ImportFormat format, final String hint)
    {
        if (options.timeframe() != null)
        {
            return options.timeframe();
        }
        if (implied != null)
        {
            return implied;
        }
        throw new ImportException(file, "give --timeframe: a " + format.label() + " file does not say which (" +
            hint + ")");
    }

    private String fixedSymbol(final String file, final String implied)
    {
        final List<String> symbols = options.symbols();
        if (symbols.size() > 1)
        {
            throw new ImportException(file, "--symbol lists " + symbols.size() + " symbols, but the file has no " +
                "symbol column; give one (or name its symbol column with --symbol-col)");
        }
        if (symbols.size() == 1)
        {
            return symbols.get(0);
        }
        if (implied != null)
        {
            return implied;
        }
        throw new ImportException(file, "give --symbol: the file has no symbol column (or name it with --symbol-col)");
    }

    private void write(final SeriesTable table, final String name, final Progress.File fileProgress,
        final FileResult result)
    {
        fileProgress.phase("writing " + FileResult.count(result.bars) + " bars");
        final WriteCounts counts = new WriteCounts();
        try
        {
            for (final SeriesBuffer series : table.series())
            {
                series.write(store, writeResult, counts, name);
            }
        }
        catch (final ImportException ex)
        {
            throw counts.batches > 0 ? ex.markPartiallyWritten() : ex;
        }
        catch (final BarStoreException ex)
        {
            final ImportException failure = new ImportException(ex.category(), name, "the store failed" +
                (counts.batches > 0 ? " after " + FileResult.count(counts.total()) + " bars were written" : "") + ": " +
                ex.getMessage(), ex);
            throw counts.batches > 0 ? failure.markPartiallyWritten() : failure;
        }
        finally
        {
            result.appended = counts.appended;
            result.replaced = counts.replaced;
            result.upserted = counts.upserted;
        }
    }

    private static ImportException csvFailure(
        final String name, final CsvParseException ex, final long line, final long bytesRead)
    {
        final Throwable cause = ex.getCause();
        if (cause instanceof ImportException ie)
        {
            return ie;
        }
        if (cause instanceof OutOfMemoryError oom)
        {
            return tooLarge(name, oom);
        }
        if (cause instanceof UncheckedIOException io)
        {
            return ImportInput.unreadable(name, io.getCause(), bytesRead);
        }
        if (cause instanceof IOException io)
        {
            return ImportInput.unreadable(name, io, bytesRead);
        }
        if (cause instanceof BarStoreException bse)
        {
            return new ImportException(bse.category(), name, bse.getMessage(), bse);
        }
        final String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : ex.getMessage();
        return new ImportException(name, line, 0, "is not valid CSV: " + detail);
    }

    private static ImportException tooLarge(final String name, final OutOfMemoryError ex)
    {
        return new ImportException(name, "is too large to hold in memory before writing (" + ex.getMessage() +
            "); split it into smaller files, or give the JVM more direct memory (-XX:MaxDirectMemorySize)");
    }
}

package io.barstore.tools;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.arrow.BarArrowReader;
import io.barstore.server.format.CsvBarWriter;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.duckdb.DuckDBConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes the bars of one or more series to a file: CSV, an Arrow IPC file, or Parquet.",
        "",
        "Columns as in the HTTP API and CONTRACT.md: ts (timestamp, UTC), open, high, low, close, volume, vwap (NaN or "
            + "an empty CSV cell when unknown), trades (-1 when unknown); with several symbols a 'symbol' column comes "
            + "first (in Arrow a dictionary, so pandas sees a category) and the series follow one another in the "
            + "order given. All symbols share one timeframe and source.",
        "",
        "arrow is the IPC file format (pyarrow.ipc.open_file, pandas.read_feather), written from the engine's "
            + "zero-copy export; parquet goes through DuckDB (zstd; ts as nanoseconds, adjusted to UTC; symbol as a "
            + "string). The file is written under a temporary name and renamed, so a reader never sees half "
            + "of it; an existing file is replaced.",
        "",
        "Example: barstore export AAPL MSFT -t 5m --start 2025-01-01 -o bars.parquet"})
final class ExportCommand implements Callable<Integer>
{
    enum FileFormat
    {
        csv, arrow, parquet
    }

    @Mixin
    CommonOptions common;

    @Mixin
    SeriesOptions series;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "SYMBOL", description = "Symbols, e.g. AAPL MSFT.")
    List<String> symbols;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE", required = true, description = "The file to write.")
    Path out;

    @Option(names = {"--format", "-f"}, paramLabel = "FORMAT",
        description = "csv, arrow or parquet (default: from the extension of --out: .csv; .arrow, .feather or "
            + ".ipc; .parquet).")
    FileFormat format;

    public Integer call() throws IOException, SQLException
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final FileFormat fileFormat = format != null ? format : formatOf(out);
        final Path target = out.toAbsolutePath().normalize();
        if (target.getParent() != null && !Files.isDirectory(target.getParent()))
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "the directory of --out does not exist").with("out", target);
        }
        if (Files.isDirectory(target))
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "--out is a directory; give a file")
                .with("out", target);
        }
        final long start = series.startNanos();
        final long end = series.endNanos();
        try (BarStore store = Stores.openForReading(common.dataDir()))
        {
            final List<SeriesKey> keys = resolve(store);
            final Path tmp =
                target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            final long started = System.nanoTime();
            final long bars;
            try
            {
                bars = switch (fileFormat)
                {
                    case csv -> writeCsv(store, keys, start, end, tmp);
                    case arrow -> writeArrow(store, keys, start, end, tmp);
                    case parquet -> writeParquet(store, keys, start, end, tmp);
                };
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE))
                {
                    channel.force(true); // before the rename: a crash leaves the old file or all of the new one
                }
                moveIntoPlace(tmp, target);
            }
            finally
            {
                Files.deleteIfExists(tmp);
            }
            final long took = System.nanoTime() - started;
            final SeriesKey first = keys.get(0);
            stdout.println("wrote " + Format.count(bars) + " bars of " + (keys.size() == 1 ? first.symbol() :
                keys.size() + " symbols") + " (" + first.timeframe().label() + " " + first.source() + ")" +
                series.describeRange() + " to " + target + " (" + fileFormat + ", " + Format.bytes(Files.size(target)) +
                ") in " + Format.duration(took));
        }
        stdout.flush();
        return Main.EXIT_OK;
    }

    /** Each symbol's series; every one must exist, and all share one timeframe and source. */
    private List<SeriesKey> resolve(final BarStore store)
    {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String symbol : symbols)
        {
            final SeriesKey key = series.resolve(store, symbol);
            if (!keys.contains(key))
            {
                keys.add(key);
            }
        }
        final SeriesKey first = keys.get(0);
        for (final SeriesKey key : keys)
        {
            if (key.timeframe() != first.timeframe() || !key.source().equals(first.source()))
            {
                throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                    "one file holds one timeframe and source, but " + first + " and " + key + " differ; give " +
                        "--timeframe and --source");
            }
        }
        return keys;
    }

    private static long writeCsv(
        final BarStore store, final List<SeriesKey> keys, final long start, final long end, final Path file)
        throws IOException
    {
        final BarCursor cursor = store.newCursor();
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))
        {
            final CsvBarWriter writer = new CsvBarWriter(stream);
            final SeriesKey first = keys.get(0);
            if (keys.size() == 1)
            {
                writer.startSeries(first);
            }
            else
            {
                writer.startMulti(first.timeframe(), first.source());
            }
            long bars = 0;
            for (final SeriesKey key : keys)
            {
                if (store.range(key, start, end, cursor))
                {
                    bars += writer.writeBars(key, cursor);
                }
            }
            writer.end();
            return bars;
        }
        finally
        {
            cursor.release();
        }
    }

    /** The engine's zero-copy Arrow export, as an IPC file. */
    private static long writeArrow(
        final BarStore store, final List<SeriesKey> keys, final long start, final long end, final Path file)
        throws IOException
    {
        try (BufferAllocator allocator = new RootAllocator();
             BarArrowReader reader = reader(allocator, store, keys, start, end);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            long bars = 0;
            try (ArrowFileWriter writer = new ArrowFileWriter(root, reader, channel))
            {
                writer.start();
                while (reader.loadNextBatch())
                {
                    writer.writeBatch();
                    bars += root.getRowCount();
                }
                writer.end();
            }
            return bars;
        }
    }

    /** The same Arrow export handed to DuckDB through the C stream interface, which writes it as Parquet. */
    private static long writeParquet(
        final BarStore store, final List<SeriesKey> keys, final long start, final long end, final Path file)
        throws IOException, SQLException
    {
        final String columns = (keys.size() > 1 ? "CAST(symbol AS VARCHAR) AS symbol, " : "") +
            "ts, open, high, low, close, volume, vwap, trades";
        try (BufferAllocator allocator = new RootAllocator();
             BarArrowReader reader = reader(allocator, store, keys, start, end);
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator))
        {
            Data.exportArrayStream(allocator, reader, stream);
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"))
            {
                connection.unwrap(DuckDBConnection.class).registerArrowStream("bars", stream);
                try (Statement statement = connection.createStatement())
                {
                    statement.execute("COPY (SELECT " + columns + " FROM bars) TO '" +
                        file.toString().replace("'", "''") + "' (FORMAT parquet, COMPRESSION zstd)");
                }
            }
            return reader.rowsLoaded();
        }
    }

    private static BarArrowReader reader(
        final BufferAllocator allocator, final BarStore store, final List<SeriesKey> keys, final long start,
        final long end)
    {
        if (keys.size() > 1)
        {
            return BarArrowReader.multi(allocator, store, keys, start, end, BarArrowReader.NO_LIMIT);
        }
        final BarCursor cursor = store.newCursor();
        store.range(keys.get(0), start, end, cursor);
        return new BarArrowReader(allocator, cursor); // closing the reader releases the cursor
    }

    private static void moveIntoPlace(final Path tmp, final Path target) throws IOException
    {
        try
        {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static FileFormat formatOf(final Path file)
    {
        final String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv"))
        {
            return FileFormat.csv;
        }
        if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc"))
        {
            return FileFormat.arrow;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq"))
        {
            return FileFormat.parquet;
        }
        throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
            "give --format csv|arrow|parquet: the name of --out does not tell (.csv, .arrow, .parquet)")
            .with("out", file);
    }
}

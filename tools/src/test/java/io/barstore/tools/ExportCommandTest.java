package io.barstore.tools;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.BarArrowSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barstore export}: each format read back by an independent reader and compared value by value. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExportCommandTest
{
    private static final String START = "2025-03-05T15:00:00Z";
    private static final String END = "2025-03-07T00:00:00Z";
    private static final List<String> SYMBOLS = List.of("MSFT", "AAPL", "BRK.B");

    @TempDir
    static Path root;
    static Path data;

    @TempDir
    Path out;

    /** A week of 5m bars of three symbols, a few with vwap and trades unknown, part sealed and consolidated. */
    @BeforeAll
    static void generate()
    {
        data = root.resolve("data");
        CliRun.of("generate", "--data", data.toString(), "--symbols", String.join(",", SYMBOLS), "--days", "7",
            "--timeframe", "5m", "--end", "2025-03-09").assertOk();
        try (BarStore store = open())
        {
            store.write(SeriesKey.of("AAPL", Timeframe.M5), new io.barstore.engine.BarBatch()
                .add(Instant.parse("2025-03-05T16:00:00Z").getEpochSecond() * 1_000_000_000L,
                    200, 201, 199, 200.5, 10, Double.NaN, -1));
        }
    }

    @Test
    void csvOfOneSymbolIsWhatQueryPrints() throws Exception
    {
        final Path file = out.resolve("aapl.csv");
        final CliRun run = CliRun.of("export", "AAPL", "-t", "5m", "--start", START, "--end", END, "--out",
            file.toString(), "--data", data.toString()).assertOk();
        assertTrue(run.out().startsWith("wrote 150 bars of AAPL (5m default) in [2025-03-05T15:00:00Z, " +
            "2025-03-07T00:00:00Z) to " + file + " (csv, "), run::toString);
        final String query = CliRun.of("query", "AAPL", "-t", "5m", "--start", START, "--end", END, "-f", "csv",
            "--data", data.toString()).assertOk().out();
        assertEquals(query, Files.readString(file));
        assertTrue(query.contains("2025-03-05T16:00:00Z,200.0,201.0,199.0,200.5,10.0,,-1\n"), query);
        assertEquals(List.of(file), list(out), "no temporary file is left");
    }

    @Test
    void csvOfSeveralSymbolsHasASymbolColumnAndTheSeriesInTheOrderGiven() throws Exception
    {
        final Path file = out.resolve("all.csv");
        CliRun.of("export", "MSFT", "AAPL", "BRK.B", "--format", "csv", "--out", file.toString(), "--data",
            data.toString()).assertOk();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("symbol,ts,open,high,low,close,volume,vwap,trades", lines.get(0));
        final List<String> expected = new ArrayList<>();
        try (BarStore store = open())
        {
            final BarCursor cursor = store.newCursor();
            for (final String symbol : SYMBOLS)
            {
                store.range(SeriesKey.of(symbol, Timeframe.M5), Long.MIN_VALUE, Long.MAX_VALUE, cursor);
                while (cursor.next())
                {
                    expected.add(symbol + "," + Format.ts(cursor.ts()));
                }
            }
            cursor.release();
        }
        assertEquals(expected, lines.stream().skip(1).map(l -> l.substring(0, nthComma(l, 2))).toList());
    }

    @Test
    void arrowOfOneSymbolIsAnIpcFileWithTheContractSchemaAndTheStoredValues() throws Exception
    {
        final Path file = out.resolve("aapl.arrow");
        CliRun.of("export", "AAPL", "--start", START, "--end", END, "-o", file.toString(), "--data",
            data.toString()).assertOk();
        final List<String> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(BarArrowSchema.SINGLE_SERIES, root.getSchema());
            for (final ArrowBlock block : reader.getRecordBlocks())
            {
                assertTrue(reader.loadRecordBatch(block));
                for (int i = 0; i < root.getRowCount(); i++)
                {
                    rows.add(Arrays.toString(row(root, 0, i)));
                }
            }
        }
        assertEquals(stored("AAPL", START, END), rows);
    }

    @Test
    void arrowOfSeveralSymbolsHasTheDictionarySymbolColumn() throws Exception
    {
        final Path file = out.resolve("all.feather");
        CliRun.of("export", "MSFT", "AAPL", "BRK.B", "-o", file.toString(), "--data", data.toString()).assertOk();
        final List<String> symbols = new ArrayList<>();
        final List<String> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            final Field symbol = root.getSchema().getFields().get(0);
            assertEquals(BarArrowSchema.SYMBOL_FIELD, symbol.getName());
            assertEquals(BarArrowSchema.SYMBOL_INDEX_TYPE, symbol.getDictionary().getIndexType());
            assertEquals(BarArrowSchema.SINGLE_SERIES.getFields(), root.getSchema().getFields().subList(1, 9));
            final Dictionary dictionary = reader.getDictionaryVectors().get(BarArrowSchema.SYMBOL_DICTIONARY_ID);
            assertEquals(ArrowType.Utf8.INSTANCE, dictionary.getVectorType());
            for (final ArrowBlock block : reader.getRecordBlocks())
            {
                assertTrue(reader.loadRecordBatch(block));
                try (ValueVector decoded = DictionaryEncoder.decode(root.getVector(0), dictionary))
                {
                    for (int i = 0; i < root.getRowCount(); i++)
                    {
                        symbols.add(decoded.getObject(i).toString());
                        rows.add(Arrays.toString(row(root, 1, i)));
                    }
                }
            }
        }
        final List<String> expected = new ArrayList<>();
        final List<String> expectedSymbols = new ArrayList<>();
        for (final String symbol : SYMBOLS)
        {
            final List<String> bars = stored(symbol, null, null);
            expected.addAll(bars);
            bars.forEach(b -> expectedSymbols.add(symbol));
        }
        assertEquals(expectedSymbols, symbols);
        assertEquals(expected, rows);
    }

    @Test
    void parquetThroughDuckdbHoldsTheStoredValuesWithTsInUtcNanoseconds() throws Exception
    {
        final Path one = out.resolve("aapl.parquet");
        final Path all = out.resolve("all.parquet");
        CliRun.of("export", "AAPL", "--start", START, "--end", END, "-o", one.toString(), "--data", data.toString())
            .assertOk();
        CliRun.of("export", "MSFT", "AAPL", "BRK.B", "-f", "parquet", "-o", all.toString(), "--data",
            data.toString()).assertOk();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duckdb.createStatement())
        {
            assertEquals(stored("AAPL", START, END), parquetRows(statement, one, ""));
            try (ResultSet types = statement.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * " +
                "FROM read_parquet('" + all + "'))"))
            {
                final List<String> columns = new ArrayList<>();
                while (types.next())
                {
                    columns.add(types.getString(1) + " " + types.getString(2));
                }
                assertEquals("symbol VARCHAR", columns.get(0), columns.toString());
                // TIMESTAMPTZ_NS (TIMESTAMP_NS WITH TIME ZONE): nanoseconds, adjusted to UTC.
                assertTrue(columns.get(1).matches("ts TIMESTAMP(TZ_NS|_NS WITH TIME ZONE)"), columns.toString());
                assertEquals(List.of("open DOUBLE", "high DOUBLE", "low DOUBLE", "close DOUBLE", "volume DOUBLE",
                    "vwap DOUBLE", "trades BIGINT"), columns.subList(2, 9));
            }
            for (final String symbol : SYMBOLS)
            {
                assertEquals(stored(symbol, null, null), parquetRows(statement, all, " WHERE symbol = '" + symbol +
                    "'"), symbol);
            }
        }
    }

    @Test
    void anExistingFileIsReplacedAndAFailedExportLeavesItAlone() throws Exception
    {
        final Path file = Files.writeString(out.resolve("bars.csv"), "old\n");
        CliRun.of("export", "MSFT", "-o", file.toString(), "--data", data.toString()).assertOk();
        assertTrue(Files.readString(file).startsWith("ts,open,"));
        final String before = Files.readString(file);
        assertTrue(CliRun.of("export", "MSFT", "TSLA", "-o", file.toString(), "--data", data.toString())
            .assertFails(3).err().contains("no series of TSLA is stored"));
        assertEquals(before, Files.readString(file));
        assertEquals(List.of(file), list(out));
    }

    @Test
    void badInputExits2WithOneLine()
    {
        final String d = data.toString();
        assertTrue(CliRun.of("export", "MSFT", "-o", out.resolve("bars.txt").toString(), "--data", d)
            .assertFails(2).err().contains("give --format csv|arrow|parquet"));
        assertTrue(CliRun.of("export", "MSFT", "-o", out.resolve("no/such/dir/bars.csv").toString(), "--data", d)
            .assertFails(2).err().contains("the directory of --out does not exist"));
        CliRun.of("export", "MSFT", "--data", d).assertFails(2);
        CliRun.of("export", "-o", out.resolve("x.csv").toString(), "--data", d).assertFails(2);
        CliRun.of("export", "MSFT", "-f", "xlsx", "-o", out.resolve("x.csv").toString(), "--data", d).assertFails(2);
        assertTrue(CliRun.of("export", "MSFT", "--start", "2025-03-07", "--end", "2025-03-06", "-o",
            out.resolve("x.csv").toString(), "--data", d).assertFails(2).err().contains("--end must be after"));
    }

    // ------------------------------------------------------------------------------------------------------------

    private static BarStore open()
    {
        return BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build());
    }

    /** The bars of a 5m series in [start, end) as the engine reads them, each as the bits of its eight values. */
    private static List<String> stored(final String symbol, final String start, final String end)
    {
        final List<String> rows = new ArrayList<>();
        try (BarStore store = open())
        {
            final BarCursor c = store.newCursor();
            assertTrue(store.range(SeriesKey.of(symbol, Timeframe.M5),
                start == null ? Long.MIN_VALUE : nanos(start), end == null ? Long.MAX_VALUE : nanos(end), c));
            while (c.next())
            {
                rows.add(Arrays.toString(new long[] {c.ts(), bits(c.open()), bits(c.high()), bits(c.low()),
                    bits(c.close()), bits(c.volume()), bits(c.vwap()), c.trades()}));
            }
            c.release();
        }
        assertFalse(rows.isEmpty(), symbol);
        return rows;
    }

    private static long[] row(final VectorSchemaRoot root, final int first, final int i)
    {
        final List<FieldVector> v = root.getFieldVectors();
        final long[] row = new long[8];
        row[0] = ((TimeStampNanoTZVector)v.get(first)).get(i);
        for (int c = 1; c <= 6; c++)
        {
            row[c] = bits(((Float8Vector)v.get(first + c)).get(i));
        }
        row[7] = ((BigIntVector)v.get(first + 7)).get(i);
        return row;
    }

    private static List<String> parquetRows(final Statement statement, final Path file, final String where)
        throws Exception
    {
        final List<String> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT epoch_ns(ts), open, high, low, close, volume, vwap, " +
            "trades FROM read_parquet('" + file + "')" + where))
        {
            while (rs.next())
            {
                rows.add(Arrays.toString(new long[] {rs.getLong(1), bits(rs.getDouble(2)), bits(rs.getDouble(3)),
                    bits(rs.getDouble(4)), bits(rs.getDouble(5)), bits(rs.getDouble(6)), bits(rs.getDouble(7)),
                    rs.getLong(8)}));
            }
        }
        return rows;
    }

    private static long bits(final double value)
    {
        return Double.doubleToLongBits(value); // NaN as one value: unknown vwap
    }

    private static long nanos(final String instant)
    {
        return Instant.parse(instant).getEpochSecond() * 1_000_000_000L;
    }

    private static int nthComma(final String line, final int n)
    {
        int at = -1;
        for (int i = 0; i < n; i++)
        {
            at = line.indexOf(',', at + 1);
        }
        return at;
    }

    private static List<Path> list(final Path dir) throws Exception
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.sorted().toList();
        }
    }
}

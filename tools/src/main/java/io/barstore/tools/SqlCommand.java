package io.barstore.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.BarStore;
import io.barstore.server.sql.SqlException;
import io.barstore.server.sql.SqlFormat;
import io.barstore.server.sql.SqlLimits;
import io.barstore.server.sql.SqlSession;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a read-only DuckDB query over the view bars(symbol, timeframe, source, ts, open, high, low, close, volume, "
            + "vwap, trades): the archive's Parquet files plus the partitions not archived yet, each bar once.",
        "",
        "The same sandbox as POST /v1/sql: one SELECT (or WITH ... SELECT) per call; no COPY, ATTACH, INSTALL, LOAD, "
            + "SET, PRAGMA, CREATE or other writes; no files but the archive; memory, time and row limits. Works while "
            + "'barstore serve' runs (it then reads the store read-only)."})
final class SqlCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the result is printed. */
    enum Output
    {
        table,
        csv,
        json
    }

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SQL", description = "The query, e.g. \"SELECT symbol, count(*) FROM bars "
        + "GROUP BY symbol\".")
    String sql;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Output format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "Stop the query after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "" + SqlLimits.MAX_ROWS_DEFAULT,
        description = "Refuse a result with more rows (default: ${DEFAULT-VALUE}).")
    long maxRows;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2GB",
        description = "DuckDB's memory limit (default: ${DEFAULT-VALUE}).")
    String memory;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(common.dataDir()))
        {
            err.println("barstore: no data directory at " + common.dataDir() + "; give --data DIR");
            return Main.EXIT_NOT_FOUND;
        }
        final SqlLimits limits;
        try
        {
            limits = SqlLimits.defaults().withTimeoutMillis(Math.multiplyExact(timeoutSeconds, 1000L))
                .withMaxRows(maxRows).withMemoryLimit(memory);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            err.println("barstore: " + Main.oneLine(ex.getMessage()));
            return Main.EXIT_BAD_INPUT;
        }
        final byte[] result;
        try (RootAllocator allocator = new RootAllocator();
             BarStore store = Stores.openForReading(common.dataDir());
             SqlSession session = new SqlSession(store, limits, allocator))
        {
            result = session.execute(sql, SqlFormat.JSON);
        }
        catch (final SqlException ex)
        {
            err.println("barstore: " + Main.oneLine(ex.getMessage()));
            return ex.kind() == SqlException.Kind.REJECTED || ex.kind() == SqlException.Kind.FAILED ||
                ex.kind() == SqlException.Kind.TOO_MANY_ROWS ? Main.EXIT_BAD_INPUT : Main.EXIT_FAILURE;
        }
        if (format == Output.json)
        {
            out.println(new String(result, StandardCharsets.UTF_8));
            return Main.EXIT_OK;
        }
        try
        {
            print(JSON.readTree(result), out);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the result is not the JSON SqlSession writes", ex);
        }
        return Main.EXIT_OK;
    }

    private void print(final JsonNode result, final PrintWriter out)
    {
        final JsonNode columns = result.get("columns");
        final String[] headers = new String[columns.size()];
        for (int c = 0; c < headers.length; c++)
        {
            final String name = columns.get(c).get("name").asText();
            final String type = columns.get(c).get("type").asText();
            final boolean number = type.matches("(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|REAL|DECIMAL.*|" +
                "UTINYINT|USMALLINT|UINTEGER|UBIGINT)");
            headers[c] = format == Output.table && number ? name + ">" : name;
        }
        if (format == Output.csv)
        {
            out.println(String.join(",", csvRow(columns, true)));
            for (final JsonNode row : result.get("rows"))
            {
                out.println(String.join(",", csvRow(row, false)));
            }
            return;
        }
        final TextTable table = new TextTable(headers);
        for (final JsonNode row : result.get("rows"))
        {
            final String[] cells = new String[row.size()];
            for (int c = 0; c < cells.length; c++)
            {
                cells[c] = row.get(c).isNull() ? "" : row.get(c).asText();
            }
            table.row(cells);
        }
        table.print(out, "");
        out.println("(" + Format.count(result.get("rowCount").asLong()) + " rows, " +
            result.get("elapsedMillis").asLong() + " ms)");
    }

    private static String[] csvRow(final JsonNode row, final boolean header)
    {
        final String[] cells = new String[row.size()];
        for (int c = 0; c < cells.length; c++)
        {
            final JsonNode cell = header ? row.get(c).get("name") : row.get(c);
            cells[c] = cell.isNull() ? "" : csvCell(cell.asText());
        }
        return cells;
    }

    private static String csvCell(final String text)
    {
        String value = text;
        // A cell a spreadsheet would run as a formula is quoted and prefixed, as the HTTP CSV does.
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("[-+]?[0-9.eE+-]+"))
        {
            value = "'" + value;
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || !value.equals(text))
        {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}

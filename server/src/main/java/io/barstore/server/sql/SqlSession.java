package io.barstore.server.sql;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.BarStore;
import io.barstore.server.archive.ArchiveLayout;
import io.barstore.server.archive.SqlText;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs user SQL with DuckDB over the {@link BarsView bars view}, sandboxed: one read-only query per request, nothing
 * reachable but the bars.
 * <p>
 * The sandbox, set once per connection, in this order (each {@code SET} is final once the configuration is locked):
 * a memory limit with spilling to disk off, a thread limit, no extension auto-install or auto-load,
 * {@code allowed_directories} = the archive only, {@code enable_external_access = false}, then
 * {@code lock_configuration = true}. DuckDB's own guide calls these settings defence in depth, not a sandbox, so
 * every statement is also parsed first ({@code json_serialize_sql}, which serialises SELECT statements only) and
 * refused unless it is exactly one SELECT (or {@code WITH ... SELECT}, {@code VALUES}, {@code FROM bars}) that does
 * not name barstore's internal streams or run SQL from a string ({@code query()}, {@code query_table()},
 * {@code json_execute_serialized_sql()}). COPY, EXPORT, ATTACH, INSTALL,
 * LOAD, SET, PRAGMA, CREATE, INSERT and the rest are refused before they run, which also keeps the allowed archive
 * directory from being written. And the whole session runs in a separate process ({@link SqlWorker}), so a crash or
 * memory blow-up takes down only that process.
 */
public final class SqlSession implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final int ARROW_BATCH_ROWS = 64 * 1024;
    /** Not a {@link Types} value: DuckDB's 128-bit and unsigned 64-bit integers, written as JSON numbers. */
    private static final int BIG_INTEGER = Integer.MIN_VALUE;
    private static final Set<String> BIG_INTEGER_TYPES = Set.of("HUGEINT", "UHUGEINT", "UBIGINT");

    private final SqlLimits limits;
    private final BufferAllocator allocator;
    private final DuckDBConnection connection;
    private final BarsView view;
    private final String archiveRoot;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "barstore-sql-timeout");
        t.setDaemon(true);
        return t;
    });

    /** A session over {@code store} (read-only in the worker) and its archive; {@code allocator} is not closed. */
    public SqlSession(final BarStore store, final SqlLimits limits, final BufferAllocator allocator)
    {
        this.limits = limits;
        this.allocator = allocator;
        final ArchiveLayout layout = new ArchiveLayout(store.config().dataDir());
        this.archiveRoot = layout.root().toString();
        this.view = new BarsView(store, layout, allocator);
        try
        {
            connection = (DuckDBConnection)DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement())
            {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute("SET memory_limit = " + SqlText.literal(limits.memoryLimit()));
                statement.execute("SET max_temp_directory_size = '0B'");
                // No spill directory: DuckDB would otherwise create .tmp in the working directory and allow reading it.
                statement.execute("SET temp_directory = ''");
                statement.execute("SET threads = " + limits.threads());
                statement.execute("SET autoinstall_known_extensions = false");
                statement.execute("SET autoload_known_extensions = false");
                statement.execute("SET allowed_directories = [" +
                    SqlText.literal(layout.root().toString() + "/") + "]");
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("cannot set up DuckDB for SQL: " + ex.getMessage(), ex);
        }
    }

    /**
     * Runs one query and returns its result as a JSON document or an Arrow IPC stream.
     *
     * @throws SqlException REJECTED, FAILED, TOO_MANY_ROWS, TIMEOUT or OUT_OF_MEMORY, with a message for the user.
     */
    public byte[] execute(final String sql, final SqlFormat format)
    {
        final Shape shape = check(sql);
        try
        {
            return run(sql, format, shape);
        }
        catch (final SqlException ex)
        {
            // An archiver pass removed a file the view still named (it lists the archive only when its version moves,
            // and a pass may be between its last removal and its version bump): list again and run once more.
            if (shape.readsBars && ex.kind() == SqlException.Kind.FAILED && ex.getMessage().contains(archiveRoot))
            {
                view.forgetArchive();
                return run(sql, format, shape);
            }
            throw ex;
        }
    }

    private byte[] run(final String sql, final SqlFormat format, final Shape shape)
    {
        try
        {
            if (shape.readsBars)
            {
                view.define(connection, shape.readsBarsTwice, shape.filter);
            }
        }
        catch (final SQLException | IOException | RuntimeException ex)
        {
            view.clear(connection);
            throw new SqlException(SqlException.Kind.FAILED, "cannot read the store for this query: " + ex.getMessage());
        }
        final long started = System.nanoTime();
        try (Statement statement = connection.createStatement())
        {
            final ScheduledFuture<?> deadline = timer.schedule(() -> cancel(statement), limits.timeoutMillis(),
                TimeUnit.MILLISECONDS);
            try
            {
                try (ResultSet rs = statement.executeQuery(sql))
                {
                    return format == SqlFormat.ARROW ? arrow((DuckDBResultSet)rs) : json(rs, started);
                }
            }
            catch (final SQLException ex)
            {
                if (deadline.isDone() && !deadline.isCancelled())
                {
                    throw new SqlException(SqlException.Kind.TIMEOUT, "the query ran longer than the time limit of " +
                        limits.timeoutMillis() + " ms and was stopped; narrow it (fewer symbols, a shorter period)");
                }
                throw classify(ex);
            }
            finally
            {
                deadline.cancel(false);
            }
        }
        catch (final SQLException ex)
        {
            throw classify(ex);
        }
        finally
        {
            view.clear(connection);
        }
    }

    private static void cancel(final Statement statement)
    {
        try
        {
            statement.cancel();
        }
        catch (final SQLException ignore)
        {
            // finished meanwhile
        }
    }

    /** What the statement reads, as far as the sandbox and the view care. */
    private record Shape(boolean readsBars, boolean readsBarsTwice, SeriesFilter filter)
    {
    }

    /** Parses the statement without running it and refuses anything but one plain query; see the class comment. */
    private Shape check(final String sql)
    {
        if (sql == null || sql.isBlank())
        {
            throw new SqlException(SqlException.Kind.REJECTED, "no SQL given: send {\"sql\": \"SELECT ...\"}");
        }
        final JsonNode tree;
        try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?)"))
        {
            statement.setString(1, sql);
            try (ResultSet rs = statement.executeQuery())
            {
                rs.next();
                tree = JSON.readTree(rs.getString(1));
            }
        }
        catch (final SQLException | IOException ex)
        {
            throw new SqlException(SqlException.Kind.REJECTED, "cannot parse the SQL: " + ex.getMessage());
        }
        if (tree.path("error").asBoolean(false))
        {
            final String message = tree.path("error_message").asText("");
            if (message.startsWith("Only SELECT statements"))
            {
                throw new SqlException(SqlException.Kind.REJECTED, "only read-only queries are allowed (SELECT, WITH " +
                    "... SELECT, VALUES); " + firstWord(sql) + " is not: SQL here reads the bars view and " +
                    "nothing else (no COPY, EXPORT, ATTACH, INSTALL, LOAD, SET, PRAGMA, CREATE, INSERT, UPDATE, " +
                    "DELETE, CALL)");
            }
            throw new SqlException(SqlException.Kind.REJECTED, "the SQL does not parse: " + message);
        }
        final JsonNode statements = tree.path("statements");
        if (statements.size() != 1)
        {
            throw new SqlException(SqlException.Kind.REJECTED,
                "send one statement per request, not " + statements.size());
        }
        final int[] barsReferences = new int[1];
        final boolean[] ctes = new boolean[1];
        walk(statements.get(0), barsReferences, ctes);
        final boolean twice = barsReferences[0] > 1 || (ctes[0] && barsReferences[0] > 0);
        // One reference to bars, even inside a CTE that runs twice: each run needs only the series its WHERE admits.
        return new Shape(barsReferences[0] > 0, twice,
            barsReferences[0] == 1 ? SeriesFilter.of(statements.get(0)) : SeriesFilter.ALL);
    }

    private static void walk(final JsonNode node, final int[] barsReferences, final boolean[] ctes)
    {
        if (node.isObject())
        {
            final String type = node.path("type").asText("");
            if ("BASE_TABLE".equals(type))
            {
                final String table = node.path("table_name").asText("").toLowerCase(Locale.ROOT);
                if (table.startsWith("barstore_"))
                {
                    throw new SqlException(SqlException.Kind.REJECTED,
                        "table " + table + " is internal to barstore; query the bars view");
                }
                if (BarsView.VIEW.equals(table))
                {
                    barsReferences[0]++;
                }
            }
            final String function = node.path("function_name").asText("").toLowerCase(Locale.ROOT);
            if (function.equals("query") || function.equals("query_table") || function.contains("execute"))
            {
                throw new SqlException(SqlException.Kind.REJECTED,
                    function + "() runs SQL from a string, which the sandbox does not allow; write the query itself");
            }
            final JsonNode cteMap = node.path("cte_map").path("map");
            if (cteMap.isArray() && !cteMap.isEmpty())
            {
                ctes[0] = true;
            }
        }
        for (final JsonNode child : node)
        {
            walk(child, barsReferences, ctes);
        }
    }

    private static String firstWord(final String sql)
    {
        final String trimmed = sql.strip();
        int end = 0;
        while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end)))
        {
            end++;
        }
        return end == 0 ? "this statement" : trimmed.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private SqlException classify(final SQLException ex)
    {
        final String message = String.valueOf(ex.getMessage());
        if (message.contains("Out of Memory"))
        {
            return new SqlException(SqlException.Kind.OUT_OF_MEMORY, "the query needs more than the SQL memory limit " +
                "of " + limits.memoryLimit() + "; aggregate more, or query fewer symbols or a shorter period (" +
                oneLine(message) + ")");
        }
        if (message.contains("Java heap space"))
        {
            return resultTooLarge(limits);
        }
        if (message.contains("Permission Error") || message.contains("disabled by configuration"))
        {
            return new SqlException(SqlException.Kind.REJECTED, "the sandbox does not allow this: SQL reads the bars " +
                "view only, no other files or settings (" + oneLine(message) + ")");
        }
        if (message.contains("INTERRUPT") || message.contains("Interrupted"))
        {
            return new SqlException(SqlException.Kind.TIMEOUT, "the query ran longer than the time limit of " +
                limits.timeoutMillis() + " ms and was stopped");
        }
        return new SqlException(SqlException.Kind.FAILED, oneLine(message));
    }

    /** The result did not fit the worker's Java heap, where it is built. */
    static SqlException resultTooLarge(final SqlLimits limits)
    {
        return new SqlException(SqlException.Kind.OUT_OF_MEMORY, "the result does not fit the SQL worker's memory " +
            "(a heap of " + limits.workerHeapMb() + " MB); aggregate, or select fewer rows or columns");
    }

    private static String oneLine(final String message)
    {
        return message.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    private SqlException tooManyRows()
    {
        return new SqlException(SqlException.Kind.TOO_MANY_ROWS, "the result has more than the limit of " +
            limits.maxRows() + " rows; aggregate, or add a LIMIT");
    }

    /**
     * The result as an Arrow IPC stream. DuckDB's TIMESTAMP WITH TIME ZONE is microseconds; barstore's Arrow
     * contract is {@code timestamp[ns, tz=UTC]} everywhere (pandas then gets {@code datetime64[ns, UTC]} from SQL as
     * from the bar API), so such columns are widened to nanoseconds; every other column is passed on as DuckDB made it.
     */
    private byte[] arrow(final DuckDBResultSet rs) throws SQLException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (ArrowReader reader = (ArrowReader)rs.arrowExportStream(allocator, ARROW_BATCH_ROWS))
        {
            final VectorSchemaRoot source = reader.getVectorSchemaRoot();
            final List<Field> fields = new ArrayList<>();
            for (final Field field : source.getSchema().getFields())
            {
                fields.add(field.getType() instanceof ArrowType.Timestamp t && t.getUnit() == org.apache.arrow.vector.types.TimeUnit.MICROSECOND &&
                    t.getTimezone() != null ?
                    new Field(field.getName(), new FieldType(field.isNullable(),
                        new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.NANOSECOND, t.getTimezone()), field.getDictionary(),
                        field.getMetadata()), field.getChildren()) : field);
            }
            try (VectorSchemaRoot target = VectorSchemaRoot.create(new Schema(fields), allocator);
                 ArrowStreamWriter writer = new ArrowStreamWriter(target, reader, Channels.newChannel(out)))
            {
                writer.start();
                long rows = 0;
                while (reader.loadNextBatch())
                {
                    final int n = source.getRowCount();
                    rows += n;
                    if (rows > limits.maxRows())
                    {
                        throw tooManyRows();
                    }
                    for (int c = 0; c < fields.size(); c++)
                    {
                        final FieldVector from = source.getVector(c);
                        final FieldVector to = target.getVector(c);
                        if (from instanceof TimeStampMicroTZVector micros && to instanceof TimeStampNanoTZVector nanos)
                        {
                            nanos.allocateNew(n);
                            for (int r = 0; r < n; r++)
                            {
                                if (micros.isNull(r))
                                {
                                    nanos.setNull(r);
                                }
                                else
                                {
                                    nanos.set(r, Math.multiplyExact(micros.get(r), 1000L));
                                }
                            }
                            nanos.setValueCount(n);
                        }
                        else
                        {
                            from.makeTransferPair(to).transfer();
                        }
                    }
                    target.setRowCount(n);
                    writer.writeBatch();
                }
                writer.end();
            }
        }
        catch (final IOException ex)
        {
            throw new SQLException(ex.getMessage(), ex);
        }
        return out.toByteArray();
    }

    /**
     * {@code {"columns":[{"name":..,"type":..}],"rows":[[..],..],"rowCount":n,"elapsedMillis":t}}: numbers as
     * numbers (NaN and infinities as null), timestamps as ISO-8601 UTC, everything else as DuckDB prints it.
     */
    private byte[] json(final ResultSet rs, final long started) throws SQLException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (JsonGenerator g = JSON_FACTORY.createGenerator(out, JsonEncoding.UTF8))
        {
            final ResultSetMetaData meta = rs.getMetaData();
            final int columns = meta.getColumnCount();
            final int[] types = new int[columns + 1];
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (int c = 1; c <= columns; c++)
            {
                types[c] = BIG_INTEGER_TYPES.contains(meta.getColumnTypeName(c)) ? BIG_INTEGER :
                    meta.getColumnType(c);
                g.writeStartObject();
                g.writeStringField("name", meta.getColumnLabel(c));
                g.writeStringField("type", meta.getColumnTypeName(c));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            long rows = 0;
            while (rs.next())
            {
                if (++rows > limits.maxRows())
                {
                    throw tooManyRows();
                }
                g.writeStartArray();
                for (int c = 1; c <= columns; c++)
                {
                    writeValue(g, rs, c, types[c]);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeNumberField("rowCount", rows);
            g.writeNumberField("elapsedMillis", (System.nanoTime() - started) / 1_000_000);
            g.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new SQLException(ex.getMessage(), ex);
        }
        return out.toByteArray();
    }

    private static void writeValue(final JsonGenerator g, final ResultSet rs, final int c, final int type)
        throws SQLException, IOException
    {
        switch (type)
        {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
            {
                final long v = rs.getLong(c);
                if (rs.wasNull())
                {
                    g.writeNull();
                }
                else
                {
                    g.writeNumber(v);
                }
            }
            case Types.FLOAT, Types.DOUBLE, Types.REAL, Types.DECIMAL, Types.NUMERIC ->
            {
                final double v = rs.getDouble(c);
                if (rs.wasNull() || !Double.isFinite(v))
                {
                    g.writeNull();
                }
                else
                {
                    g.writeNumber(v);
                }
            }
            case BIG_INTEGER -> // sum() of a BIGINT column is a HUGEINT
            {
                final String v = rs.getString(c);
                if (v == null)
                {
                    g.writeNull();
                }
                else
                {
                    g.writeNumber(new BigInteger(v));
                }
            }
            case Types.BOOLEAN ->
            {
                final boolean v = rs.getBoolean(c);
                if (rs.wasNull())
                {
                    g.writeNull();
                }
                else
                {
                    g.writeBoolean(v);
                }
            }
            case Types.TIMESTAMP_WITH_TIMEZONE ->
            {
                final OffsetDateTime v = rs.getObject(c, OffsetDateTime.class);
                if (v == null)
                {
                    g.writeNull();
                }
                else
                {
                    g.writeString(DateTimeFormatter.ISO_INSTANT.format(v.toInstant()));
                }
            }
            default ->
            {
                final String v = rs.getString(c);
                if (v == null)
                {
                    g.writeNull();
                }
                else
                {
                    g.writeString(v);
                }
            }
        }
    }

    public void close()
    {
        timer.shutdownNow();
        try
        {
            connection.close();
        }
        catch (final SQLException ignore)
        {
            // closing anyway
        }
    }
}

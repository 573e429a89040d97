package io.barstore.server.sql;

import io.barstore.engine.BarStore;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.arrow.BarArrowReader;
import io.barstore.server.archive.ArchiveLayout;
import io.barstore.server.archive.ArchivedFile;
import io.barstore.server.archive.SqlText;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code bars} view SQL sees, made afresh for each query:
 * <pre>
 * bars(symbol, timeframe, source, ts, open, high, low, close, volume, vwap, trades)
 * </pre>
 * A sealed partition whose archive file is of its current generation is read from that Parquet file
 * ({@code read_parquet(..., hive_partitioning = true)}, so filters on symbol, timeframe and source skip whole files);
 * every other partition (writable, not archived yet, or rewritten since it was archived) is read from the store's
 * mapped files through the zero-copy Arrow export, one registered stream per timeframe and source. Each bar is in
 * exactly one of the two. A registered stream can be scanned once, so for a query that reads {@code bars} more than
 * once (a self-join, a common table expression) the live part is first copied into temporary tables.
 */
final class BarsView
{
    static final String VIEW = "bars";
    private static final String STREAM_PREFIX = "barstore_live_";
    private static final String COLUMNS = "ts, open, high, low, close, volume, vwap, trades";

    private final BarStore store;
    private final ArchiveLayout layout;
    private final BufferAllocator allocator;
    private final List<ArrowArrayStream> streams = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    /** The view's text as last defined: binding thousands of file names costs tens of ms, so not again for the same. */
    private String defined;
    /** The archive's files as last listed, and the archive version they were listed at. */
    private Map<String, Path> archived = Map.of();
    private long archivedVersion = Long.MIN_VALUE;

    BarsView(final BarStore store, final ArchiveLayout layout, final BufferAllocator allocator)
    {
        this.store = store;
        this.layout = layout;
        this.allocator = allocator;
    }

    /** One timeframe and source of live ranges: the series and the [start, end) of each. */
    private static final class LiveGroup
    {
        final Timeframe timeframe;
        final String source;
        final List<SeriesKey> keys = new ArrayList<>();
        final List<long[]> ranges = new ArrayList<>();

        LiveGroup(final Timeframe timeframe, final String source)
        {
            this.timeframe = timeframe;
            this.source = source;
        }

        void add(final SeriesKey key, final long start, final long end)
        {
            final int last = keys.size() - 1;
            if (last >= 0 && keys.get(last).equals(key) && ranges.get(last)[1] == start)
            {
                ranges.get(last)[1] = end; // adjacent partitions of one series: one range
                return;
            }
            keys.add(key);
            ranges.add(new long[]{ start, end });
        }
    }

    /**
     * Defines the view on {@code connection} for the next query, over the series {@code filter} admits;
     * {@code copyLive} when the query reads the view twice.
     */
    void define(final DuckDBConnection connection, final boolean copyLive, final SeriesFilter filter)
        throws SQLException, IOException
    {
        if (store.readOnly())
        {
            store.refresh();
        }
        final long version = layout.version();
        if (version != archivedVersion || version == -1)
        {
            final Map<String, Path> listed = new HashMap<>();
            for (final ArchivedFile file : layout.list())
            {
                listed.put(fileKey(file.key(), file.periodStart(), file.generation(), file.checksum()), file.path());
            }
            archived = listed;
            archivedVersion = version;
        }
        final List<Path> files = new ArrayList<>();
        final Map<String, LiveGroup> live = new LinkedHashMap<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            if (!filter.admits(key))
            {
                continue;
            }
            for (final PartitionInfo p : store.partitions(key))
            {
                final Path file = p.sealed() ?
                    archived.get(fileKey(key, p.periodStart(), p.generation(), p.checksum() & 0xFFFF_FFFFL)) : null;
                if (file != null)
                {
                    files.add(file);
                }
                else
                {
                    live.computeIfAbsent(key.timeframe().label() + "\u0000" + key.source(),
                        k -> new LiveGroup(key.timeframe(), key.source())).add(key, p.periodStart(), p.periodEnd());
                }
            }
        }
        final List<String> parts = new ArrayList<>();
        if (!files.isEmpty())
        {
            final StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < files.size(); i++)
            {
                list.append(i == 0 ? "" : ", ").append(SqlText.literal(files.get(i).toString()));
            }
            list.append(']');
            parts.add("SELECT symbol, timeframe, source, CAST(ts AS TIMESTAMPTZ) AS ts, open, high, low, close, " +
                "volume, vwap, trades FROM read_parquet(" + list + ", hive_partitioning = true, hive_types = " +
                "{'timeframe': VARCHAR, 'source': VARCHAR, 'symbol': VARCHAR, 'year': INTEGER})");
        }
        int index = 0;
        for (final LiveGroup group : live.values())
        {
            final String name = STREAM_PREFIX + index++;
            register(connection, name, group);
            String from = name;
            if (copyLive)
            {
                from = name + "_copy";
                try (Statement statement = connection.createStatement())
                {
                    statement.execute("CREATE OR REPLACE TEMP TABLE " + from + " AS SELECT * FROM " + name);
                }
                tables.add(from);
            }
            parts.add("SELECT CAST(symbol AS VARCHAR) AS symbol, " + SqlText.literal(group.timeframe.label()) +
                " AS timeframe, " + SqlText.literal(group.source) + " AS source, CAST(ts AS TIMESTAMPTZ) AS ts, " +
                "open, high, low, close, volume, vwap, trades FROM " + from);
        }
        if (parts.isEmpty())
        {
            parts.add("SELECT CAST(NULL AS VARCHAR) AS symbol, CAST(NULL AS VARCHAR) AS timeframe, " +
                "CAST(NULL AS VARCHAR) AS source, CAST(NULL AS TIMESTAMPTZ) AS ts, CAST(NULL AS DOUBLE) AS open, " +
                "CAST(NULL AS DOUBLE) AS high, CAST(NULL AS DOUBLE) AS low, CAST(NULL AS DOUBLE) AS close, " +
                "CAST(NULL AS DOUBLE) AS volume, CAST(NULL AS DOUBLE) AS vwap, CAST(NULL AS BIGINT) AS trades " +
                "WHERE false");
        }
        final String text = "CREATE OR REPLACE TEMP VIEW " + VIEW + " AS " + String.join(" UNION ALL ", parts);
        if (!text.equals(defined)) // the same text binds to the streams registered anew under the same names
        {
            defined = null;
            try (Statement statement = connection.createStatement())
            {
                statement.execute(text);
            }
            defined = text;
        }
    }

    private void register(final DuckDBConnection connection, final String name, final LiveGroup group)
    {
        final long[] starts = new long[group.keys.size()];
        final long[] ends = new long[group.keys.size()];
        for (int i = 0; i < starts.length; i++)
        {
            starts[i] = group.ranges.get(i)[0];
            ends[i] = group.ranges.get(i)[1];
        }
        final BarArrowReader reader = BarArrowReader.ranges(allocator, store, group.keys, starts, ends);
        final ArrowArrayStream stream;
        try
        {
            stream = ArrowArrayStream.allocateNew(allocator);
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(reader);
            throw ex;
        }
        streams.add(stream);
        try
        {
            Data.exportArrayStream(allocator, reader, stream); // released with the stream: after the scan, or clear()
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(reader); // the stream does not own it yet; it still holds its cursor's mapping
            throw ex;
        }
        connection.registerArrowStream(name, stream);
    }

    private static void closeQuietly(final BarArrowReader reader)
    {
        try
        {
            reader.close();
        }
        catch (final IOException | RuntimeException ignore)
        {
            // failing already
        }
    }

    /** Lists the archive again at the next {@link #define}: a file listed before has gone. */
    void forgetArchive()
    {
        archivedVersion = Long.MIN_VALUE;
    }

    /** After the query: releases the streams it did not read and drops the copies. */
    void clear(final DuckDBConnection connection)
    {
        for (final ArrowArrayStream stream : streams)
        {
            stream.close();
        }
        streams.clear();
        for (final String table : tables)
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            catch (final SQLException ignore)
            {
                // a temporary table: gone with the connection anyway
            }
        }
        tables.clear();
    }

    private static String fileKey(final SeriesKey key, final long periodStart, final long generation,
        final long checksum)
    {
        return key.timeframe().label() + '\u0000' + key.source() + '\u0000' + key.symbol() + '\u0000' + periodStart +
            '\u0000' + generation + '\u0000' + checksum;
    }
}

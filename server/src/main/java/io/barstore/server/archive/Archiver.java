package io.barstore.server.archive;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.arrow.BarArrowReader;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes sealed partitions to the Parquet archive ({@link ArchiveLayout}) and keeps it equal to the store.
 * <p>
 * A pass archives every sealed partition whose period ended before a cut-off and has no file for its current
 * generation, re-archives partitions that were archived before and have since been rewritten (an upsert or deletion
 * into a sealed partition, or the consolidation of sealed days into a month), at any age, and removes files no
 * partition stands behind any more. Each file goes from the engine's zero-copy Arrow export through DuckDB
 * ({@code registerArrowStream} and {@code COPY ... TO ... (FORMAT parquet, COMPRESSION zstd)}) to a temporary name,
 * is forced, renamed into place and its directory forced: a crash leaves either the old file or the new one.
 * <p>
 * Readers never depend on the archive being current: the SQL {@code bars} view takes a file only when its generation
 * is the store's, and reads the partition itself otherwise. One archiver at a time per data directory (a lock file
 * under the archive); not thread-safe.
 */
public final class Archiver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final String LOCK_FILE = ".archiver.lock";
    private static final String SOURCE_STREAM = "barstore_archive_source";

    private final BarStore store;
    private final ArchiveLayout layout;
    private final BufferAllocator allocator;
    private final DuckDBConnection connection;
    private volatile boolean stopping;

    /** An archiver of {@code store}'s partitions, into {@code <data>/archive}; {@code allocator} is used and not closed. */
    public Archiver(final BarStore store, final BufferAllocator allocator)
    {
        this.store = store;
        this.layout = new ArchiveLayout(store.config().dataDir());
        this.allocator = allocator;
        try
        {
            connection = (DuckDBConnection)DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement())
            {
                statement.execute("SET threads = 1"); // a background job: leave the cores to ingest and queries
                statement.execute("SET preserve_insertion_order = true");
            }
        }
        catch (final SQLException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot start DuckDB for the archive", ex)
                .with("cause", ex.getMessage());
        }
    }

    public ArchiveLayout layout()
    {
        return layout;
    }

    /**
     * One pass: archives sealed partitions whose period ended at or before {@code endedBeforeNanos} (and re-archives
     * changed ones at any age), then removes stale files.
     *
     * @throws BarStoreException UNAVAILABLE when another archiver runs on this directory; IO when a file cannot be
     * written (files already done stay).
     */
    public ArchiveRun run(final long endedBeforeNanos)
    {
        final long started = System.nanoTime();
        try
        {
            Files.createDirectories(layout.root());
        }
        catch (final IOException ex)
        {
            throw failure("cannot create the archive directory", layout.root(), ex);
        }
        try (FileChannel lockChannel = FileChannel.open(layout.root().resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE); FileLock lock = lockChannel.tryLock())
        {
            if (lock == null)
            {
                throw new BarStoreException(BarStoreException.Category.UNAVAILABLE,
                    "another process is archiving this data directory; wait for it to finish")
                    .with("archive", layout.root());
            }
            return pass(endedBeforeNanos, started);
        }
        catch (final IOException ex)
        {
            throw failure("cannot lock the archive", layout.root(), ex);
        }
    }

    private ArchiveRun pass(final long endedBeforeNanos, final long started) throws IOException
    {
        final int temporaries = removeTemporaryFiles();
        final Map<SeriesKey, Map<Long, List<ArchivedFile>>> existing = new HashMap<>();
        for (final ArchivedFile file : layout.list())
        {
            existing.computeIfAbsent(file.key(), k -> new HashMap<>())
                .computeIfAbsent(file.periodStart(), k -> new java.util.ArrayList<>()).add(file);
        }
        final Set<Path> current = new HashSet<>();
        int written = 0;
        int upToDate = 0;
        long rows = 0;
        long bytes = 0;
        for (final SeriesKey key : store.seriesKeys())
        {
            if (stopping)
            {
                break; // the files done so far are whole; the next pass (after a restart) does the rest
            }
            final Map<Long, List<ArchivedFile>> files = existing.getOrDefault(key, Map.of());
            for (final PartitionInfo partition : store.partitions(key))
            {
                if (!partition.sealed())
                {
                    continue;
                }
                final Path target = layout.file(key, partition);
                if (Files.exists(target))
                {
                    current.add(target);
                    upToDate++;
                    continue;
                }
                if (partition.periodEnd() > endedBeforeNanos && !archivedBefore(files, partition))
                {
                    continue;
                }
                final long written1 = write(key, partition, target);
                if (written1 >= 0)
                {
                    current.add(target);
                    written++;
                    rows += written1;
                    bytes += Files.size(target);
                }
            }
        }
        int removed = 0;
        for (final Map<Long, List<ArchivedFile>> byPeriod : existing.values())
        {
            for (final List<ArchivedFile> files : byPeriod.values())
            {
                for (final ArchivedFile file : files)
                {
                    if (!current.contains(file.path()))
                    {
                        Files.deleteIfExists(file.path());
                        removed++;
                    }
                }
            }
        }
        if (removed > 0 || temporaries > 0)
        {
            removeEmptyDirectories(layout.root());
        }
        if (written > 0 || removed > 0)
        {
            layout.bumpVersion();
        }
        return new ArchiveRun(written, rows, bytes, removed, upToDate, System.nanoTime() - started);
    }

    /** True when some archived file overlaps the partition's period: it was archived and has changed since. */
    private static boolean archivedBefore(final Map<Long, List<ArchivedFile>> files, final PartitionInfo partition)
    {
        for (final Map.Entry<Long, List<ArchivedFile>> e : files.entrySet())
        {
            if (e.getKey() >= partition.periodStart() && e.getKey() < partition.periodEnd())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes one partition; returns its rows, or -1 when the store rewrote it while it was being read (the next pass
     * archives the new generation).
     */
    private long write(final SeriesKey key, final PartitionInfo partition, final Path target) throws IOException
    {
        Files.createDirectories(target.getParent());
        final Path temp = target.resolveSibling(target.getFileName() + ArchiveLayout.TEMP_SUFFIX);
        final BarCursor cursor = store.newCursor();
        if (!store.range(key, partition.periodStart(), partition.periodEnd(), cursor))
        {
            cursor.release();
            return -1; // deleted meanwhile
        }
        final BarArrowReader reader = new BarArrowReader(allocator, cursor);
        final long copied;
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator))
        {
            try
            {
                Data.exportArrayStream(allocator, reader, stream); // the stream owns the reader from here on
            }
            catch (final RuntimeException | Error ex)
            {
                reader.close(); // releases the cursor and the mapping it holds
                throw ex;
            }
            connection.registerArrowStream(SOURCE_STREAM, stream);
            try (Statement statement = connection.createStatement())
            {
                copied = statement.executeLargeUpdate("COPY (SELECT CAST(ts AS TIMESTAMPTZ) AS ts, open, high, low, " +
                    "close, volume, vwap, trades FROM " + SOURCE_STREAM + ") TO " + SqlText.literal(temp.toString()) +
                    " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)");
            }
        }
        catch (final SQLException ex)
        {
            Files.deleteIfExists(temp);
            throw failure("cannot write a partition to Parquet: " + ex.getMessage(), target, null);
        }
        if (copied != partition.rows())
        {
            Files.deleteIfExists(temp);
            LOG.debug("{} changed while archiving {}; left for the next pass", key, target);
            return -1;
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ))
        {
            dir.force(true);
        }
        return copied;
    }

    /**
     * Deletes the temporary files a pass that crashed left behind: this pass holds the lock, so no other is writing
     * one, and a partition that is not written again (deleted, or consolidated meanwhile) would keep its for ever.
     */
    private int removeTemporaryFiles() throws IOException
    {
        final List<Path> temporaries;
        try (java.util.stream.Stream<Path> paths = Files.walk(layout.root()))
        {
            temporaries = paths.filter(p -> p.getFileName().toString().endsWith(ArchiveLayout.TEMP_SUFFIX)).toList();
        }
        for (final Path temporary : temporaries)
        {
            Files.deleteIfExists(temporary);
        }
        return temporaries.size();
    }

    private static void removeEmptyDirectories(final Path root) throws IOException
    {
        try (java.util.stream.Stream<Path> paths = Files.walk(root))
        {
            final List<Path> dirs = paths.filter(Files::isDirectory).filter(p -> !p.equals(root))
                .sorted(java.util.Comparator.reverseOrder()).toList();
            for (final Path dir : dirs)
            {
                try (java.util.stream.Stream<Path> children = Files.list(dir))
                {
                    if (children.findAny().isEmpty())
                    {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        }
    }

    private static BarStoreException failure(final String message, final Path path, final IOException ex)
    {
        final BarStoreException failure = new BarStoreException(BarStoreException.Category.IO, message, ex)
            .with("file", path);
        return ex == null ? failure : failure.with("cause", ex.toString());
    }

    /**
     * Asks a pass running on another thread to end after the partition it is writing (a DuckDB {@code COPY} cannot
     * be abandoned half-way); call before {@link #close()} from that other thread, and wait for the pass.
     */
    public void stop()
    {
        stopping = true;
    }

    public void close()
    {
        try
        {
            connection.close();
        }
        catch (final SQLException ex)
        {
            LOG.warn("closing the archive's DuckDB connection: {}", ex.getMessage());
        }
    }
}

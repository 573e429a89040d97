package io.barstore.server.archive;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive compared with the store it was written from. */
public final class ArchiveChecks
{
    private ArchiveChecks()
    {
    }

    /**
     * The archive holds exactly one file per sealed partition it archived, of the store's current generation of that
     * partition; every sealed partition whose period ended by {@code cutOff} is archived; nothing else is there (no
     * file of a deleted series or an old generation, no temporary file).
     *
     * @return the files, each matched to its partition.
     */
    public static Map<ArchivedFile, PartitionInfo> assertArchiveMatchesStore(final BarStore store, final long cutOff,
        final String context)
    {
        final ArchiveLayout layout = new ArchiveLayout(store.config().dataDir());
        final Map<String, ArchivedFile> byPartition = new HashMap<>();
        final Map<ArchivedFile, PartitionInfo> matched = new HashMap<>();
        final List<ArchivedFile> files;
        try
        {
            files = layout.list();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (final ArchivedFile file : files)
        {
            final ArchivedFile other = byPartition.put(file.key() + "@" + file.periodStart(), file);
            assertEquals(null, other, () -> context + ": two files for one partition: " + file.path());
            PartitionInfo partition = null;
            for (final PartitionInfo p : store.partitions(file.key()))
            {
                if (p.periodStart() == file.periodStart())
                {
                    partition = p;
                }
            }
            final PartitionInfo found = partition;
            assertNotNull(found, () -> context + ": no partition stands behind " + file.path());
            assertTrue(found.sealed(), () -> context + ": archived partition is not sealed: " + file.path());
            assertEquals(found.generation(), file.generation(),
                () -> context + ": the file is of another generation than the store's: " + file.path());
            assertEquals(layout.file(file.key(), found), file.path(), context);
            matched.put(file, found);
        }
        for (final SeriesKey key : store.seriesKeys())
        {
            for (final PartitionInfo p : store.partitions(key))
            {
                if (p.sealed() && p.periodEnd() <= cutOff)
                {
                    assertTrue(byPartition.containsKey(key + "@" + p.periodStart()),
                        () -> context + ": sealed partition not archived: " + key + " " + p);
                }
            }
        }
        assertEquals(List.of(), leftovers(layout.root()), context + ": files in the archive that are not its own");
        return matched;
    }

    /** Every file under the archive that is neither a finished archive file nor the archiver's lock file. */
    public static List<Path> leftovers(final Path root)
    {
        final List<Path> others = new ArrayList<>();
        if (!Files.isDirectory(root))
        {
            return others;
        }
        final ArchiveLayout layout = new ArchiveLayout(root.getParent());
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.filter(Files::isRegularFile)
                .filter(p -> !p.getParent().equals(root) || !(p.getFileName().toString().equals(".archiver.lock") ||
                    p.getFileName().toString().equals(".version")))
                .filter(p -> layout.parse(p) == null)
                .forEach(others::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return others;
    }

    /**
     * The Parquet file holds exactly the rows of its partition, read by plain DuckDB: same ts, same doubles to the
     * bit (NaN vwap kept), same trades.
     *
     * @return the rows compared.
     */
    public static long assertFileHoldsPartition(final Connection duckdb, final BarStore store, final ArchivedFile file,
        final PartitionInfo partition)
    {
        final BarCursor cursor = store.newCursor();
        long rows = 0;
        try (PreparedStatement statement = duckdb.prepareStatement("SELECT epoch_ns(ts), open, high, low, close, " +
            "volume, vwap, trades FROM read_parquet(?) ORDER BY ts"))
        {
            statement.setString(1, file.path().toString());
            assertTrue(store.range(file.key(), partition.periodStart(), partition.periodEnd(), cursor));
            try (ResultSet rs = statement.executeQuery())
            {
                while (cursor.next())
                {
                    final long row = rows;
                    assertTrue(rs.next(), () -> file.path() + " ends after " + row + " rows; the partition has more");
                    final String where = file.path() + " row " + rows;
                    assertEquals(cursor.ts(), rs.getLong(1), where);
                    assertSameBits(cursor.open(), rs.getDouble(2), where);
                    assertSameBits(cursor.high(), rs.getDouble(3), where);
                    assertSameBits(cursor.low(), rs.getDouble(4), where);
                    assertSameBits(cursor.close(), rs.getDouble(5), where);
                    assertSameBits(cursor.volume(), rs.getDouble(6), where);
                    assertSameBits(cursor.vwap(), rs.getDouble(7), where); // NaN (unknown) stays NaN
                    assertEquals(cursor.trades(), rs.getLong(8), where);
                    rows++;
                }
                assertFalse(rs.next(), () -> file.path() + " has more rows than its partition");
            }
        }
        catch (final SQLException ex)
        {
            throw new AssertionError("cannot read " + file.path() + ": " + ex.getMessage(), ex);
        }
        finally
        {
            cursor.release();
        }
        assertEquals(partition.rows(), rows, file.path().toString());
        return rows;
    }

    private static void assertSameBits(final double expected, final double actual, final String where)
    {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
            () -> where + ": expected " + expected + " but was " + actual);
    }
}

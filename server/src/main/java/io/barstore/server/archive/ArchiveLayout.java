package io.barstore.server.archive;

import io.barstore.engine.PartitionInfo;
import io.barstore.engine.PartitionSpan;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.SeriesPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the archive's Parquet files live. A Hive-style tree that DuckDB, pyarrow, polars and Spark read as it is:
 * <pre>
 * &lt;data&gt;/archive/timeframe=5m/source=default/symbol=BRK%2EB/year=2024/2024-03_M.000007.5c2e91d0.parquet
 * </pre>
 * One file per sealed partition of a series, named after the partition: period, span, generation and the sealed
 * file's checksum (CRC32C of its rows, in hex), so a file stands for exactly one content of the partition even when a
 * series is deleted and written again after a restart, which may reuse generation numbers. Source and symbol
 * are percent-encoded as in the store's own directories ({@link SeriesPaths#encode}), which Hive readers decode
 * ({@code BRK%2EB} reads as {@code BRK.B}). A file holds the columns {@code ts} (timestamp, microseconds, UTC: the
 * unit Spark and every Parquet reader understand; bars need no finer) and {@code open, high, low, close, volume, vwap}
 * (double), {@code trades} (int64), sorted by {@code ts}, zstd-compressed; the series comes from the path. Files are written under a
 * {@code .tmp} name, forced and renamed, so a reader never sees half a file.
 */
public final class ArchiveLayout
{
    public static final String ARCHIVE_DIR = "archive";
    public static final String SUFFIX = ".parquet";
    public static final String TEMP_SUFFIX = ".tmp";
    /** Bumped by every archiver pass that changed a file, so readers list the tree again only then. */
    static final String VERSION_FILE = ".version";

    private final Path root;

    public ArchiveLayout(final Path dataDir)
    {
        this.root = dataDir.toAbsolutePath().normalize().resolve(ARCHIVE_DIR);
    }

    public Path root()
    {
        return root;
    }

    /** The file that holds {@code partition} of {@code key}. */
    public Path file(final SeriesKey key, final PartitionInfo partition)
    {
        final int year = LocalDate.ofEpochDay(Math.floorDiv(partition.periodStart(), 86_400_000_000_000L)).getYear();
        return root.resolve("timeframe=" + key.timeframe().label())
            .resolve("source=" + SeriesPaths.encode(key.source()))
            .resolve("symbol=" + SeriesPaths.encode(key.symbol()))
            .resolve("year=" + year)
            .resolve(partition.span().periodName(partition.periodStart()) + "_" + partition.span().code() + "." +
                String.format(Locale.ROOT, "%06d.%08x", partition.generation(), partition.checksum() & 0xFFFF_FFFFL) +
                SUFFIX);
    }

    /**
     * The archive's version: changes whenever an archiver pass wrote or removed a file (a number in
     * {@code .version}); -1 when there is no archive.
     */
    public long version()
    {
        try
        {
            return Long.parseLong(Files.readString(root.resolve(VERSION_FILE)).strip());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    /** Records a new version after a pass changed files: written to a temporary name and renamed. */
    void bumpVersion() throws IOException
    {
        final Path temp = root.resolve(VERSION_FILE + TEMP_SUFFIX);
        Files.writeString(temp, Long.toString(Math.max(version() + 1, System.currentTimeMillis())));
        Files.move(temp, root.resolve(VERSION_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every archived file; names that are not the archive's own (or unfinished ones) are left out. */
    public List<ArchivedFile> list() throws IOException
    {
        final List<ArchivedFile> files = new ArrayList<>();
        if (!Files.isDirectory(root))
        {
            return files;
        }
        try (Stream<Path> paths = Files.walk(root, 5))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final ArchivedFile file = parse(path);
                if (file != null)
                {
                    files.add(file);
                }
            }
        }
        catch (final java.io.UncheckedIOException ex)
        {
            if (!(ex.getCause() instanceof NoSuchFileException))
            {
                throw ex.getCause();
            }
            return list(); // a directory went while walking (the archiver tidies up): look again
        }
        return files;
    }

    /** The file's series and partition, from its path; null for anything else. */
    ArchivedFile parse(final Path path)
    {
        final Path relative = root.relativize(path);
        if (relative.getNameCount() != 5 || !relative.getFileName().toString().endsWith(SUFFIX))
        {
            return null;
        }
        try
        {
            final Timeframe timeframe = Timeframe.parse(value(relative, 0, "timeframe="));
            final String source = SeriesPaths.decode(value(relative, 1, "source="));
            final String symbol = SeriesPaths.decode(value(relative, 2, "symbol="));
            final String name = relative.getFileName().toString();
            final String stem = name.substring(0, name.length() - SUFFIX.length()); // 2024-03_M.000007.5c2e91d0
            final int underscore = stem.lastIndexOf('_');
            final int checksumDot = stem.lastIndexOf('.');
            final int generationDot = stem.lastIndexOf('.', checksumDot - 1);
            final PartitionSpan span = PartitionSpan.byCode(stem.charAt(underscore + 1));
            if (generationDot != underscore + 2)
            {
                return null;
            }
            final long periodStart = periodStart(stem.substring(0, underscore), span);
            final long generation = Long.parseLong(stem.substring(generationDot + 1, checksumDot));
            final long checksum = Long.parseLong(stem.substring(checksumDot + 1), 16);
            return new ArchivedFile(SeriesKey.of(symbol, timeframe, source), periodStart, generation, checksum, path);
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }

    private static String value(final Path relative, final int index, final String prefix)
    {
        final String part = relative.getName(index).toString();
        if (!part.startsWith(prefix))
        {
            throw new IllegalArgumentException(part);
        }
        return part.substring(prefix.length());
    }

    private static long periodStart(final String name, final PartitionSpan span)
    {
        final LocalDate day = switch (span)
        {
            case DAY -> LocalDate.parse(name);
            case MONTH -> YearMonth.parse(name).atDay(1);
            case YEAR -> LocalDate.of(Integer.parseInt(name), 1, 1);
        };
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
    }
}

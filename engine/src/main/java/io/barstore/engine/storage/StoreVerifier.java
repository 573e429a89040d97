package io.barstore.engine.storage;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.Column;
import io.barstore.engine.PartitionSpan;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.fs.FileOps;
import io.barstore.engine.journal.Checkpoint;
import org.agrona.UnsafeApi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the files of a data directory without opening the store: no lock is taken, the journal is not replayed and
 * nothing is written, so it works on a store a server has open and on one {@code BarStore.open} refuses as corrupt.
 * <p>
 * Walks {@code <data>/series/<tf>/<source>/<symbol>/*.bar} (see {@code engine/FORMAT.md}) and maps each file
 * read-only. Every problem is one line {@code <file>: offset N: <problem>}: a bad magic or format version, a length
 * that does not match the capacity (a truncated file), a row count beyond the capacity, a header that disagrees with
 * the file name or the series directory, rows out of ts order, outside the period or unaligned, bars breaking the
 * validation rules, a checksum mismatch in a sealed file, periods that overlap; and a damaged {@code checkpoint}.
 * <p>
 * As on open, only the highest complete generation of a period is the partition: an older generation, a file not
 * marked complete, a temporary file, a day a month segment already holds, or an empty partition is a leftover of an
 * interrupted or superseded write that the writer deletes when it next opens the store. Those are reported as notes,
 * not problems; a complete file whose header {@code BarStore.open} would refuse is a problem whatever its generation.
 */
public final class StoreVerifier
{
    /** {@code 2025-01-02_D.000001.bar}: period, span code, generation. */
    private static final Pattern FILE_NAME = Pattern.compile("(\\d{4}(?:-\\d{2}){0,2})_([A-Z])\\.(\\d{6,})\\.bar");

    /**
     * What a check found.
     *
     * @param problems one line per problem, {@code <file>: offset N: <problem>}; empty when the store is healthy.
     * @param notes    leftovers the next open deletes, and files that are not barstore's; no harm to the data.
     * @param series   series directories found.
     * @param files    files read: partition files, leftovers included, and the checkpoint.
     * @param bars     rows checked in the partitions.
     * @param bytes    bytes of the partition files.
     */
    public record Report(List<String> problems, List<String> notes, int series, int files, long bars, long bytes)
    {
        public boolean healthy()
        {
            return problems.isEmpty();
        }
    }

    /** A partition file's header, read before deciding whether the file is a partition or a leftover. */
    private record Candidate(
        Path path, Matcher name, int flags, long periodStart, long periodEnd, long generation, long rows, long size,
        PartitionSpan span)
    {
        boolean longerThan(final Candidate other)
        {
            return periodEnd - periodStart > other.periodEnd - other.periodStart;
        }
    }

    private final Path dataDir;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int seriesCount;
    private int files;
    private long bars;
    private long bytes;

    private StoreVerifier(final Path dataDir)
    {
        this.dataDir = dataDir;
    }

    /**
     * Checks every file of the store in {@code dataDir}.
     *
     * @throws BarStoreException NOT_FOUND when {@code dataDir} is not a directory, IO when it cannot be listed.
     */
    public static Report verify(final Path dataDir)
    {
        if (!Files.isDirectory(dataDir))
        {
            throw new BarStoreException(BarStoreException.Category.NOT_FOUND, "no data directory to verify")
                .with("data", dataDir);
        }
        final StoreVerifier verifier = new StoreVerifier(dataDir);
        try
        {
            verifier.checkCheckpoint();
            verifier.walk();
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot read the data directory", ex)
                .with("data", dataDir).with("cause", ex.toString());
        }
        return new Report(Collections.unmodifiableList(verifier.problems), Collections.unmodifiableList(verifier.notes),
            verifier.seriesCount, verifier.files, verifier.bars, verifier.bytes);
    }

    /** The problems of {@link #verify}: empty when the store is healthy. */
    public static List<String> problems(final Path dataDir)
    {
        return verify(dataDir).problems();
    }

    private void checkCheckpoint()
    {
        final Path path = dataDir.resolve(Checkpoint.FILE_NAME);
        if (!Files.exists(path))
        {
            return;
        }
        files++;
        try
        {
            Checkpoint.read(FileOps.SYSTEM, dataDir);
        }
        catch (final BarStoreException ex)
        {
            problems.add(path + ": offset 0: " + (ex.category() == BarStoreException.Category.CORRUPT ?
                "damaged (bad length, magic or CRC32C); delete it and the next open replays the whole journal" :
                "cannot be read: " + ex.getMessage()));
        }
    }

    private void walk() throws IOException
    {
        final SeriesPaths paths = new SeriesPaths(dataDir);
        final Path root = paths.root();
        if (!Files.isDirectory(root))
        {
            return;
        }
        for (final Path tf : list(root))
        {
            if (!Files.isDirectory(tf))
            {
                notes.add(tf + ": not a timeframe directory; ignored");
                continue;
            }
            for (final Path source : list(tf))
            {
                if (!Files.isDirectory(source))
                {
                    notes.add(source + ": not a source directory; ignored");
                    continue;
                }
                for (final Path symbol : list(source))
                {
                    final SeriesKey key = Files.isDirectory(symbol) ? paths.keyOf(
                        tf.getFileName().toString(), source.getFileName().toString(),
                        symbol.getFileName().toString()) : null;
                    if (key == null)
                    {
                        notes.add(symbol + ": not a series directory barstore writes (timeframe/source/symbol); " +
                            "ignored");
                        continue;
                    }
                    seriesCount++;
                    checkSeries(key, symbol);
                }
            }
        }
    }

    private void checkSeries(final SeriesKey key, final Path dir) throws IOException
    {
        final Timeframe tf = key.timeframe();
        final Map<Long, Candidate> byPeriod = new HashMap<>();
        for (final Path file : list(dir))
        {
            final String name = file.getFileName().toString();
            if (!name.endsWith(PartitionDescriptor.FILE_SUFFIX))
            {
                notes.add(file + (name.endsWith(".tmp") ? ": temporary file of an interrupted write; the next open " +
                    "deletes it" : ": not a partition file; ignored"));
                continue;
            }
            files++;
            final Candidate candidate;
            try
            {
                candidate = readHeader(file, name);
            }
            catch (final NoSuchFileException ex)
            {
                notes.add(file + ": gone while being checked (a running writer replaced it)");
                continue;
            }
            if (candidate == null)
            {
                continue;
            }
            bytes += candidate.size;
            final Candidate other = byPeriod.get(candidate.periodStart);
            if (other == null || other.generation < candidate.generation)
            {
                byPeriod.put(candidate.periodStart, candidate);
                if (other != null)
                {
                    superseded(other, candidate);
                }
            }
            else
            {
                superseded(candidate, other);
            }
        }
        final List<Candidate> sorted = new ArrayList<>(byPeriod.values());
        sorted.sort((a, b) -> a.periodStart != b.periodStart ? Long.compare(a.periodStart, b.periodStart) :
            Long.compare(b.periodEnd, a.periodEnd));
        Candidate previous = null;
        for (final Candidate p : sorted)
        {
            final Candidate segment = coveringSegment(p, sorted);
            if (segment != null)
            {
                notes.add(p.path + ": a day the month segment " + segment.path.getFileName() + " already holds (an " +
                    "interrupted consolidation); the next open deletes it");
                continue;
            }
            if (p.rows == 0)
            {
                notes.add(p.path + ": holds no bars; the next open deletes it");
                continue;
            }
            if (previous != null && p.periodStart < previous.periodEnd)
            {
                problems.add(p.path + ": offset " + PartitionDescriptor.PERIOD_START_OFFSET + ": period [" +
                    PartitionVerifier.instant(p.periodStart) + ", " + PartitionVerifier.instant(p.periodEnd) +
                    ") overlaps " + previous.path.getFileName() + " [" +
                    PartitionVerifier.instant(previous.periodStart) + ", " +
                    PartitionVerifier.instant(previous.periodEnd) + ")");
            }
            previous = p;
            checkPartition(p, tf);
        }
    }

    /**
     * Reads a {@code .bar} file's header. Returns the candidate partition, or null when the file is a leftover (noted)
     * or damaged so that {@code BarStore.open} refuses it (a problem).
     */
    private Candidate readHeader(final Path file, final String name) throws IOException
    {
        final ByteBuffer h = ByteBuffer.allocate(PartitionDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            size = ch.size();
            while (h.hasRemaining() && ch.read(h, h.position()) > 0)
            {
                // until the header is read or the file ends
            }
        }
        if (h.position() < PartitionDescriptor.HEADER_LENGTH)
        {
            notes.add(file + ": " + size + " bytes, shorter than the header: an interrupted create, which the next " +
                "open deletes (were it a partition cut short, its bars would be lost)");
            return null;
        }
        final int flags = h.getInt(PartitionDescriptor.FLAGS_OFFSET);
        final boolean complete = (flags & PartitionDescriptor.FLAG_COMPLETE) != 0;
        if (h.getLong(PartitionDescriptor.MAGIC_OFFSET) != PartitionDescriptor.MAGIC ||
            h.getInt(PartitionDescriptor.VERSION_OFFSET) != PartitionDescriptor.VERSION)
        {
            if (!complete)
            {
                notes.add(file + ": no partition header and not marked complete: an interrupted create, which the " +
                    "next open deletes");
            }
            else if (h.getLong(PartitionDescriptor.MAGIC_OFFSET) != PartitionDescriptor.MAGIC)
            {
                problems.add(file + ": offset " + PartitionDescriptor.MAGIC_OFFSET +
                    ": bad magic (not a barstore partition)");
            }
            else
            {
                problems.add(file + ": offset " + PartitionDescriptor.VERSION_OFFSET + ": format version " +
                    h.getInt(PartitionDescriptor.VERSION_OFFSET) + ", expected " + PartitionDescriptor.VERSION);
            }
            return null;
        }
        if (!complete)
        {
            notes.add(file + ": not marked complete: an unfinished write (or one a running writer is making); the " +
                "next open deletes it");
            return null;
        }
        final long capacity = h.getLong(PartitionDescriptor.CAPACITY_OFFSET);
        final long rows = h.getLong(PartitionDescriptor.ROW_COUNT_OFFSET);
        if (capacity < 0 || capacity > Integer.MAX_VALUE || size != PartitionDescriptor.fileLength(capacity))
        {
            problems.add(file + ": offset " + PartitionDescriptor.CAPACITY_OFFSET + ": file length " + size +
                " does not match capacity " + capacity + (capacity >= 0 && capacity <= Integer.MAX_VALUE ?
                " (" + PartitionDescriptor.fileLength(capacity) + " bytes): " +
                (size < PartitionDescriptor.fileLength(capacity) ? "truncated" : "extended") : ""));
            return null;
        }
        if (rows < 0 || rows > capacity)
        {
            problems.add(file + ": offset " + PartitionDescriptor.ROW_COUNT_OFFSET + ": row count " + rows +
                " outside [0, " + capacity + "]");
            return null;
        }
        final int spanCode = h.getInt(PartitionDescriptor.SPAN_OFFSET);
        PartitionSpan span = null;
        for (final PartitionSpan s : PartitionSpan.values())
        {
            if (s.code() == spanCode)
            {
                span = s;
            }
        }
        if (span == null)
        {
            problems.add(file + ": offset " + PartitionDescriptor.SPAN_OFFSET + ": unknown span code " + spanCode +
                " (expected 'D', 'M' or 'Y')");
            return null;
        }
        final Matcher matcher = FILE_NAME.matcher(name);
        return new Candidate(file, matcher.matches() ? matcher : null, flags,
            h.getLong(PartitionDescriptor.PERIOD_START_OFFSET), h.getLong(PartitionDescriptor.PERIOD_END_OFFSET),
            h.getLong(PartitionDescriptor.GENERATION_OFFSET), rows, size, span);
    }

    private void superseded(final Candidate old, final Candidate newer)
    {
        notes.add(old.path + ": generation " + old.generation + ", superseded by " + newer.path.getFileName() +
            "; the next open deletes it");
    }

    /** The longer partition holding all of {@code p}'s period (a month segment over a day), or null. */
    private static Candidate coveringSegment(final Candidate p, final List<Candidate> all)
    {
        for (final Candidate q : all)
        {
            if (q != p && q.periodStart <= p.periodStart && p.periodEnd <= q.periodEnd && q.longerThan(p))
            {
                return q;
            }
        }
        return null;
    }

    /** The header against the name and the directory, then every row and the checksum, through a read-only mapping. */
    private void checkPartition(final Candidate p, final Timeframe tf) throws IOException
    {
        final String file = p.path.toString();
        if (p.span != tf.partitionSpan() && p.span != tf.segmentSpan())
        {
            problems.add(file + ": offset " + PartitionDescriptor.SPAN_OFFSET + ": span '" + p.span.code() +
                "' is not one of a " + tf.label() + " series ('" + tf.partitionSpan().code() + "' or '" +
                tf.segmentSpan().code() + "')");
        }
        if (p.span.periodStart(p.periodStart) != p.periodStart)
        {
            problems.add(file + ": offset " + PartitionDescriptor.PERIOD_START_OFFSET + ": period start " +
                p.periodStart + " is not the start of a period of span '" + p.span.code() + "'");
        }
        else if (p.span.periodEnd(p.periodStart) != p.periodEnd)
        {
            problems.add(file + ": offset " + PartitionDescriptor.PERIOD_END_OFFSET + ": period end " + p.periodEnd +
                " is not the end of the period starting " + PartitionVerifier.instant(p.periodStart));
        }
        else if (p.name == null)
        {
            notes.add(file + ": name not of the form <period>_<span>.<generation>.bar; checked by its header");
        }
        else
        {
            final String period = p.span.periodName(p.periodStart);
            if (!p.name.group(1).equals(period) || p.name.group(2).charAt(0) != p.span.code())
            {
                problems.add(file + ": offset " + PartitionDescriptor.PERIOD_START_OFFSET + ": header period " +
                    period + "_" + p.span.code() + " does not match the file name");
            }
            if (!p.name.group(3).equals(String.format("%06d", p.generation)))
            {
                problems.add(file + ": offset " + PartitionDescriptor.GENERATION_OFFSET + ": header generation " +
                    p.generation + " does not match the file name");
            }
        }

        final MappedByteBuffer buffer;
        try (FileChannel ch = FileChannel.open(p.path, StandardOpenOption.READ))
        {
            buffer = ch.map(FileChannel.MapMode.READ_ONLY, 0, p.size);
        }
        catch (final NoSuchFileException ex)
        {
            notes.add(file + ": gone while being checked (a running writer replaced it)");
            return;
        }
        final Mapping mapping = new Mapping(p.path, buffer);
        try
        {
            long rowLimit = Long.MAX_VALUE;
            if ((p.flags & PartitionDescriptor.FLAG_SEALED) == 0)
            {
                final long torn = tornTail(mapping, p);
                if (torn >= 0)
                {
                    notes.add(file + ": rows " + torn + " to " + (p.rows - 1) + " are zeros: the row count reached " +
                        "the disk before those rows did (a power loss); the next open cuts the partition back to " +
                        torn + " rows and replays the rest from the journal");
                    rowLimit = torn;
                }
            }
            bars += PartitionVerifier.verify(p.path, mapping, tf, p.periodStart, p.periodEnd, rowLimit, problems);
        }
        finally
        {
            mapping.release();
        }
    }

    /**
     * For a writable partition: the row from which every ts up to the row count is zero (pages that never reached the
     * disk, which the next open cuts off, as it cuts any row breaking the ts order), or -1 when there is no such tail.
     */
    private static long tornTail(final Mapping mapping, final Candidate p)
    {
        final long ts = mapping.address() + PartitionDescriptor.HEADER_LENGTH;
        long previous = Long.MIN_VALUE;
        long valid = 0;
        while (valid < p.rows)
        {
            final long t = UnsafeApi.getLong(ts + valid * Column.VALUE_BYTES);
            if (t <= previous || t < p.periodStart || t >= p.periodEnd)
            {
                break;
            }
            previous = t;
            valid++;
        }
        if (valid == p.rows)
        {
            return -1;
        }
        for (long r = valid; r < p.rows; r++)
        {
            if (UnsafeApi.getLong(ts + r * Column.VALUE_BYTES) != 0)
            {
                return -1;
            }
        }
        return valid;
    }

    /** The entries of {@code dir}, sorted by name, so reports come out in the same order every time. */
    private static List<Path> list(final Path dir) throws IOException
    {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir))
        {
            for (final Path entry : stream)
            {
                entries.add(entry);
            }
        }
        catch (final NoSuchFileException ex)
        {
            return entries; // a running writer removed a series directory
        }
        entries.sort(null);
        return entries;
    }
}

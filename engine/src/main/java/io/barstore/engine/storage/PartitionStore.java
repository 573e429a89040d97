package io.barstore.engine.storage;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Column;
import io.barstore.engine.PartitionSpan;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.fs.FileOps;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partition files of every series: finds them on open, plans and applies batches, rewrites partitions
 * copy-on-write, seals and consolidates closed periods, and makes dirty files durable at checkpoints.
 * <p>
 * Writes come in two steps so that nothing can fail after the journal append: {@link #prepare} does every file
 * operation (creating and reserving files, writing rewritten partitions, which stay invisible until marked
 * complete), then the caller journals the batch, then {@link #apply} only stores into memory already mapped and
 * publishes. Single writer: the caller serialises all methods except the read-side accessors.
 */
public final class PartitionStore
{
    private static final Partition[] NO_PARTITIONS = new Partition[0];
    /** Reservations grow a page of every column at a time: 512 rows of 8-byte values. */
    static final long RESERVE_ROWS = 4096 / Column.VALUE_BYTES;
    /** Below this many rows a loop of stores beats eight memory-copy calls (live-bar updates are one row). */
    private static final int BULK_COPY_MIN_ROWS = 16;

    private final FileOps fileOps;
    private final boolean readOnly;
    private final SeriesPaths paths;
    private final MappingCache cache;
    private final ConcurrentHashMap<SeriesKey, Series> seriesByKey = new ConcurrentHashMap<>();

    private final ArrayList<Partition> dirtyPartitions = new ArrayList<>();
    private final java.util.LinkedHashSet<Path> dirtyDirectories = new java.util.LinkedHashSet<>();
    private final ArrayList<Partition> pendingDeletes = new ArrayList<>();
    private final ArrayList<Target> targets = new ArrayList<>();
    private final ArrayList<Target> targetPool = new ArrayList<>();
    private final UnsafeBuffer headerScratch = new UnsafeBuffer(new byte[PartitionDescriptor.HEADER_LENGTH]);
    private final long[] rangeStarts = new long[Column.COUNT];
    private int[] order = new int[256];
    private int[] orderScratch = new int[256];
    private int orderCount;
    private boolean orderIsIdentity;

    /** Where one group of a batch's rows goes: a partition written in place, or a new file replacing others. */
    private static final class Target
    {
        Partition partition;
        Mapping mapping;
        boolean created;
        boolean rewrite;
        boolean replaceLive;
        Partition[] replaced = NO_PARTITIONS;
        int from;
        int to;
        long maxTs;

        void clear()
        {
            partition = null;
            mapping = null;
            created = false;
            rewrite = false;
            replaceLive = false;
            replaced = NO_PARTITIONS;
        }
    }

    public PartitionStore(final Path dataDir, final FileOps fileOps, final int maxMappings)
    {
        this(dataDir, fileOps, maxMappings, false);
    }

    /**
     * With {@code readOnly} the store only reads: nothing is created, repaired or deleted, files are mapped
     * read-only, and {@link #refresh()} catches up with what the writing process did since.
     */
    public PartitionStore(final Path dataDir, final FileOps fileOps, final int maxMappings, final boolean readOnly)
    {
        this.fileOps = fileOps;
        this.readOnly = readOnly;
        this.paths = new SeriesPaths(dataDir);
        this.cache = new MappingCache(fileOps, maxMappings, readOnly);
    }

    public MappingCache cache()
    {
        return cache;
    }

    public SeriesPaths paths()
    {
        return paths;
    }

    public Series series(final SeriesKey key)
    {
        return seriesByKey.get(key);
    }

    public Collection<Series> allSeries()
    {
        return seriesByKey.values();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Opening
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Finds every series directory and its partition files. Files a crash left unfinished (not marked complete, or
     * temporary) and older generations superseded by a newer complete one are deleted; they never held anything
     * that is not also in a newer generation or in the journal.
     */
    public void open() throws IOException
    {
        final Path root = paths.root();
        if (readOnly)
        {
            refresh();
            return;
        }
        fileOps.createDirectories(root);
        for (final String tf : fileOps.list(root))
        {
            for (final String source : fileOps.list(root.resolve(tf)))
            {
                for (final String symbol : fileOps.list(root.resolve(tf).resolve(source)))
                {
                    final SeriesKey key = paths.keyOf(tf, source, symbol);
                    if (key == null)
                    {
                        continue;
                    }
                    final Series series = new Series(key, paths.directory(key));
                    loadPartitions(series, Map.of());
                    // Even without partitions (its bars were all deleted): readers treat it as absent, and
                    // compaction finds its directory to remove.
                    seriesByKey.put(key, series);
                }
            }
        }
    }

    /**
     * Read-only stores only: finds the series and partition files as they are now. A sealed partition already known
     * by its name is kept as it is (a name is one generation, and a sealed one never changes); ones gone are
     * unmapped. Each series is published whole, so a reader sees either its
     * old or its new table. A writer may delete a superseded file between listing and reading it; that series is
     * then listed again.
     */
    public void refresh() throws IOException
    {
        if (!readOnly)
        {
            throw new IllegalStateException("refresh is for read-only stores: the writer always knows its files");
        }
        final Map<Path, Partition> known = new HashMap<>();
        for (final Series series : seriesByKey.values())
        {
            final PartitionTable table = series.table;
            for (int i = 0; i < table.size(); i++)
            {
                known.put(table.get(i).path, table.get(i));
            }
        }
        final Map<SeriesKey, Series> found = new HashMap<>();
        final Path root = paths.root();
        if (java.nio.file.Files.isDirectory(root))
        {
            for (final String tf : listIfPresent(root))
            {
                for (final String source : listIfPresent(root.resolve(tf)))
                {
                    for (final String symbol : listIfPresent(root.resolve(tf).resolve(source)))
                    {
                        final SeriesKey key = paths.keyOf(tf, source, symbol);
                        if (key != null)
                        {
                            final Series series = loadReadOnly(key, known);
                            if (series.table.size() > 0)
                            {
                                found.put(key, series);
                            }
                        }
                    }
                }
            }
        }
        seriesByKey.keySet().retainAll(found.keySet());
        seriesByKey.putAll(found);
        final java.util.Set<Path> kept = new java.util.HashSet<>();
        for (final Series series : found.values())
        {
            for (int i = 0; i < series.table.size(); i++)
            {
                kept.add(series.table.get(i).path);
            }
        }
        for (final Partition old : known.values())
        {
            if (!kept.contains(old.path))
            {
                old.superseded = true;
                cache.drop(old);
            }
        }
    }

    private Series loadReadOnly(final SeriesKey key, final Map<Path, Partition> known) throws IOException
    {
        for (int attempt = 1; ; attempt++)
        {
            final Series series = new Series(key, paths.directory(key));
            try
            {
                loadPartitions(series, known);
                return series;
            }
            catch (final java.nio.file.NoSuchFileException ex)
            {
                if (attempt == 5)
                {
                    throw ex;
                }
            }
        }
    }

    private java.util.List<String> listIfPresent(final Path dir) throws IOException
    {
        try
        {
            return fileOps.list(dir);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            return java.util.List.of(); // deleted by compaction since its parent was listed
        }
    }

    /** Deletes a file left over by a crash or a rewrite; a read-only store leaves that to the writer. */
    private void discard(final Path path) throws IOException
    {
        if (!readOnly)
        {
            fileOps.delete(path);
        }
    }

    private void loadPartitions(final Series series, final Map<Path, Partition> known) throws IOException
    {
        final Map<Long, Partition> byPeriod = new HashMap<>();
        long maxGeneration = 0;
        for (final String name : fileOps.list(series.directory))
        {
            final Path path = series.directory.resolve(name);
            if (!name.endsWith(PartitionDescriptor.FILE_SUFFIX))
            {
                if (name.endsWith(".tmp"))
                {
                    discard(path);
                }
                continue;
            }
            // A sealed file never changes; a writable one is read again for its current counts.
            final Partition knownPartition = known.get(path);
            final Partition partition = knownPartition != null && knownPartition.sealed ? knownPartition :
                readPartition(path);
            maxGeneration = Math.max(maxGeneration, generationOf(name));
            if (partition == null)
            {
                discard(path);
                continue;
            }
            final Partition other = byPeriod.get(partition.periodStart);
            if (other == null || other.generation < partition.generation)
            {
                byPeriod.put(partition.periodStart, partition);
                if (other != null)
                {
                    discard(other.path);
                }
            }
            else
            {
                discard(partition.path);
            }
        }
        final ArrayList<Partition> sorted = new ArrayList<>(byPeriod.values());
        sorted.sort((a, b) -> Long.compare(a.periodStart, b.periodStart));
        // A consolidated segment supersedes the day partitions it was made from; a crash may leave both.
        final ArrayList<Partition> kept = new ArrayList<>();
        for (final Partition p : sorted)
        {
            boolean covered = false;
            for (final Partition q : sorted)
            {
                if (q != p && q.periodStart <= p.periodStart && p.periodEnd <= q.periodEnd &&
                    (q.periodEnd - q.periodStart) > (p.periodEnd - p.periodStart))
                {
                    covered = true;
                    break;
                }
            }
            if (covered || p.rowCount == 0)
            {
                discard(p.path);
            }
            else
            {
                kept.add(p);
            }
        }
        series.table = new PartitionTable(kept.toArray(NO_PARTITIONS));
        series.nextGeneration = maxGeneration + 1;
        final Partition newest = series.table.newest();
        series.lastTs = newest == null ? Long.MIN_VALUE : newest.lastTs;
        if (newest != null && !readOnly) // a read-only view reads the newest bar from the partitions (BarStore)
        {
            final long[] v = new long[Column.COUNT];
            for (int c = 0; c < Column.COUNT; c++)
            {
                v[c] = longAt(fileOps.read(newest.path,
                    PartitionDescriptor.columnOffset(newest.capacity, c) + (newest.rowCount - 1) * Column.VALUE_BYTES,
                    Column.VALUE_BYTES));
            }
            series.publishNewest(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
    }

    private static long generationOf(final String name)
    {
        try
        {
            final int end = name.length() - PartitionDescriptor.FILE_SUFFIX.length();
            return Long.parseLong(name.substring(name.lastIndexOf('.', end - 1) + 1, end));
        }
        catch (final RuntimeException ex)
        {
            return 0;
        }
    }

    /** Reads a partition's header; null when the file is unfinished; CORRUPT when it is not a partition at all. */
    private Partition readPartition(final Path path) throws IOException
    {
        final byte[] head = fileOps.read(path, 0, PartitionDescriptor.HEADER_LENGTH);
        if (head.length < PartitionDescriptor.HEADER_LENGTH)
        {
            return null; // a crash while the file was being created
        }
        final UnsafeBuffer h = new UnsafeBuffer(head);
        final int flags = h.getInt(PartitionDescriptor.FLAGS_OFFSET);
        if (h.getLong(PartitionDescriptor.MAGIC_OFFSET) != PartitionDescriptor.MAGIC ||
            h.getInt(PartitionDescriptor.VERSION_OFFSET) != PartitionDescriptor.VERSION)
        {
            if ((flags & PartitionDescriptor.FLAG_COMPLETE) == 0)
            {
                return null;
            }
            throw corrupt(path, 0, "bad magic or format version");
        }
        if ((flags & PartitionDescriptor.FLAG_COMPLETE) == 0)
        {
            return null;
        }
        final long capacity = h.getLong(PartitionDescriptor.CAPACITY_OFFSET);
        long rowCount = h.getLong(PartitionDescriptor.ROW_COUNT_OFFSET);
        final long size = fileOps.size(path);
        if (capacity < 0 || rowCount < 0 || rowCount > capacity || size != PartitionDescriptor.fileLength(capacity))
        {
            throw corrupt(path, PartitionDescriptor.CAPACITY_OFFSET,
                "file length " + size + " does not match capacity " + capacity + " and row count " + rowCount);
        }
        final PartitionSpan span = PartitionSpan.byCode((char)h.getInt(PartitionDescriptor.SPAN_OFFSET));
        final boolean sealed = (flags & PartitionDescriptor.FLAG_SEALED) != 0;
        long firstTs = Long.MIN_VALUE;
        long lastTs = Long.MIN_VALUE;
        if (!sealed && !readOnly)
        {
            settleLiveVersion(path, h);
            rowCount = rowCount > 0 ? validPrefix(path, h, capacity, rowCount) : 0;
        }
        if (rowCount > 0)
        {
            // Read from the ts column itself: the header's copies may trail the data after a crash.
            final long tsOffset = PartitionDescriptor.columnOffset(capacity, Column.TS.ordinal());
            firstTs = longAt(fileOps.read(path, tsOffset, 8));
            lastTs = longAt(fileOps.read(path, tsOffset + (rowCount - 1) * 8, 8));
        }
        final Partition partition = new Partition(path, span,
            h.getLong(PartitionDescriptor.PERIOD_START_OFFSET), h.getLong(PartitionDescriptor.PERIOD_END_OFFSET),
            h.getLong(PartitionDescriptor.GENERATION_OFFSET), capacity, sealed, rowCount, firstTs, lastTs);
        partition.checksum = sealed ? h.getLong(PartitionDescriptor.CHECKSUM_OFFSET) : 0;
        return partition;
    }

    /**
     * After a power loss a writable partition's row count may have reached the disk before some of its rows (they
     * are on other pages). Rows written before the last checkpoint were forced, so whatever breaks the ts order
     * lies after it and comes back from the journal: keep the longest prefix of strictly increasing, aligned ts
     * inside the period and write that count back.
     */
    private long validPrefix(final Path path, final UnsafeBuffer header, final long capacity, final long rowCount)
        throws IOException
    {
        final long tsOffset = PartitionDescriptor.columnOffset(capacity, Column.TS.ordinal());
        final ByteBuffer ts = ByteBuffer.wrap(fileOps.read(path, tsOffset, (int)(rowCount * Column.VALUE_BYTES)))
            .order(ByteOrder.LITTLE_ENDIAN);
        final long tfNanos = header.getLong(PartitionDescriptor.TIMEFRAME_NANOS_OFFSET);
        final long start = header.getLong(PartitionDescriptor.PERIOD_START_OFFSET);
        final long end = header.getLong(PartitionDescriptor.PERIOD_END_OFFSET);
        long previous = Long.MIN_VALUE;
        long valid = 0;
        while (valid < ts.limit() / Column.VALUE_BYTES)
        {
            final long t = ts.getLong((int)(valid * Column.VALUE_BYTES));
            if (t <= previous || t < start || t >= end || Math.floorMod(t - start, tfNanos) != 0 && tfNanos < 86_400_000_000_000L)
            {
                break;
            }
            previous = t;
            valid++;
        }
        if (valid != rowCount)
        {
            final Mapping mapping = new Mapping(path, fileOps.map(path, true));
            UnsafeApi.putLongVolatile(null, mapping.address() + PartitionDescriptor.ROW_COUNT_OFFSET, valid);
            mapping.release();
            fileOps.force(path);
        }
        return valid;
    }

    /**
     * A writer killed while it replaced the newest row in place leaves the row's seqlock version odd, and readers
     * would wait for it to turn even for ever. The row itself comes back whole from the journal (a batch is journaled
     * before it is applied), so the version only needs to be made even again.
     */
    private void settleLiveVersion(final Path path, final UnsafeBuffer header) throws IOException
    {
        final long version = header.getLong(PartitionDescriptor.LIVE_VERSION_OFFSET);
        if ((version & 1) != 0)
        {
            final Mapping mapping = new Mapping(path, fileOps.map(path, true));
            UnsafeApi.putLongVolatile(null, mapping.address() + PartitionDescriptor.LIVE_VERSION_OFFSET, version + 1);
            mapping.release();
            fileOps.force(path);
        }
    }

    private static long longAt(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    static BarStoreException corrupt(final Path path, final long offset, final String problem)
    {
        return new BarStoreException(BarStoreException.Category.CORRUPT,
            "partition file is damaged: " + problem + "; run `barstore verify` and restore it from a backup")
            .with("file", path).with("offset", offset);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Plans a validated batch and does every fallible file operation for it, filling the counts of {@code counts}
     * (appended, replaced, upserted). Nothing becomes visible. On failure everything prepared is undone.
     *
     * @return the series, created if new.
     */
    public Series prepare(final SeriesKey key, final BarBatch batch, final long[] counts)
    {
        counts[0] = 0;
        counts[1] = 0;
        counts[2] = 0;
        targets.clear();
        try
        {
            Series series = seriesByKey.get(key);
            if (series == null)
            {
                final Path dir = paths.directory(key);
                fileOps.createDirectories(dir);
                series = new Series(key, dir);
                // Every level createDirectories may have made: series/<tf>/<source>/<symbol>.
                dirtyDirectories.add(dir.getParent());
                dirtyDirectories.add(dir.getParent().getParent());
                dirtyDirectories.add(paths.root());
            }
            sortBatch(batch);
            planTargets(series, batch, counts);
            return series;
        }
        catch (final IOException ex)
        {
            abortPrepared();
            throw ioFailure(ex, "cannot prepare the partition files for this batch; nothing was written")
                .with("series", key);
        }
        catch (final RuntimeException ex)
        {
            abortPrepared();
            throw ex;
        }
    }

    /** Makes a prepared batch visible. Touches only mapped memory and in-memory state: it cannot fail. */
    public void apply(final Series series, final BarBatch batch)
    {
        final long writeNanos = System.nanoTime();
        final long previousLastTs = series.lastTs;
        ArrayList<Partition> removed = null;
        ArrayList<Partition> added = null;
        for (int t = 0, n = targets.size(); t < n; t++)
        {
            final Target target = targets.get(t);
            final Partition partition = target.partition;
            final long base = target.mapping.address();
            if (!target.rewrite)
            {
                writeInPlace(target, batch, base);
            }
            if (target.created || target.rewrite)
            {
                final long flagsAddress = base + PartitionDescriptor.FLAGS_OFFSET;
                UnsafeApi.putIntVolatile(null, flagsAddress,
                    UnsafeApi.getInt(flagsAddress) | PartitionDescriptor.FLAG_COMPLETE);
                if (added == null)
                {
                    added = new ArrayList<>();
                    removed = new ArrayList<>();
                }
                added.add(partition);
                for (final Partition old : target.replaced)
                {
                    removed.add(old);
                }
            }
            markDirty(partition);
            partition.lastWriteNanos = writeNanos;
            series.lastTs = Math.max(series.lastTs, target.maxTs);
        }
        if (added != null)
        {
            series.table = series.table.replace(removed.toArray(NO_PARTITIONS), added.toArray(NO_PARTITIONS));
            for (final Partition old : removed)
            {
                old.superseded = true; // readers holding an older table move to the new one (see BarCursor)
                cache.drop(old);
                pendingDeletes.add(old);
            }
        }
        // The batch's newest row (rows are sorted, the last row of a ts wins) is the series' newest bar when it is
        // at or after the old one: an append, or a replacement of the live bar. Sealing applies no rows.
        final int newestRow = orderCount > 0 ? order[orderCount - 1] : -1;
        if (newestRow >= 0 && batch.ts(newestRow) >= previousLastTs)
        {
            series.publishNewest(batch.ts(newestRow),
                Double.doubleToRawLongBits(batch.open(newestRow)), Double.doubleToRawLongBits(batch.high(newestRow)),
                Double.doubleToRawLongBits(batch.low(newestRow)), Double.doubleToRawLongBits(batch.close(newestRow)),
                Double.doubleToRawLongBits(batch.volume(newestRow)), Double.doubleToRawLongBits(batch.vwap(newestRow)),
                batch.trades(newestRow));
        }
        // Published only now, with its table set: a reader never finds a series without bars.
        seriesByKey.putIfAbsent(series.key, series);
        releaseTargets();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Deleting (retention)
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Plans deleting every bar of the series with ts below {@code before} ({@code Long.MAX_VALUE}: all of them) and
     * writes, copy-on-write, the partition the boundary cuts through. Like {@link #prepare}, nothing is visible until
     * {@link #applyDelete}, and on failure everything prepared is undone.
     *
     * @return the series, or null when it holds no bar below {@code before}; {@code counts[0]} is the number of bars
     * that will be deleted.
     */
    public Series prepareDelete(final SeriesKey key, final long before, final long[] counts)
    {
        counts[0] = 0;
        targets.clear();
        final Series series = seriesByKey.get(key);
        if (series == null)
        {
            return null;
        }
        try
        {
            final PartitionTable table = series.table;
            for (int i = 0; i < table.size(); i++)
            {
                final Partition p = table.get(i);
                if (p.firstTs >= before)
                {
                    break;
                }
                // Counted from the ts column itself, not the partition's hints.
                final long rows;
                final long below;
                final Mapping mapping = cache.acquire(p);
                try
                {
                    final long base = mapping.address();
                    rows = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
                    below = PartitionDescriptor.lowerBound(base + PartitionDescriptor.HEADER_LENGTH, rows, before);
                }
                finally
                {
                    mapping.release();
                }
                if (below == 0)
                {
                    break;
                }
                final Target target = newTarget();
                target.replaced = new Partition[]{ p };
                counts[0] += below;
                if (below < rows)
                {
                    rewriteFrom(series, p, below, target);
                }
            }
        }
        catch (final IOException ex)
        {
            abortPrepared();
            throw ioFailure(ex, "cannot rewrite a partition for this deletion; nothing was deleted").with("series", key);
        }
        catch (final RuntimeException ex)
        {
            abortPrepared();
            throw ex;
        }
        return targets.isEmpty() ? null : series;
    }

    /** Makes a prepared deletion visible: the partitions go from the table, their files at the next checkpoint. */
    public void applyDelete(final Series series)
    {
        final ArrayList<Partition> removed = new ArrayList<>();
        final ArrayList<Partition> added = new ArrayList<>();
        for (int t = 0, n = targets.size(); t < n; t++)
        {
            final Target target = targets.get(t);
            removed.add(target.replaced[0]);
            if (target.partition != null)
            {
                final long flagsAddress = target.mapping.address() + PartitionDescriptor.FLAGS_OFFSET;
                UnsafeApi.putIntVolatile(null, flagsAddress,
                    UnsafeApi.getInt(flagsAddress) | PartitionDescriptor.FLAG_COMPLETE);
                added.add(target.partition);
                markDirty(target.partition);
            }
        }
        series.table = series.table.replace(removed.toArray(NO_PARTITIONS), added.toArray(NO_PARTITIONS));
        for (int t = 0, n = targets.size(); t < n; t++)
        {
            final Target target = targets.get(t);
            final Partition old = target.replaced[0];
            old.superseded = true;
            cache.drop(old);
            if (target.partition != null)
            {
                pendingDeletes.add(old); // superseded by its rewrite, as in apply()
                continue;
            }
            // Nothing supersedes it, so a reader in another process would still find it: delete it now (the journal
            // record deletes it again on replay if a crash comes first; this process's readers keep their mapping).
            pendingDeletes.add(old);
            deleteNowIn(series, old.periodStart, old.periodEnd);
        }
        if (series.table.size() == 0)
        {
            // Kept in the map (with its next generation), so that writing the series again before the old files are
            // gone never reuses one of their names; readers treat a series without partitions as absent.
            series.lastTs = Long.MIN_VALUE;
            series.clearNewest();
        }
        releaseTargets();
    }

    /**
     * Deletes the pending files of a series' period now: the partition deleted and the older generations it had
     * superseded, which would otherwise be the newest file of the period again until the next checkpoint.
     */
    private void deleteNowIn(final Series series, final long periodStart, final long periodEnd)
    {
        for (int i = pendingDeletes.size() - 1; i >= 0; i--)
        {
            final Partition p = pendingDeletes.get(i);
            if (p.path.getParent().equals(series.directory) && p.periodStart >= periodStart && p.periodEnd <= periodEnd)
            {
                try
                {
                    fileOps.delete(p.path);
                    pendingDeletes.remove(i);
                    dirtyDirectories.add(series.directory);
                }
                catch (final IOException ex)
                {
                    // left for the checkpoint, which retries
                }
            }
        }
    }

    /** Writes a new generation of {@code p} without its first {@code from} rows (at least one row stays). */
    private void rewriteFrom(final Series series, final Partition p, final long from, final Target target)
        throws IOException
    {
        final Mapping source = cache.acquire(p);
        try
        {
            final long srcBase = source.address();
            final long n = UnsafeApi.getLongVolatile(null, srcBase + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long kept = n - from;
            final long capacity = p.sealed ? kept :
                Math.max(kept, maxRows(series.key.timeframe(), p.periodStart, p.periodEnd));
            final Partition partition = createPartition(series, p.span, p.periodStart, p.periodEnd, capacity, p.sealed,
                kept);
            target.partition = partition;
            target.rewrite = true;
            target.mapping = cache.acquireForWrite(partition);
            final long base = target.mapping.address();
            for (int c = 0; c < Column.COUNT; c++)
            {
                UnsafeApi.copyMemory(srcBase + PartitionDescriptor.columnOffset(p.capacity, c) + from * Column.VALUE_BYTES,
                    base + PartitionDescriptor.columnOffset(capacity, c), kept * Column.VALUE_BYTES);
            }
            final long first = UnsafeApi.getLong(base + PartitionDescriptor.HEADER_LENGTH);
            final long last = UnsafeApi.getLong(base + PartitionDescriptor.HEADER_LENGTH + (kept - 1) * 8);
            UnsafeApi.putLong(base + PartitionDescriptor.ROW_COUNT_OFFSET, kept);
            UnsafeApi.putLong(base + PartitionDescriptor.FIRST_TS_OFFSET, first);
            UnsafeApi.putLong(base + PartitionDescriptor.LAST_TS_OFFSET, last);
            if (p.sealed)
            {
                partition.checksum = PartitionChecksum.compute(target.mapping, capacity, kept);
                UnsafeApi.putLong(base + PartitionDescriptor.CHECKSUM_OFFSET, partition.checksum);
            }
            partition.rowCount = kept;
            partition.firstTs = first;
            partition.lastTs = last;
            fileOps.force(partition.path); // it supersedes p once complete, as in rewrite()
        }
        finally
        {
            source.release();
        }
    }

    /**
     * Deletes the directories of series whose bars were all deleted and whose files are gone, and forgets them; for
     * compaction, after a checkpoint. Returns how many.
     */
    public int removeEmptySeries() throws IOException
    {
        int removed = 0;
        for (final Series series : seriesByKey.values())
        {
            if (series.table.size() == 0 && fileOps.list(series.directory).isEmpty())
            {
                fileOps.delete(series.directory);
                seriesByKey.remove(series.key);
                dirtyDirectories.add(series.directory.getParent());
                removed++;
            }
        }
        return removed;
    }

    /** Undoes a prepare whose batch will not be applied (the journal append failed). */
    public void abortPrepared()
    {
        for (int t = 0, n = targets.size(); t < n; t++)
        {
            final Target target = targets.get(t);
            if ((target.created || target.rewrite) && target.partition != null)
            {
                releaseMapping(target);
                cache.drop(target.partition);
                try
                {
                    fileOps.delete(target.partition.path);
                }
                catch (final IOException ignore)
                {
                    // an unfinished file is deleted on the next open
                }
            }
        }
        releaseTargets();
    }

    private void releaseTargets()
    {
        for (int t = 0, n = targets.size(); t < n; t++)
        {
            final Target target = targets.get(t);
            releaseMapping(target);
            target.clear();
            targetPool.add(target);
        }
        targets.clear();
    }

    private static void releaseMapping(final Target target)
    {
        if (target.mapping != null)
        {
            target.mapping.release();
            target.mapping = null;
        }
    }

    private Target newTarget()
    {
        final Target target = targetPool.isEmpty() ? new Target() : targetPool.remove(targetPool.size() - 1);
        targets.add(target);
        return target;
    }

    private void planTargets(final Series series, final BarBatch batch, final long[] counts) throws IOException
    {
        final PartitionTable table = series.table;
        final Timeframe tf = series.key.timeframe();
        final long seriesLastTs = series.lastTs;
        int i = 0;
        while (i < orderCount)
        {
            final long ts = batch.ts(order[i]);
            final int index = table.find(ts);
            final Partition existing = index >= 0 ? table.get(index) : null;
            final long periodEnd;
            final long periodStart;
            if (existing != null)
            {
                periodStart = existing.periodStart;
                periodEnd = existing.periodEnd;
            }
            else
            {
                periodStart = tf.partitionSpan().periodStart(ts);
                periodEnd = tf.partitionSpan().periodEnd(periodStart);
            }
            int j = i + 1;
            while (j < orderCount && batch.ts(order[j]) < periodEnd)
            {
                j++;
            }
            final Target target = newTarget();
            target.from = i;
            target.to = j;
            target.maxTs = batch.ts(order[j - 1]);
            if (existing == null)
            {
                target.partition = createPartition(series, tf.partitionSpan(), periodStart, periodEnd,
                    maxRows(tf, periodStart, periodEnd), false, j - i);
                target.created = true;
                target.mapping = cache.acquire(target.partition);
                countNew(batch, i, j, seriesLastTs, counts);
            }
            else
            {
                planExisting(series, existing, batch, target, seriesLastTs, counts);
            }
            i = j;
        }
    }

    private void planExisting(
        final Series series, final Partition existing, final BarBatch batch, final Target target,
        final long seriesLastTs, final long[] counts) throws IOException
    {
        if (!existing.sealed)
        {
            final Mapping mapping = cache.acquire(existing);
            final long base = mapping.address();
            final long n = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
            final long lastTs = n == 0 ? Long.MIN_VALUE : UnsafeApi.getLong(tsAddress + (n - 1) * 8);
            final long firstNew = batch.ts(order[target.from]);
            // Rows are sorted, so only the first can equal the newest stored bar. Only the series' newest bar (the
            // live one) is replaced in place; readers treat just that row as changing (see BarCursor).
            final boolean replaceLive = firstNew == lastTs;
            final long appended = target.to - target.from - (replaceLive ? 1 : 0);
            // In place only in the newest partition: older ones change copy-on-write, so a reader that pinned them
            // (a newest-N read) keeps an exact snapshot.
            if (existing == series.table.newest() && firstNew >= lastTs && n + appended <= existing.capacity)
            {
                if (n + appended > existing.reservedRows)
                {
                    reserve(existing, n + appended);
                }
                target.partition = existing;
                target.mapping = mapping;
                target.replaceLive = firstNew == lastTs;
                if (target.replaceLive)
                {
                    counts[1]++;
                    countNew(batch, target.from + 1, target.to, seriesLastTs, counts);
                }
                else
                {
                    countNew(batch, target.from, target.to, seriesLastTs, counts);
                }
                return;
            }
            mapping.release();
        }
        rewrite(series, new Partition[]{ existing }, existing.span, existing.periodStart, existing.periodEnd,
            existing.sealed, batch, target, seriesLastTs, counts);
    }

    private void countNew(final BarBatch batch, final int from, final int to, final long seriesLastTs, final long[] counts)
    {
        for (int r = from; r < to; r++)
        {
            counts[batch.ts(order[r]) > seriesLastTs ? 0 : 2]++;
        }
    }

    /** Appends rows and replaces the live row of a writable partition; readers see whole rows only. */
    private void writeInPlace(final Target target, final BarBatch batch, final long base)
    {
        final long stride = PartitionDescriptor.columnStride(target.partition.capacity);
        final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
        final long n = UnsafeApi.getLong(base + PartitionDescriptor.ROW_COUNT_OFFSET);
        int r = target.from;
        if (target.replaceLive)
        {
            final long versionAddress = base + PartitionDescriptor.LIVE_VERSION_OFFSET;
            final long version = UnsafeApi.getLong(versionAddress);
            UnsafeApi.putLongVolatile(null, versionAddress, version + 1); // odd: readers retry
            UnsafeApi.storeFence(); // the row's stores must not move above the odd version (weakly ordered CPUs)
            writeRow(batch, order[r], tsAddress + (n - 1) * 8, stride);
            UnsafeApi.putLongRelease(null, versionAddress, version + 2);
            r++;
        }
        final int rows = target.to - r;
        if (rows > 0)
        {
            final long rowAddress = tsAddress + n * 8;
            if (orderIsIdentity && rows >= BULK_COPY_MIN_ROWS)
            {
                for (int c = 0; c < Column.COUNT; c++)
                {
                    batch.copyColumn(Column.byIndex(c), order[r], rows, rowAddress + c * stride);
                }
            }
            else
            {
                for (int k = 0; k < rows; k++)
                {
                    writeRow(batch, order[r + k], rowAddress + k * 8L, stride);
                }
            }
            if (n == 0)
            {
                UnsafeApi.putLong(base + PartitionDescriptor.FIRST_TS_OFFSET, batch.ts(order[r]));
            }
            UnsafeApi.putLong(base + PartitionDescriptor.LAST_TS_OFFSET, batch.ts(order[target.to - 1]));
            // Data first, then the count: a reader that sees the count sees the rows.
            UnsafeApi.putLongRelease(null, base + PartitionDescriptor.ROW_COUNT_OFFSET, n + rows);
        }
        final Partition p = target.partition;
        p.rowCount = n + rows;
        p.lastTs = Math.max(p.lastTs, target.maxTs);
        if (n == 0)
        {
            p.firstTs = batch.ts(order[target.from]);
        }
    }

    private static void writeRow(final BarBatch batch, final int row, final long address, final long stride)
    {
        UnsafeApi.putLong(address, batch.ts(row));
        UnsafeApi.putDouble(address + stride, batch.open(row));
        UnsafeApi.putDouble(address + 2 * stride, batch.high(row));
        UnsafeApi.putDouble(address + 3 * stride, batch.low(row));
        UnsafeApi.putDouble(address + 4 * stride, batch.close(row));
        UnsafeApi.putDouble(address + 5 * stride, batch.volume(row));
        UnsafeApi.putDouble(address + 6 * stride, batch.vwap(row));
        UnsafeApi.putLong(address + 7 * stride, batch.trades(row));
    }

    /**
     * Writes a new generation holding the rows of {@code sources} merged with the batch's rows in
     * {@code [target.from, target.to)} (the batch wins on equal ts). The file stays unfinished until apply.
     */
    private void rewrite(
        final Series series, final Partition[] sources, final PartitionSpan span, final long periodStart,
        final long periodEnd, final boolean sealed, final BarBatch batch, final Target target, final long seriesLastTs,
        final long[] counts) throws IOException
    {
        final Mapping[] sourceMappings = new Mapping[sources.length];
        try
        {
            for (int s = 0; s < sources.length; s++)
            {
                sourceMappings[s] = cache.acquire(sources[s]);
            }
            final long merged = mergeCount(sources, sourceMappings, batch, target.from, target.to, seriesLastTs, counts);
            final long capacity = sealed ? merged : Math.max(merged,
                maxRows(series.key.timeframe(), periodStart, periodEnd));
            final Partition partition = createPartition(series, span, periodStart, periodEnd, capacity, sealed,
                merged);
            target.partition = partition;
            target.rewrite = true;
            target.replaced = sources;
            target.mapping = cache.acquireForWrite(partition);
            final long base = target.mapping.address();
            mergeInto(sources, sourceMappings, batch, target.from, target.to, base, capacity);
            final long first = UnsafeApi.getLong(base + PartitionDescriptor.HEADER_LENGTH);
            final long last = UnsafeApi.getLong(base + PartitionDescriptor.HEADER_LENGTH + (merged - 1) * 8);
            UnsafeApi.putLong(base + PartitionDescriptor.ROW_COUNT_OFFSET, merged);
            UnsafeApi.putLong(base + PartitionDescriptor.FIRST_TS_OFFSET, first);
            UnsafeApi.putLong(base + PartitionDescriptor.LAST_TS_OFFSET, last);
            if (sealed)
            {
                partition.checksum = PartitionChecksum.compute(target.mapping, capacity, merged);
                UnsafeApi.putLong(base + PartitionDescriptor.CHECKSUM_OFFSET, partition.checksum);
            }
            partition.rowCount = merged;
            partition.firstTs = first;
            partition.lastTs = last;
            if (target.to > target.from)
            {
                target.maxTs = Math.max(target.maxTs, batch.ts(order[target.to - 1]));
            }
            // Always: once this file is marked complete (after the journal append) it supersedes older files that
            // are deleted at the next checkpoint, so its rows must be on disk before its header can be.
            fileOps.force(partition.path);
        }
        finally
        {
            for (final Mapping m : sourceMappings)
            {
                if (m != null)
                {
                    m.release();
                }
            }
        }
    }

    private long mergeCount(
        final Partition[] sources, final Mapping[] mappings, final BarBatch batch, final int from, final int to,
        final long seriesLastTs, final long[] counts)
    {
        long merged = 0;
        int r = from;
        for (int s = 0; s < sources.length; s++)
        {
            final long base = mappings[s].address();
            final long n = UnsafeApi.getLongVolatile(null, base + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long tsAddress = base + PartitionDescriptor.HEADER_LENGTH;
            for (long k = 0; k < n; k++)
            {
                final long ts = UnsafeApi.getLong(tsAddress + k * 8);
                while (r < to && batch.ts(order[r]) < ts)
                {
                    counts[batch.ts(order[r]) > seriesLastTs ? 0 : 2]++;
                    r++;
                    merged++;
                }
                if (r < to && batch.ts(order[r]) == ts)
                {
                    counts[1]++;
                    r++;
                }
                merged++;
            }
        }
        for (; r < to; r++)
        {
            counts[batch.ts(order[r]) > seriesLastTs ? 0 : 2]++;
            merged++;
        }
        return merged;
    }

    private void mergeInto(
        final Partition[] sources, final Mapping[] mappings, final BarBatch batch, final int from, final int to,
        final long base, final long capacity)
    {
        final long dstStride = PartitionDescriptor.columnStride(capacity);
        long dst = base + PartitionDescriptor.HEADER_LENGTH;
        int r = from;
        for (int s = 0; s < sources.length; s++)
        {
            final long srcBase = mappings[s].address();
            final long n = UnsafeApi.getLongVolatile(null, srcBase + PartitionDescriptor.ROW_COUNT_OFFSET);
            final long srcStride = PartitionDescriptor.columnStride(sources[s].capacity);
            final long srcTs = srcBase + PartitionDescriptor.HEADER_LENGTH;
            for (long k = 0; k < n; k++)
            {
                final long ts = UnsafeApi.getLong(srcTs + k * 8);
                while (r < to && batch.ts(order[r]) < ts)
                {
                    writeRow(batch, order[r++], dst, dstStride);
                    dst += 8;
                }
                if (r < to && batch.ts(order[r]) == ts)
                {
                    writeRow(batch, order[r++], dst, dstStride);
                }
                else
                {
                    for (int c = 0; c < Column.COUNT; c++)
                    {
                        UnsafeApi.putLong(dst + c * dstStride, UnsafeApi.getLong(srcTs + k * 8 + c * srcStride));
                    }
                }
                dst += 8;
            }
        }
        while (r < to)
        {
            writeRow(batch, order[r++], dst, dstStride);
            dst += 8;
        }
    }

    /**
     * Creates a partition file with room for {@code capacity} rows of which the first {@code rows} (rounded up to
     * whole pages) are allocated now; see {@link #reserve}.
     */
    private Partition createPartition(
        final Series series, final PartitionSpan span, final long periodStart, final long periodEnd,
        final long capacity, final boolean sealed, final long rows) throws IOException
    {
        final long generation = series.nextGeneration++;
        final Path path = series.directory.resolve(
            PartitionDescriptor.fileName(span.periodName(periodStart), span.code(), generation));
        PartitionDescriptor.writeHeader(headerScratch, series.key.timeframe().nanos(), span.code(), periodStart,
            periodEnd, capacity, generation);
        headerScratch.putInt(PartitionDescriptor.FLAGS_OFFSET, sealed ? PartitionDescriptor.FLAG_SEALED : 0);
        final long reserved = sealed ? capacity : reservedRowsFor(rows, capacity);
        fileOps.createReserved(path, headerScratch.byteArray(), PartitionDescriptor.fileLength(capacity),
            columnRanges(capacity, 0), reserved * Column.VALUE_BYTES);
        dirtyDirectories.add(series.directory);
        final Partition partition = new Partition(path, span, periodStart, periodEnd, generation, capacity, sealed, 0,
            Long.MIN_VALUE, Long.MIN_VALUE);
        partition.reservedRows = reserved;
        return partition;
    }

    /**
     * Allocates the blocks of a writable partition's columns up to {@code rows} (rounded up to whole pages) by
     * writing zeros past its committed rows. Writable partitions are laid out for their whole period (a 1m day has
     * room for 1,440 bars, a 1s day for 86,400) so they never move to a bigger file, but only the pages in use are
     * allocated: a US-equity 1m day of 390 bars takes 4 KiB a column, not 12 KiB, and a file only ever grows a page
     * of each column at a time. Called while preparing a write, before the journal, so a full disk fails the write
     * cleanly; the mapped stores that follow only touch allocated pages.
     */
    private void reserve(final Partition partition, final long rows) throws IOException
    {
        final long from = partition.reservedRows;
        final long to = reservedRowsFor(rows, partition.capacity);
        fileOps.reserve(partition.path, columnRanges(partition.capacity, from), (to - from) * Column.VALUE_BYTES);
        partition.reservedRows = to;
    }

    private static long reservedRowsFor(final long rows, final long capacity)
    {
        return Math.min(capacity, (rows + RESERVE_ROWS - 1) / RESERVE_ROWS * RESERVE_ROWS);
    }

    /** The file offsets of row {@code row} of every column, in the reused {@link #rangeStarts}. */
    private long[] columnRanges(final long capacity, final long row)
    {
        for (int c = 0; c < Column.COUNT; c++)
        {
            rangeStarts[c] = PartitionDescriptor.columnOffset(capacity, c) + row * Column.VALUE_BYTES;
        }
        return rangeStarts;
    }

    /** How many bars of {@code tf} open inside {@code [periodStart, periodEnd)}: a writable partition's capacity. */
    static long maxRows(final Timeframe tf, final long periodStart, final long periodEnd)
    {
        final long first = tf.isAligned(periodStart) ? periodStart : tf.floor(periodStart) + tf.nanos();
        return first >= periodEnd ? 1 : (tf.floor(periodEnd - 1) - first) / tf.nanos() + 1;
    }

    /**
     * Orders the batch's rows by ts into {@code order}, keeping only the last row of each ts (a batch is applied as
     * if its rows were written one after the other).
     */
    private void sortBatch(final BarBatch batch)
    {
        final int n = batch.size();
        if (order.length < n)
        {
            order = new int[Math.max(n, order.length * 2)];
            orderScratch = new int[order.length];
        }
        boolean increasing = true;
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            if (i > 0 && batch.ts(i) <= batch.ts(i - 1))
            {
                increasing = false;
            }
        }
        orderIsIdentity = increasing;
        orderCount = n;
        if (increasing)
        {
            return;
        }
        mergeSort(batch, 0, n);
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            // equal ts: the later row (larger index, sorted last thanks to stability) wins
            if (i + 1 < n && batch.ts(order[i + 1]) == batch.ts(order[i]))
            {
                continue;
            }
            order[kept++] = order[i];
        }
        orderCount = kept;
    }

    private void mergeSort(final BarBatch batch, final int from, final int to)
    {
        if (to - from < 2)
        {
            return;
        }
        final int mid = (from + to) >>> 1;
        mergeSort(batch, from, mid);
        mergeSort(batch, mid, to);
        int a = from;
        int b = mid;
        int k = from;
        while (a < mid && b < to)
        {
            orderScratch[k++] = batch.ts(order[b]) < batch.ts(order[a]) ? order[b++] : order[a++];
        }
        while (a < mid)
        {
            orderScratch[k++] = order[a++];
        }
        while (b < to)
        {
            orderScratch[k++] = order[b++];
        }
        System.arraycopy(orderScratch, from, order, from, to - from);
    }

    private void markDirty(final Partition partition)
    {
        if (!partition.dirty)
        {
            partition.dirty = true;
            dirtyPartitions.add(partition);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sealing, consolidation, durability
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Seals the partitions of a series whose period ended at or before {@code now}: trimmed to their rows,
     * checksummed, read-only; and consolidates the sealed days of a closed month into one month segment.
     * Partitions written less than {@code quietNanos} ago are left for later, so that a backfill in progress is not
     * rewritten under the writer batch after batch.
     *
     * @return the number of files written.
     */
    public int seal(final Series series, final long now, final long quietNanos)
    {
        final long recent = System.nanoTime() - quietNanos;
        final PartitionSpan segmentSpan = series.key.timeframe().segmentSpan();
        final long[] counts = new long[3];
        int written = 0;
        final BarBatch none = new BarBatch(1);
        orderCount = 0;
        PartitionTable table = series.table;
        int i = 0;
        while (i < table.size())
        {
            final Partition first = table.get(i);
            final long segmentStart = segmentSpan.periodStart(first.periodStart);
            final long segmentEnd = segmentSpan.periodEnd(segmentStart);
            int j = i + 1;
            while (j < table.size() && table.get(j).periodStart < segmentEnd)
            {
                j++;
            }
            final Partition[] group = new Partition[j - i];
            for (int k = i; k < j; k++)
            {
                group[k - i] = table.get(k);
            }
            if (segmentEnd <= now)
            {
                final boolean done = group.length == 1 && group[0].sealed && group[0].span == segmentSpan;
                if (!done && !writtenSince(group, recent, quietNanos))
                {
                    written += sealGroup(series, group, segmentSpan, segmentStart, segmentEnd, none, counts);
                }
            }
            else
            {
                for (final Partition p : group)
                {
                    if (!p.sealed && p.periodEnd <= now && !writtenSince(new Partition[]{ p }, recent, quietNanos))
                    {
                        written += sealGroup(series, new Partition[]{ p }, p.span, p.periodStart, p.periodEnd,
                            none, counts);
                    }
                }
            }
            table = series.table;
            i = table.firstEndingAfter(segmentEnd - 1);
            while (i < table.size() && table.get(i).periodStart < segmentEnd)
            {
                i++;
            }
        }
        return written;
    }

    private static boolean writtenSince(final Partition[] group, final long since, final long quietNanos)
    {
        if (quietNanos <= 0)
        {
            return false;
        }
        for (final Partition p : group)
        {
            if (p.lastWriteNanos != 0 && p.lastWriteNanos - since > 0)
            {
                return true;
            }
        }
        return false;
    }

    private int sealGroup(
        final Series series, final Partition[] group, final PartitionSpan span, final long start, final long end,
        final BarBatch none, final long[] counts)
    {
        targets.clear();
        final Target target = newTarget();
        target.from = 0;
        target.to = 0;
        target.maxTs = Long.MIN_VALUE;
        try
        {
            // Not forced here: the checkpoint that follows forces it before the files it replaces are deleted.
            rewrite(series, group, span, start, end, true, none, target, series.lastTs, counts);
        }
        catch (final IOException ex)
        {
            abortPrepared();
            throw ioFailure(ex, "cannot seal partitions; they stay writable and are retried at the next maintenance")
                .with("series", series.key);
        }
        catch (final RuntimeException ex)
        {
            abortPrepared();
            throw ex;
        }
        apply(series, none);
        return 1;
    }

    /** fsyncs every partition file and directory changed since the last call. */
    public void forceDirty() throws IOException
    {
        while (!dirtyPartitions.isEmpty())
        {
            final Partition p = dirtyPartitions.get(dirtyPartitions.size() - 1);
            try
            {
                if (!p.superseded) // its successor holds all its rows and is forced in its own right
                {
                    fileOps.force(p.path);
                }
            }
            catch (final java.nio.file.NoSuchFileException ex)
            {
                // replaced and deleted since: its successor is in this list too
            }
            p.dirty = false;
            dirtyPartitions.remove(dirtyPartitions.size() - 1);
        }
        for (final java.util.Iterator<Path> it = dirtyDirectories.iterator(); it.hasNext(); )
        {
            fileOps.forceDirectory(it.next());
            it.remove(); // only once forced: a failure leaves the rest for the next checkpoint
        }
    }

    /**
     * Deletes superseded generations and deleted partitions, then forces their directories; call once their
     * successors are durable (after {@link #forceDirty()}) and before the checkpoint moves past the journal records
     * that deleted them, so that a power loss can never bring back a deleted partition that no replay deletes again.
     */
    public void deleteSuperseded() throws IOException
    {
        final java.util.LinkedHashSet<Path> directories = new java.util.LinkedHashSet<>();
        while (!pendingDeletes.isEmpty())
        {
            final Path path = pendingDeletes.get(pendingDeletes.size() - 1).path;
            fileOps.delete(path);
            directories.add(path.getParent());
            pendingDeletes.remove(pendingDeletes.size() - 1);
        }
        for (final Path dir : directories)
        {
            fileOps.forceDirectory(dir);
        }
    }

    public boolean hasDirty()
    {
        return !dirtyPartitions.isEmpty() || !dirtyDirectories.isEmpty() || !pendingDeletes.isEmpty();
    }

    public void close()
    {
        cache.clear();
    }

    static BarStoreException ioFailure(final IOException ex, final String message)
    {
        final String text = String.valueOf(ex.getMessage());
        final boolean full = text.contains("No space left") || text.contains("Disk quota exceeded");
        return new BarStoreException(full ? BarStoreException.Category.DISK_FULL : BarStoreException.Category.IO,
            full ? "disk full: " + message + "; free space and retry" : message, ex).with("cause", ex.toString());
    }
}

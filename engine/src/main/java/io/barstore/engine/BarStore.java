package io.barstore.engine;

import io.barstore.engine.fs.FileOps;
import io.barstore.engine.journal.Checkpoint;
import io.barstore.engine.journal.Journal;
import io.barstore.engine.storage.Mapping;
import io.barstore.engine.storage.Partition;
import io.barstore.engine.storage.PartitionStore;
import io.barstore.engine.storage.PartitionTable;
import io.barstore.engine.storage.PartitionVerifier;
import io.barstore.engine.storage.Series;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bar store: series of OHLCV bars in memory-mapped column files, written through a Chronicle Queue journal.
 * <p>
 * One writer at a time (concurrent callers of {@code write} are serialised); any number of readers on any threads,
 * without locks on the read path. A write returns after its batch is in the journal; opening replays whatever the
 * partition files had not yet made durable.
 */
public final class BarStore implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(BarStore.class);
    public static final String LOCK_FILE = "store.lock";
    public static final String JOURNAL_DIR = "journal";
    /** How often the free disk space is looked at, at most. */
    private static final long DISK_CHECK_INTERVAL_NANOS = 100_000_000L;

    private final StoreConfig config;
    private final FileOps fileOps;
    private final PartitionStore partitions;
    private final Journal journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final long[] counts = new long[3];
    private final AgentRunner maintenanceRunner;
    private final boolean readOnly;
    private long lastJournalIndex;
    private long checkpointIndex;
    private long nextDiskCheckNanos;
    private volatile boolean closed;

    /** A read-only view of a store another process may be writing: no lock, no journal, no maintenance. */
    private BarStore(final StoreConfig config, final boolean readOnly) throws IOException
    {
        this.config = config;
        this.fileOps = config.fileOps();
        if (!readOnly)
        {
            throw new IllegalArgumentException("this constructor opens read-only views");
        }
        this.readOnly = true;
        lockChannel = null;
        lock = null;
        journal = null;
        maintenanceRunner = null;
        partitions = new PartitionStore(config.dataDir(), fileOps, config.maxMappings(), true);
        partitions.open();
    }

    private BarStore(final StoreConfig config) throws IOException
    {
        this.config = config;
        this.fileOps = config.fileOps();
        this.readOnly = false;
        final Path dataDir = config.dataDir();
        fileOps.createDirectories(dataDir);
        lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        final FileLock acquired;
        try
        {
            acquired = lockChannel.tryLock();
        }
        catch (final IOException | RuntimeException ex)
        {
            lockChannel.close();
            throw ex;
        }
        if (acquired == null)
        {
            lockChannel.close();
            throw new BarStoreException(BarStoreException.Category.UNAVAILABLE,
                "the store is open in another process; stop it or use another --data directory")
                .with("data", dataDir);
        }
        lock = acquired;
        partitions = new PartitionStore(dataDir, fileOps, config.maxMappings());
        Journal opened = null;
        try
        {
            partitions.open();
            checkpointIndex = Checkpoint.read(fileOps, dataDir);
            opened = new Journal(dataDir.resolve(JOURNAL_DIR), Journal.rollCycle(config.journalRollCycle()), fileOps);
            lastJournalIndex = checkpointIndex;
            final long replayed = opened.replay(checkpointIndex, new Journal.RecordHandler()
            {
                public void onBatch(final long index, final SeriesKey key, final BarBatch batch)
                {
                    final Series series = partitions.prepare(key, batch, counts);
                    partitions.apply(series, batch);
                }

                public void onDelete(final long index, final SeriesKey key, final long before)
                {
                    final Series series = partitions.prepareDelete(key, before, counts);
                    if (series != null)
                    {
                        partitions.applyDelete(series);
                    }
                }
            });
            lastJournalIndex = Math.max(lastJournalIndex, replayed);
        }
        catch (final RuntimeException | IOException ex)
        {
            if (opened != null)
            {
                opened.close();
            }
            partitions.close();
            lock.release();
            lockChannel.close();
            throw ex;
        }
        journal = opened;
        if (lastJournalIndex != checkpointIndex)
        {
            LOG.info("replayed journal of {} from index {} to {}", dataDir, checkpointIndex, lastJournalIndex);
            checkpoint();
        }
        final boolean syncAgent = config.syncPolicy() == SyncPolicy.INTERVAL;
        if (syncAgent || config.maintenanceIntervalMillis() > 0)
        {
            final long idleMillis = Math.max(1, Math.min(
                syncAgent ? config.syncIntervalMillis() : Long.MAX_VALUE,
                config.maintenanceIntervalMillis() > 0 ? config.maintenanceIntervalMillis() : Long.MAX_VALUE));
            maintenanceRunner = new AgentRunner(new SleepingMillisIdleStrategy(Math.min(idleMillis, 50)),
                ex -> LOG.warn("background maintenance of {} failed: {}", dataDir, ex.toString()),
                null, new MaintenanceAgent(this, syncAgent ? config.syncIntervalMillis() : 0,
                config.maintenanceIntervalMillis()));
            AgentRunner.startOnThread(maintenanceRunner, r ->
            {
                final Thread t = new Thread(r, "barstore-maintenance");
                t.setDaemon(true);
                return t;
            });
        }
        else
        {
            maintenanceRunner = null;
        }
    }

    /**
     * Opens (or creates) the store in {@code config.dataDir()}, replaying the journal.
     *
     * @throws BarStoreException UNAVAILABLE when another process has it open, CORRUPT for a damaged file.
     */
    public static BarStore open(final StoreConfig config)
    {
        try
        {
            return new BarStore(config);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot open the store", ex)
                .with("data", config.dataDir()).with("cause", ex.toString());
        }
    }

    /**
     * Opens a read-only view of the store in {@code dataDir}, which another process may have open for writing (the
     * SQL worker reads the server's store this way). It sees the files as they were when opened or last
     * {@link #refresh() refreshed}, plus rows appended to them since; it repairs nothing, and batches only in the
     * journal (after a crash of the writer, until it reopens) are not seen. Writes and maintenance are refused.
     *
     * @throws BarStoreException CORRUPT for a damaged file, IO when the directory cannot be read.
     */
    public static BarStore openReadOnly(final Path dataDir)
    {
        try
        {
            return new BarStore(StoreConfig.builder(dataDir).maintenanceIntervalMillis(0).build(), true);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot read the store", ex)
                .with("data", dataDir).with("cause", ex.toString());
        }
    }

    /** Read-only views only: catches up with the partition files the writer created, rewrote or deleted since. */
    public void refresh()
    {
        if (!readOnly)
        {
            throw new IllegalStateException("only a read-only view needs refresh; the writer's view is always current");
        }
        try
        {
            partitions.refresh();
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot read the store", ex)
                .with("data", config.dataDir()).with("cause", ex.toString());
        }
    }

    public boolean readOnly()
    {
        return readOnly;
    }

    public static BarStore open(final Path dataDir)
    {
        return open(StoreConfig.builder(dataDir).build());
    }

    public StoreConfig config()
    {
        return config;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Writes
    // ------------------------------------------------------------------------------------------------------------

    /** Writes a batch (see {@link #write(SeriesKey, BarBatch, WriteResult)}) and returns what it did. */
    public WriteResult write(final SeriesKey key, final BarBatch batch)
    {
        final WriteResult result = new WriteResult();
        write(key, batch, result);
        return result;
    }

    /**
     * Writes a batch whole or not at all: a newer ts appends, an equal ts replaces, an older ts is upserted into its
     * place; within a batch a later row for the same ts wins. Returns once the batch is in the journal (and, with
     * {@link SyncPolicy#PER_BATCH}, forced to disk).
     *
     * @throws BatchRejectedException naming every row that breaks a validation rule; nothing is written.
     * @throws BarStoreException DISK_FULL or IO when the files cannot be written; nothing is written. Only if the
     * forced sync of {@link SyncPolicy#PER_BATCH} fails is the batch stored but not known durable; retrying it is
     * safe, since writing the same bars again changes nothing.
     */
    public void write(final SeriesKey key, final BarBatch batch, final WriteResult result)
    {
        result.reset();
        if (batch.size() == 0)
        {
            return;
        }
        BarValidator.validate(key, batch);
        DeliberateSlowdown.apply();
        writeLock.lock();
        try
        {
            ensureWritable();
            checkDiskSpace();
            final Series series = partitions.prepare(key, batch, counts);
            final long index;
            try
            {
                index = journal.append(key, batch);
            }
            catch (final RuntimeException ex)
            {
                partitions.abortPrepared();
                throw ex;
            }
            partitions.apply(series, batch);
            lastJournalIndex = index;
            result.appended = counts[0];
            result.replaced = counts[1];
            result.upserted = counts[2];
            result.journalIndex = index;
            if (config.syncPolicy() == SyncPolicy.PER_BATCH)
            {
                forceJournal();
            }
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Deletes every bar of the series with ts below {@code before} (retention); {@link Long#MAX_VALUE} deletes the
     * whole series. Journaled like a write, so it survives a crash; the files go at the next checkpoint.
     *
     * @return the number of bars deleted; 0 when the series does not exist or holds nothing before {@code before}.
     */
    public long delete(final SeriesKey key, final long before)
    {
        writeLock.lock();
        try
        {
            ensureWritable();
            final Series series = partitions.prepareDelete(key, before, counts);
            if (series == null)
            {
                return 0;
            }
            final long deleted = counts[0];
            final long index;
            try
            {
                index = journal.appendDelete(key, before);
            }
            catch (final RuntimeException ex)
            {
                partitions.abortPrepared();
                throw ex;
            }
            // Forced whatever the sync policy, before any file goes: a deletion unlinks partitions at once, and after
            // a power loss the record must be there to finish it. Deletions are rare; one fsync is cheap for them.
            BarStoreException notDurable = null;
            try
            {
                forceJournal();
            }
            catch (final BarStoreException ex)
            {
                notDurable = ex; // the record is appended: apply it, as a replay would, and report the fsync failure
            }
            partitions.applyDelete(series);
            lastJournalIndex = index;
            if (notDurable != null)
            {
                throw notDurable;
            }
            return deleted;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private void forceJournal()
    {
        try
        {
            journal.force();
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "the batch is stored but the journal could not be forced to disk, so it may not survive a power " +
                "loss; retrying the batch is safe", ex).with("cause", ex.toString());
        }
    }

    private void checkDiskSpace()
    {
        final long now = System.nanoTime();
        if (config.minFreeBytes() == 0 || now - nextDiskCheckNanos < 0)
        {
            return;
        }
        nextDiskCheckNanos = now + DISK_CHECK_INTERVAL_NANOS;
        final long free;
        try
        {
            free = fileOps.usableSpace(config.dataDir());
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot read the free disk space", ex)
                .with("data", config.dataDir()).with("cause", ex.toString());
        }
        if (free < config.minFreeBytes())
        {
            nextDiskCheckNanos = now; // look again next time: space may have been freed
            throw new BarStoreException(BarStoreException.Category.DISK_FULL,
                "disk full: less free space than the configured minimum; nothing was written, free space and retry")
                .with("data", config.dataDir()).with("freeBytes", free).with("minFreeBytes", config.minFreeBytes());
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reads: lock-free
    // ------------------------------------------------------------------------------------------------------------

    /** A cursor to pass to the read methods; reuse it, one per thread. */
    public BarCursor newCursor()
    {
        return new BarCursor();
    }

    /** Positions {@code cursor} on the bars with ts in {@code [start, end)}; false when the series does not exist. */
    public boolean range(final SeriesKey key, final long start, final long end, final BarCursor cursor)
    {
        return range(key, start, end, 0, cursor);
    }

    /** As {@link #range(SeriesKey, long, long, BarCursor)}, keeping only the newest {@code limit} bars when > 0. */
    public boolean range(final SeriesKey key, final long start, final long end, final long limit, final BarCursor cursor)
    {
        final Series series = partitions.series(key);
        if (series == null || series.table().size() == 0)
        {
            cursor.release();
            return false;
        }
        DeliberateSlowdown.apply();
        cursor.reset(partitions.cache(), series, start, end);
        if (limit > 0)
        {
            cursor.limitToNewest(limit);
        }
        return true;
    }

    /** Positions {@code cursor} on the newest bar of the series; false when the series does not exist. */
    public boolean latest(final SeriesKey key, final BarCursor cursor)
    {
        return range(key, Long.MIN_VALUE, Long.MAX_VALUE, 1, cursor);
    }

    /**
     * Copies the newest bar of a series into {@code bar}; false when the series does not exist. The fastest read
     * there is (the store keeps a copy of every series' newest bar, so no partition is touched), for polling the
     * latest bar of many series; lock-free, never torn, allocates nothing. The copy is published just after the rows
     * of the batch that wrote it, so for that instant a range read may already return a bar the copy does not.
     */
    public boolean latest(final SeriesKey key, final Bar bar)
    {
        final Series series = partitions.series(key);
        if (series == null || !series.readNewest(bar.raw))
        {
            // Off the hot path: a read-only view has no copy (see latestFromPartitions).
            return readOnly && latestFromPartitions(key, bar);
        }
        bar.decode();
        return true;
    }

    /**
     * A read-only view keeps no newest-bar copy (the writer in another process updates none for it): the newest bar
     * is read from the partitions, so it is current without a refresh.
     */
    private boolean latestFromPartitions(final SeriesKey key, final Bar bar)
    {
        final BarCursor cursor = newCursor();
        try
        {
            if (!latest(key, cursor) || !cursor.next())
            {
                return false;
            }
            bar.raw[0] = cursor.ts();
            bar.raw[1] = Double.doubleToRawLongBits(cursor.open());
            bar.raw[2] = Double.doubleToRawLongBits(cursor.high());
            bar.raw[3] = Double.doubleToRawLongBits(cursor.low());
            bar.raw[4] = Double.doubleToRawLongBits(cursor.close());
            bar.raw[5] = Double.doubleToRawLongBits(cursor.volume());
            bar.raw[6] = Double.doubleToRawLongBits(cursor.vwap());
            bar.raw[7] = cursor.trades();
            bar.decode();
            return true;
        }
        finally
        {
            cursor.release();
        }
    }

    public boolean exists(final SeriesKey key)
    {
        final Series series = partitions.series(key);
        return series != null && series.table().size() > 0;
    }

    /** Every series, sorted by symbol, timeframe and source. */
    public List<SeriesKey> seriesKeys()
    {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final Series series : partitions.allSeries())
        {
            if (series.table().size() > 0)
            {
                keys.add(series.key());
            }
        }
        keys.sort(Comparator.comparing(SeriesKey::symbol).thenComparing(SeriesKey::timeframe)
            .thenComparing(SeriesKey::source));
        return keys;
    }

    /** First and last ts, bars, bytes and files of one series; null when it does not exist. */
    public SeriesStats stats(final SeriesKey key)
    {
        final Series series = partitions.series(key);
        if (series == null || series.table().size() == 0)
        {
            return null;
        }
        final PartitionTable table = series.table();
        long bars = 0;
        long bytes = 0;
        for (int i = 0; i < table.size(); i++)
        {
            final Partition p = table.get(i);
            bars += p.rowCountHint();
            bytes += p.bytesOnDisk();
        }
        return new SeriesStats(key, table.get(0).firstTsHint(), table.newest().lastTsHint(), bars, bytes, table.size());
    }

    /** The partitions of a series, oldest first; empty when it does not exist. */
    public List<PartitionInfo> partitions(final SeriesKey key)
    {
        final Series series = partitions.series(key);
        if (series == null)
        {
            return List.of();
        }
        final PartitionTable table = series.table();
        final List<PartitionInfo> infos = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++)
        {
            final Partition p = table.get(i);
            infos.add(new PartitionInfo(p.periodStart(), p.periodEnd(), p.span(), p.generation(), p.sealed(),
                p.rowCountHint(), p.checksum()));
        }
        return infos;
    }

    /** Totals over every series. */
    public StoreStats totals()
    {
        int series = 0;
        long bars = 0;
        long bytes = 0;
        long files = 0;
        for (final SeriesKey key : seriesKeys())
        {
            final SeriesStats s = stats(key);
            if (s != null)
            {
                series++;
                bars += s.barCount();
                bytes += s.bytesOnDisk();
                files += s.files();
            }
        }
        return new StoreStats(series, bars, bytes, files, partitions.cache().mappedCount(),
            partitions.cache().peakMapped());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Maintenance
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Seals every partition whose period ended at or before {@code nowNanos} (trimmed, checksummed, read-only),
     * consolidates the sealed days of closed months into one segment per month, then checkpoints. Takes the writer
     * lock one series at a time, so writers wait at most for one series.
     */
    public void maintain(final long nowNanos)
    {
        maintain(nowNanos, 0);
    }

    /** As {@link #maintain(long)}, leaving partitions written in the last {@code quietNanos} for later. */
    void maintain(final long nowNanos, final long quietNanos)
    {
        for (final SeriesKey key : seriesKeys())
        {
            writeLock.lock();
            try
            {
                ensureWritable();
                final Series series = partitions.series(key);
                if (series != null)
                {
                    partitions.seal(series, nowNanos, quietNanos);
                }
            }
            finally
            {
                writeLock.unlock();
            }
        }
        checkpoint();
    }

    /**
     * Compaction: seals and consolidates every closed period now, however recently written, checkpoints (which
     * deletes superseded generations, deleted partitions and old journal files) and removes the directories of
     * series whose bars were all deleted.
     *
     * @return the number of series directories removed.
     */
    public int compact(final long nowNanos)
    {
        maintain(nowNanos, 0);
        writeLock.lock();
        try
        {
            ensureWritable();
            final int removed = partitions.removeEmptySeries();
            partitions.forceDirty();
            return removed;
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot remove the directory of a deleted series",
                ex).with("data", config.dataDir()).with("cause", ex.toString());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Makes every partition file durable, deletes superseded generations and deleted partitions, records the journal
     * position the files now hold, then deletes journal files no longer needed. Replay after a crash starts from
     * here.
     */
    public void checkpoint()
    {
        writeLock.lock();
        try
        {
            ensureWritable();
            if (!partitions.hasDirty() && lastJournalIndex == checkpointIndex)
            {
                return;
            }
            partitions.forceDirty();
            // Before the checkpoint moves on: a deleted partition must be gone for good before the journal record
            // that deleted it may be dropped.
            partitions.deleteSuperseded();
            if (lastJournalIndex != checkpointIndex)
            {
                Checkpoint.write(fileOps, config.dataDir(), lastJournalIndex);
                checkpointIndex = lastJournalIndex;
            }
            journal.deleteCyclesBefore(checkpointIndex);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "checkpoint failed; the journal still holds every batch and will be replayed", ex)
                .with("data", config.dataDir()).with("cause", ex.toString());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** fsync of the journal, for {@link SyncPolicy#INTERVAL}; safe without the writer lock. */
    void syncJournal() throws IOException
    {
        if (!closed)
        {
            journal.force();
        }
    }

    /**
     * Checks every partition of every series: header, ts order and alignment, OHLC rules and sealed checksums.
     *
     * @return one line per problem, naming the file, the byte offset and the rule; empty when healthy.
     */
    public List<String> verify()
    {
        final List<String> problems = new ArrayList<>();
        for (final Series series : partitions.allSeries())
        {
            final PartitionTable table = series.table();
            long previousEnd = Long.MIN_VALUE;
            for (int i = 0; i < table.size(); i++)
            {
                final Partition p = table.get(i);
                if (p.periodStart() < previousEnd)
                {
                    problems.add(p.path() + ": period overlaps the previous partition");
                }
                previousEnd = p.periodEnd();
                final Mapping mapping;
                try
                {
                    mapping = partitions.cache().acquire(p);
                }
                catch (final BarStoreException ex)
                {
                    problems.add(p.path() + ": cannot be mapped: " + ex.getMessage());
                    continue;
                }
                try
                {
                    PartitionVerifier.verify(p, mapping, series.key().timeframe(), problems);
                }
                finally
                {
                    mapping.release();
                }
            }
        }
        return problems;
    }

    private void ensureWritable()
    {
        ensureOpen();
        if (readOnly)
        {
            throw new BarStoreException(BarStoreException.Category.UNAVAILABLE,
                "this is a read-only view of the store; write through the process that has it open")
                .with("data", config.dataDir());
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new BarStoreException(BarStoreException.Category.UNAVAILABLE, "the store is closed")
                .with("data", config.dataDir());
        }
    }

    /** Checkpoints, stops the background agent and unmaps; exported Arrow buffers stay valid until released. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (readOnly)
        {
            closed = true;
            partitions.close();
            return;
        }
        if (maintenanceRunner != null)
        {
            maintenanceRunner.close();
        }
        try
        {
            checkpoint();
        }
        catch (final BarStoreException ex)
        {
            LOG.warn("final checkpoint failed; the journal will be replayed on open: {}", ex.getMessage());
        }
        writeLock.lock();
        try
        {
            closed = true;
            journal.close();
            partitions.close();
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("closing {}: {}", config.dataDir(), ex.toString());
        }
        finally
        {
            writeLock.unlock();
        }
    }
}

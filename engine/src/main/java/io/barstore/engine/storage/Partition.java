package io.barstore.engine.storage;

import io.barstore.engine.Column;
import io.barstore.engine.PartitionSpan;

import java.nio.file.Path;

/**
 * One generation of one partition file of a series, known by its header. The file is mapped lazily through the
 * {@link MappingCache}; a sealed partition's counts never change and are kept here so reads can plan without
 * mapping it.
 */
public final class Partition
{
    final Path path;
    final PartitionSpan span;
    final long periodStart;
    final long periodEnd;
    final long generation;
    final long capacity;
    final boolean sealed;
    // Exact for sealed partitions; for writable ones a hint refreshed by the writer (readers use the header).
    volatile long rowCount;
    volatile long firstTs;
    volatile long lastTs;
    final long fileLength;
    /**
     * Rows of every column whose blocks are allocated (see {@link PartitionStore}): all of a sealed partition; in a
     * writable one at least its rows, rounded up to whole pages, the rest of each column being a hole.
     */
    volatile long reservedRows;

    /** Sealed partitions: the CRC32C of the header's checksum field, which identifies their rows; 0 otherwise. */
    volatile long checksum;
    volatile Mapping mapping;
    /** Set once a newer generation replaced this one; its file is deleted at the next checkpoint. */
    volatile boolean superseded;
    /** Set on every use, cleared by the mapping cache's clock hand: a second chance before eviction. */
    boolean referenced;
    /** Index in the mapping cache's list while mapped, -1 otherwise. */
    int cacheSlot = -1;
    boolean dirty;
    /** System.nanoTime() of the last write; background sealing leaves recently written partitions alone. */
    long lastWriteNanos;

    Partition(
        final Path path,
        final PartitionSpan span,
        final long periodStart,
        final long periodEnd,
        final long generation,
        final long capacity,
        final boolean sealed,
        final long rowCount,
        final long firstTs,
        final long lastTs)
    {
        this.path = path;
        this.span = span;
        this.periodStart = periodStart;
        this.periodEnd = periodEnd;
        this.generation = generation;
        this.capacity = capacity;
        this.sealed = sealed;
        this.rowCount = rowCount;
        this.firstTs = firstTs;
        this.lastTs = lastTs;
        this.fileLength = PartitionDescriptor.fileLength(capacity);
        this.reservedRows = sealed ? capacity : rowCount;
    }

    public Path path()
    {
        return path;
    }

    /** Sealed partitions: the checksum in the header, identifying the rows; 0 for writable ones. */
    public long checksum()
    {
        return checksum;
    }

    public PartitionSpan span()
    {
        return span;
    }

    public long generation()
    {
        return generation;
    }

    public long periodStart()
    {
        return periodStart;
    }

    public long periodEnd()
    {
        return periodEnd;
    }

    public long capacity()
    {
        return capacity;
    }

    public boolean sealed()
    {
        return sealed;
    }

    public long rowCountHint()
    {
        return rowCount;
    }

    public long firstTsHint()
    {
        return firstTs;
    }

    public long lastTsHint()
    {
        return lastTs;
    }

    /** The bytes this partition's file takes on disk: its length when sealed, its allocated columns when not. */
    public long bytesOnDisk()
    {
        return sealed ? fileLength : Math.min(fileLength,
            PartitionDescriptor.HEADER_LENGTH + Column.COUNT * PartitionDescriptor.columnStride(reservedRows));
    }

    public boolean superseded()
    {
        return superseded;
    }

    public String toString()
    {
        return path.getFileName().toString();
    }
}

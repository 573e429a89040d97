package io.barstore.engine.storage;

import io.barstore.engine.SeriesKey;

import java.nio.file.Path;

/** One series on disk: its directory and the partition table readers see; the rest is the writer's own state. */
public final class Series
{
    final SeriesKey key;
    final Path directory;
    volatile PartitionTable table = PartitionTable.EMPTY;
    long nextGeneration = 1;
    long lastTs = Long.MIN_VALUE;

    Series(final SeriesKey key, final Path directory)
    {
        this.key = key;
        this.directory = directory;
    }

    public SeriesKey key()
    {
        return key;
    }

    public Path directory()
    {
        return directory;
    }

    /** The current partition table; take it once per query. */
    public PartitionTable table()
    {
        return table;
    }
}

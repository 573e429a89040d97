package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Opening a store for one command, and what every command needs from it. */
final class Stores
{
    /** Symbol, then timeframe from the shortest, then source. */
    static final Comparator<SeriesKey> KEY_ORDER = Comparator.comparing(SeriesKey::symbol)
        .thenComparing(SeriesKey::timeframe)
        .thenComparing(SeriesKey::source);

    private Stores()
    {
    }

    /**
     * Opens the store in {@code dataDir}, creating the directory when {@code create} is set. A command runs briefly
     * and calls {@link BarStore#maintain(long)} itself when it should, so background maintenance is off.
     *
     * @throws BarStoreException NOT_FOUND when the directory is missing and {@code create} is not set.
     */
    static BarStore open(final Path dataDir, final boolean create)
    {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir))
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "the data directory is a file")
                .with("data", dataDir);
        }
        if (!Files.isDirectory(dataDir))
        {
            if (!create)
            {
                throw new BarStoreException(BarStoreException.Category.NOT_FOUND,
                    "no data directory; give --data DIR, or run 'barstore demo' to make one").with("data", dataDir);
            }
            try
            {
                Files.createDirectories(dataDir);
            }
            catch (final IOException ex)
            {
                throw new BarStoreException(BarStoreException.Category.IO, "cannot create the data directory", ex)
                    .with("data", dataDir).with("error", ex.toString());
            }
        }
        return BarStore.open(StoreConfig.builder(dataDir).maintenanceIntervalMillis(0).build());
    }

    /**
     * Opens the store in {@code dataDir} for a command that only reads: as {@link #open} when it can, so the journal is
     * replayed; when another process (a server) has it open, a read-only view of its files
     * ({@link BarStore#openReadOnly}), which sees what that process wrote.
     *
     * @throws BarStoreException NOT_FOUND when the directory is missing.
     */
    static BarStore openForReading(final Path dataDir)
    {
        try
        {
            return open(dataDir, false);
        }
        catch (final BarStoreException ex)
        {
            if (ex.category() != BarStoreException.Category.UNAVAILABLE)
            {
                throw ex;
            }
            return BarStore.openReadOnly(dataDir);
        }
    }

    static List<SeriesKey> sortedKeys(final BarStore store)
    {
        final List<SeriesKey> keys = new ArrayList<>(store.seriesKeys());
        keys.sort(KEY_ORDER);
        return keys;
    }

    static long nowNanos()
    {
        final Instant now = Instant.now();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
}

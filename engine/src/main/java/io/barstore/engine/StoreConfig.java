package io.barstore.engine;

import io.barstore.engine.fs.FileOps;

import java.nio.file.Path;

/**
 * How a {@link BarStore} is opened: the data directory, the sync policy and resource bounds. Each setting has a
 * default and a system property ({@code barstore.*}) that overrides the default; {@link Builder#build()} validates.
 */
public final class StoreConfig
{
    public static final String SYNC_POLICY_PROP = "barstore.sync.policy";
    public static final SyncPolicy SYNC_POLICY_DEFAULT = SyncPolicy.INTERVAL;
    public static final String SYNC_INTERVAL_MS_PROP = "barstore.sync.interval.ms";
    public static final long SYNC_INTERVAL_MS_DEFAULT = 100;
    public static final String MAX_MAPPINGS_PROP = "barstore.max.mappings";
    /** Far below vm.max_map_count (65,530) so the JVM, Chronicle and Arrow keep room for theirs. */
    public static final int MAX_MAPPINGS_DEFAULT = 8192;
    public static final String MAINTENANCE_INTERVAL_MS_PROP = "barstore.maintenance.interval.ms";
    public static final long MAINTENANCE_INTERVAL_MS_DEFAULT = 10_000;
    /** Below this much free space a write is refused with DISK_FULL before anything reaches the journal. */
    public static final String MIN_FREE_BYTES_PROP = "barstore.min.free.bytes";
    public static final long MIN_FREE_BYTES_DEFAULT = 64L << 20;

    /** Chronicle Queue roll cycle of the journal: how much time one journal file covers before the next begins. */
    public static final String JOURNAL_ROLL_CYCLE_PROP = "barstore.journal.roll.cycle";
    public static final String JOURNAL_ROLL_CYCLE_DEFAULT = "FAST_HOURLY";

    private final Path dataDir;
    private final SyncPolicy syncPolicy;
    private final long syncIntervalMillis;
    private final int maxMappings;
    private final long maintenanceIntervalMillis;
    private final long minFreeBytes;
    private final FileOps fileOps;
    private final String journalRollCycle;

    private StoreConfig(final Builder b)
    {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.syncPolicy = b.syncPolicy;
        this.syncIntervalMillis = b.syncIntervalMillis;
        this.maxMappings = b.maxMappings;
        this.maintenanceIntervalMillis = b.maintenanceIntervalMillis;
        this.minFreeBytes = b.minFreeBytes;
        this.fileOps = b.fileOps;
        this.journalRollCycle = b.journalRollCycle;
    }

    public static Builder builder(final Path dataDir)
    {
        return new Builder(dataDir);
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public SyncPolicy syncPolicy()
    {
        return syncPolicy;
    }

    public long syncIntervalMillis()
    {
        return syncIntervalMillis;
    }

    public int maxMappings()
    {
        return maxMappings;
    }

    /** How often the background agent seals closed periods and checkpoints; 0 turns it off. */
    public long maintenanceIntervalMillis()
    {
        return maintenanceIntervalMillis;
    }

    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    public FileOps fileOps()
    {
        return fileOps;
    }

    /** A name from Chronicle's {@code RollCycles} (or {@code TestRollCycles}, for tests). */
    public String journalRollCycle()
    {
        return journalRollCycle;
    }

    /** Collects settings; unset ones take their system property, else their default. */
    public static final class Builder
    {
        /** Chronicle Queue roll cycle of the journal: how much time one journal file covers before the next begins. */
    public static final String JOURNAL_ROLL_CYCLE_PROP = "barstore.journal.roll.cycle";
    public static final String JOURNAL_ROLL_CYCLE_DEFAULT = "FAST_HOURLY";

    private final Path dataDir;
        private SyncPolicy syncPolicy = SyncPolicy.valueOf(
            System.getProperty(SYNC_POLICY_PROP, SYNC_POLICY_DEFAULT.name()).toUpperCase(java.util.Locale.ROOT));
        private long syncIntervalMillis = Long.getLong(SYNC_INTERVAL_MS_PROP, SYNC_INTERVAL_MS_DEFAULT);
        private int maxMappings = Integer.getInteger(MAX_MAPPINGS_PROP, MAX_MAPPINGS_DEFAULT);
        private long maintenanceIntervalMillis =
            Long.getLong(MAINTENANCE_INTERVAL_MS_PROP, MAINTENANCE_INTERVAL_MS_DEFAULT);
        private long minFreeBytes = Long.getLong(MIN_FREE_BYTES_PROP, MIN_FREE_BYTES_DEFAULT);
        private FileOps fileOps = FileOps.SYSTEM;
        private String journalRollCycle = System.getProperty(JOURNAL_ROLL_CYCLE_PROP, JOURNAL_ROLL_CYCLE_DEFAULT);

        private Builder(final Path dataDir)
        {
            this.dataDir = dataDir;
        }

        public Builder syncPolicy(final SyncPolicy policy)
        {
            this.syncPolicy = policy;
            return this;
        }

        public Builder syncIntervalMillis(final long millis)
        {
            this.syncIntervalMillis = millis;
            return this;
        }

        public Builder maxMappings(final int maxMappings)
        {
            this.maxMappings = maxMappings;
            return this;
        }

        public Builder maintenanceIntervalMillis(final long millis)
        {
            this.maintenanceIntervalMillis = millis;
            return this;
        }

        public Builder minFreeBytes(final long bytes)
        {
            this.minFreeBytes = bytes;
            return this;
        }

        public Builder fileOps(final FileOps fileOps)
        {
            this.fileOps = fileOps;
            return this;
        }

        public Builder journalRollCycle(final String name)
        {
            this.journalRollCycle = name;
            return this;
        }

        public StoreConfig build()
        {
            if (dataDir == null)
            {
                throw new IllegalArgumentException("dataDir is required");
            }
            if (syncPolicy == SyncPolicy.INTERVAL && syncIntervalMillis <= 0)
            {
                throw new IllegalArgumentException("syncIntervalMillis must be > 0 with SyncPolicy.INTERVAL");
            }
            if (maxMappings < 2)
            {
                throw new IllegalArgumentException("maxMappings must be at least 2: " + maxMappings);
            }
            if (maintenanceIntervalMillis < 0 || minFreeBytes < 0)
            {
                throw new IllegalArgumentException("intervals and minFreeBytes must be >= 0");
            }
            return new StoreConfig(this);
        }
    }
}

package io.barstore.engine;

import org.agrona.concurrent.Agent;

import java.io.IOException;

/**
 * The store's background agent: forces the journal every sync interval ({@link SyncPolicy#INTERVAL}) and, every
 * maintenance interval, seals closed periods and checkpoints.
 */
final class MaintenanceAgent implements Agent
{
    /** A partition written within this long is not sealed yet: a backfill may still be writing it. */
    static final long SEAL_QUIET_NANOS = 60_000_000_000L;

    private final BarStore store;
    private final long syncIntervalNanos;
    private final long maintenanceIntervalNanos;
    private long nextSync;
    private long nextMaintenance;

    MaintenanceAgent(final BarStore store, final long syncIntervalMillis, final long maintenanceIntervalMillis)
    {
        this.store = store;
        this.syncIntervalNanos = syncIntervalMillis * 1_000_000L;
        this.maintenanceIntervalNanos = maintenanceIntervalMillis * 1_000_000L;
        final long now = System.nanoTime();
        this.nextSync = now + syncIntervalNanos;
        this.nextMaintenance = now + maintenanceIntervalNanos;
    }

    public int doWork() throws IOException
    {
        final long now = System.nanoTime();
        int work = 0;
        if (syncIntervalNanos > 0 && now - nextSync >= 0)
        {
            nextSync = now + syncIntervalNanos;
            store.syncJournal();
            work++;
        }
        if (maintenanceIntervalNanos > 0 && now - nextMaintenance >= 0)
        {
            nextMaintenance = now + maintenanceIntervalNanos;
            store.maintain(System.currentTimeMillis() * 1_000_000L, SEAL_QUIET_NANOS);
            work++;
        }
        return work;
    }

    public String roleName()
    {
        return "barstore-maintenance";
    }
}

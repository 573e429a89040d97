package io.barstore.engine;

import io.barstore.engine.fs.FileOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskFullTest
{
    private static final SeriesKey KEY = SeriesKey.of("SPY", Timeframe.M1);
    private static final long T = 1_735_828_200_000_000_000L;
    /** 2025-01-02T00:00:00Z. */
    private static final long DAY_START = 1_735_776_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aFullDiskWhileReservingAPartitionIsATypedErrorAndWritesResumeWhenSpaceReturns()
    {
        final AtomicBoolean full = new AtomicBoolean();
        final FileOps ops = fullWhen(full);
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).fileOps(ops).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).build()))
        {
            store.write(KEY, new BarBatch().add(T, 1, 2, 0.5, 1.5, 10, 1.2, 3));
            full.set(true);
            final BarStoreException ex = assertThrows(BarStoreException.class,
                () -> store.write(KEY, new BarBatch().add(T + 86_400_000_000_000L, 1, 2, 0.5, 1.5, 10, 1.2, 3)));
            assertEquals(BarStoreException.Category.DISK_FULL, ex.category());
            assertTrue(ex.getMessage().startsWith("disk full"), ex.getMessage());
            assertEquals(1, store.stats(KEY).barCount(), "nothing of the failed batch is visible");
            full.set(false);
            store.write(KEY, new BarBatch().add(T + 86_400_000_000_000L, 1, 2, 0.5, 1.5, 10, 1.2, 3));
            assertEquals(2, store.stats(KEY).barCount());
        }
    }

    @Test
    void aFullDiskWhileTodaysPartitionGrowsItsReservationIsATypedErrorAndLosesNothing()
    {
        final AtomicBoolean full = new AtomicBoolean();
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).fileOps(fullWhen(full))
            .syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build()))
        {
            // 100 bars fit the first page of each column; the next batch needs the second page.
            store.write(KEY, minuteBars(0, 100));
            full.set(true);
            final BarStoreException ex = assertThrows(BarStoreException.class,
                () -> store.write(KEY, minuteBars(100, 500)));
            assertEquals(BarStoreException.Category.DISK_FULL, ex.category());
            assertEquals(100, store.stats(KEY).barCount(), "nothing of the failed batch is visible");
            full.set(false);
            store.write(KEY, minuteBars(100, 500));
            assertEquals(600, store.stats(KEY).barCount());
        }
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).build()))
        {
            assertEquals(600, store.stats(KEY).barCount(), "every acknowledged bar is there after a reopen");
            assertEquals(List.of(), store.verify());
        }
    }

    private static BarBatch minuteBars(final int first, final int count)
    {
        final BarBatch batch = new BarBatch();
        for (int i = first; i < first + count; i++)
        {
            batch.add(DAY_START + i * 60_000_000_000L, 1, 2, 0.5, 1.5, 10, 1.2, 3);
        }
        return batch;
    }

    /** The real file system, except that allocating file space fails as on a full disk while {@code full} is set. */
    private static FileOps fullWhen(final AtomicBoolean full)
    {
        return (FileOps)Proxy.newProxyInstance(FileOps.class.getClassLoader(), new Class<?>[]{ FileOps.class },
            (InvocationHandler)(proxy, method, args) ->
            {
                if (full.get() && (method.getName().equals("createReserved") || method.getName().equals("reserve")))
                {
                    throw new IOException("No space left on device");
                }
                try
                {
                    return method.invoke(FileOps.SYSTEM, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
    }

    @Test
    void refusesWritesBelowTheMinimumFreeSpaceBeforeTouchingTheJournal()
    {
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).minFreeBytes(Long.MAX_VALUE).build()))
        {
            final BarStoreException ex = assertThrows(BarStoreException.class,
                () -> store.write(KEY, new BarBatch().add(T, 1, 2, 0.5, 1.5, 10, 1.2, 3)));
            assertEquals(BarStoreException.Category.DISK_FULL, ex.category());
            assertTrue(ex.getMessage().contains("minFreeBytes="), ex.getMessage());
            assertFalse(store.exists(KEY));
        }
    }
}

package io.barstore.engine;

import io.barstore.engine.fs.FaultInjectingFileOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For every file operation of a small ingest scenario, fails that operation once, then from there on: the writer
 * gets a typed error, nothing acknowledged is lost, the store verifies clean on reopen and writes resume once the
 * fault clears.
 */
class FaultInjectionTest
{
    private static final SeriesKey KEY = SeriesKey.of("ES_202503", Timeframe.M1, "cme");
    private static final SeriesKey OTHER = SeriesKey.of("BRK.B", Timeframe.H1);
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final long DAY = 86_400_000_000_000L;
    private static final long T0 = Instant.parse("2025-03-03T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    @TempDir
    Path tmp;

    /** For each ts: the values it may hold (the last acknowledged one, and those of later failed batches). */
    private final Map<SeriesKey, Map<Long, List<Double>>> allowed = new HashMap<>();
    private final Map<SeriesKey, Map<Long, Double>> acknowledged = new HashMap<>();
    private int failures;

    @Test
    void everyFileOperationFailingOnceLosesNothingAcknowledged() throws Exception
    {
        final long operations = countScenarioOperations();
        assertTrue(operations > 20, "scenario performs " + operations + " file operations");
        for (long call = 1; call <= operations; call++)
        {
            runWithFault(call, false);
        }
    }

    @Test
    void everyFileOperationFailingPersistentlyLosesNothingAndWritesResumeOnceCleared() throws Exception
    {
        final long operations = countScenarioOperations();
        for (long call = 1; call <= operations; call++)
        {
            runWithFault(call, true);
        }
    }

    private long countScenarioOperations() throws Exception
    {
        final FaultInjectingFileOps ops = new FaultInjectingFileOps();
        final Path dir = Files.createTempDirectory(tmp, "count");
        try (BarStore store = BarStore.open(config(dir, ops)))
        {
            ops.failAt(Long.MAX_VALUE, false);
            scenario(store);
            return ops.calls();
        }
    }

    private void runWithFault(final long call, final boolean persistent) throws Exception
    {
        allowed.clear();
        acknowledged.clear();
        failures = 0;
        final Path dir = Files.createTempDirectory(tmp, "fault" + call + (persistent ? "p" : "o"));
        final FaultInjectingFileOps ops = new FaultInjectingFileOps();
        final String context = "fault at file operation " + call + (persistent ? " (persistent)" : " (once)");
        BarStore store = BarStore.open(config(dir, ops));
        try
        {
            ops.failAt(call, persistent);
            scenario(store);
            ops.clear();
            // Writes resume once the fault clears.
            write(store, KEY, T0 + 5 * DAY, 500.0);
            assertTrue(acknowledged.get(KEY).containsKey(T0 + 5 * DAY), context + ": write after the fault cleared");
        }
        finally
        {
            ops.clear();
            store.close();
        }
        store = BarStore.open(config(dir, new FaultInjectingFileOps()));
        try
        {
            assertEquals(List.of(), store.verify(), context);
            check(store, KEY, context);
            check(store, OTHER, context);
        }
        finally
        {
            store.close();
        }
    }

    private static StoreConfig config(final Path dir, final FaultInjectingFileOps ops)
    {
        return StoreConfig.builder(dir).fileOps(ops).syncPolicy(SyncPolicy.PER_BATCH).maintenanceIntervalMillis(0)
            .minFreeBytes(1).build();
    }

    /** New series, appends, a new day, live replaces, upserts into an older and into a sealed day, sealing. */
    private void scenario(final BarStore store)
    {
        write(store, KEY, T0, 100.0);
        write(store, KEY, T0 + MINUTE, 101.0);
        write(store, KEY, T0 + MINUTE, 102.0);
        write(store, OTHER, T0 + 3_600_000_000_000L, 50.0);
        write(store, KEY, T0 + DAY, 103.0);
        write(store, KEY, T0 + 2 * MINUTE, 104.0);
        maintain(store, T0 + 2 * DAY);
        write(store, KEY, T0 + 3 * MINUTE, 105.0);
        write(store, KEY, T0 + 2 * DAY, 106.0);
        write(store, KEY, T0 + 2 * DAY, 107.0);
        checkpoint(store);
        write(store, KEY, T0 + 2 * DAY + MINUTE, 108.0);
    }

    private void write(final BarStore store, final SeriesKey key, final long ts, final double price)
    {
        final BarBatch batch = new BarBatch(1).add(ts, price, price + 1, price - 1, price, 10, price, 3);
        final List<Double> values = allowed.computeIfAbsent(key, k -> new HashMap<>())
            .computeIfAbsent(ts, t -> new ArrayList<>());
        try
        {
            store.write(key, batch);
            values.clear();
            values.add(price);
            acknowledged.computeIfAbsent(key, k -> new HashMap<>()).put(ts, price);
        }
        catch (final BarStoreException ex)
        {
            failures++;
            assertTypedIoFailure(ex);
            values.add(price);
        }
    }

    private void maintain(final BarStore store, final long now)
    {
        try
        {
            store.maintain(now);
        }
        catch (final BarStoreException ex)
        {
            assertTypedIoFailure(ex);
        }
    }

    private void checkpoint(final BarStore store)
    {
        try
        {
            store.checkpoint();
        }
        catch (final BarStoreException ex)
        {
            assertTypedIoFailure(ex);
        }
    }

    private static void assertTypedIoFailure(final BarStoreException ex)
    {
        assertTrue(ex.category() == BarStoreException.Category.IO ||
            ex.category() == BarStoreException.Category.DISK_FULL, ex::toString);
        assertTrue(ex.getMessage().contains("injected fault"), () -> "message names the cause: " + ex.getMessage());
    }

    private void check(final BarStore store, final SeriesKey key, final String context)
    {
        final Map<Long, List<Double>> may = allowed.getOrDefault(key, Map.of());
        final Map<Long, Double> must = acknowledged.getOrDefault(key, Map.of());
        final Map<Long, Double> seen = new HashMap<>();
        final BarCursor cursor = store.newCursor();
        if (store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
        {
            long previous = Long.MIN_VALUE;
            while (cursor.next())
            {
                assertTrue(cursor.ts() > previous, context + ": ts strictly increasing");
                previous = cursor.ts();
                final List<Double> values = may.get(cursor.ts());
                assertNotNull(values, context + ": bar at " + cursor.ts() + " was never written");
                assertTrue(values.contains(cursor.open()), context + ": bar at " + cursor.ts() + " holds " +
                    cursor.open() + ", allowed " + values);
                seen.put(cursor.ts(), cursor.open());
            }
        }
        cursor.release();
        for (final Map.Entry<Long, Double> e : must.entrySet())
        {
            if (!seen.containsKey(e.getKey()))
            {
                fail(context + ": acknowledged bar at " + e.getKey() + " of " + key + " is missing");
            }
        }
    }
}

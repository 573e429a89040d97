package io.barstore.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random writes (appends, live replaces, upserts, batches out of order with repeats) and deletions around
 * partition and segment boundaries of every partition span, checked bit for bit against an in-memory model after
 * every step, after sealing and consolidation, and after reopening; a read-only view of the same directory, refreshed,
 * must agree too. The seed is printed on failure; override it with
 * {@code -Dbarstore.test.seed=N}.
 */
class StoreModelTest
{
    private static final long SEED = Long.getLong("barstore.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void randomWritesAroundPartitionBoundariesReadBackExactly()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final Timeframe[] timeframes = { Timeframe.M1, Timeframe.S30, Timeframe.H1, Timeframe.D1, Timeframe.W1 };
        final Map<SeriesKey, TreeMap<Long, long[]>> model = new java.util.HashMap<>();
        final String context = "seed=" + SEED;
        BarStore store = open();
        final BarStore view = BarStore.openReadOnly(dir);
        try
        {
            final long origin = 1_735_603_200_000_000_000L; // 2024-12-31T00:00:00Z: day, month and year boundaries
            for (int step = 0; step < 400; step++)
            {
                final Timeframe tf = timeframes[random.nextInt(timeframes.length)];
                final SeriesKey key = SeriesKey.of("SYM" + random.nextInt(3), tf, random.nextBoolean() ? "a" : "b");
                final TreeMap<Long, long[]> bars = model.computeIfAbsent(key, k -> new TreeMap<>());
                final BarBatch batch = new BarBatch();
                final int rows = 1 + random.nextInt(random.nextInt(10) == 0 ? 500 : 8);
                final long span = tf == Timeframe.W1 ? 200 : tf == Timeframe.D1 ? 800 : 3000;
                final long last = bars.isEmpty() ? 0 : (bars.lastKey() - tf.floor(origin)) / tf.nanos();
                for (int r = 0; r < rows; r++)
                {
                    final long slot = switch (random.nextInt(4))
                    {
                        case 0 -> last + r + 1; // append
                        case 1 -> last; // the live bar
                        default -> random.nextLong(span); // anywhere: upsert or replace
                    };
                    final long ts = tf.floor(origin) + slot * tf.nanos();
                    final long[] bar = randomBar(random, ts);
                    batch.add(bar[0], d(bar[1]), d(bar[2]), d(bar[3]), d(bar[4]), d(bar[5]), d(bar[6]), bar[7]);
                    bars.put(ts, bar);
                }
                store.write(key, batch);
                if (random.nextInt(30) == 0)
                {
                    final long before = random.nextInt(5) == 0 ? Long.MAX_VALUE :
                        tf.floor(origin) + random.nextLong(span) * tf.nanos();
                    final java.util.SortedMap<Long, long[]> gone = bars.headMap(before);
                    final long expected = gone.size();
                    gone.clear();
                    assertEquals(expected, store.delete(key, before), context + " step=" + step + " delete before " +
                        before + " " + key);
                }
                if (random.nextInt(20) == 0)
                {
                    store.maintain(tf.floor(origin) + random.nextLong(span) * tf.nanos());
                }
                if (random.nextInt(50) == 0)
                {
                    store.close();
                    store = open();
                }
                if (random.nextInt(10) == 0)
                {
                    checkAll(store, model, random, context + " step=" + step);
                    view.refresh();
                    checkAll(view, model, random, context + " read-only view, step=" + step);
                }
            }
            store.maintain(Long.MAX_VALUE / 2);
            checkAll(store, model, random, context + " after sealing everything");
            assertEquals(List.of(), store.verify(), context);
            store.compact(Long.MAX_VALUE / 2);
            checkAll(store, model, random, context + " after compaction");
            view.refresh();
            checkAll(view, model, random, context + " read-only view after compaction");
            store.close();
            store = open();
            checkAll(store, model, random, context + " after reopen");
        }
        finally
        {
            view.close();
            store.close();
        }
    }

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0)
            .maxMappings(16).build());
    }

    private static double d(final long bits)
    {
        return Double.longBitsToDouble(bits);
    }

    private static long[] randomBar(final SplittableRandom random, final long ts)
    {
        final double open = 1 + random.nextDouble() * 1000;
        final double close = 1 + random.nextDouble() * 1000;
        final double high = Math.max(open, close) + random.nextDouble();
        final double low = Math.min(open, close) - random.nextDouble() * 0.5;
        final double vwap = random.nextInt(5) == 0 ? Double.NaN : low + (high - low) * random.nextDouble();
        final long trades = random.nextInt(5) == 0 ? -1 : random.nextLong(1_000_000);
        return new long[]{ ts, Double.doubleToRawLongBits(open), Double.doubleToRawLongBits(high),
            Double.doubleToRawLongBits(low), Double.doubleToRawLongBits(close),
            Double.doubleToRawLongBits(random.nextDouble() * 1e6), Double.doubleToRawLongBits(vwap), trades };
    }

    private static void checkAll(
        final BarStore store, final Map<SeriesKey, TreeMap<Long, long[]>> model, final SplittableRandom random,
        final String context)
    {
        final BarCursor cursor = store.newCursor();
        for (final Map.Entry<SeriesKey, TreeMap<Long, long[]>> e : model.entrySet())
        {
            final SeriesKey key = e.getKey();
            final TreeMap<Long, long[]> bars = e.getValue();
            if (bars.isEmpty())
            {
                assertEquals(null, store.stats(key), context + " " + key + " was deleted");
                assertEquals(false, store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor), context + " " + key);
                assertEquals(false, store.latest(key, new Bar()), context + " " + key);
                assertEquals(false, store.seriesKeys().contains(key), context + " " + key);
                continue;
            }
            assertEquals(new ArrayList<>(bars.values()).size(), store.stats(key).barCount(), context + " " + key);
            compare(bars.values(), read(store, key, Long.MIN_VALUE, Long.MAX_VALUE, 0, cursor), context + " all " + key);
            final long a = bars.firstKey() + random.nextLong(Math.max(1, bars.lastKey() - bars.firstKey()));
            final long b = a + random.nextLong(Math.max(1, bars.lastKey() - a + 1));
            compare(bars.subMap(a, b).values(), read(store, key, a, b, 0, cursor), context + " [" + a + "," + b + ") " + key);
            final int limit = 1 + random.nextInt(50);
            final List<long[]> tail = new ArrayList<>(bars.values());
            compare(tail.subList(Math.max(0, tail.size() - limit), tail.size()),
                read(store, key, Long.MIN_VALUE, Long.MAX_VALUE, limit, cursor), context + " newest " + limit + " " + key);
            final Bar bar = new Bar();
            assertTrue(store.latest(key, bar), context + " latest(key, bar) found no bar for " + key);
            compare(List.of(tail.get(tail.size() - 1)), List.of(new long[]{ bar.ts(),
                Double.doubleToRawLongBits(bar.open()), Double.doubleToRawLongBits(bar.high()),
                Double.doubleToRawLongBits(bar.low()), Double.doubleToRawLongBits(bar.close()),
                Double.doubleToRawLongBits(bar.volume()), Double.doubleToRawLongBits(bar.vwap()), bar.trades() }),
                context + " latest(key, bar) " + key);
        }
        cursor.release();
    }

    private static List<long[]> read(
        final BarStore store, final SeriesKey key, final long start, final long end, final long limit,
        final BarCursor cursor)
    {
        final List<long[]> rows = new ArrayList<>();
        store.range(key, start, end, limit, cursor);
        while (cursor.next())
        {
            rows.add(new long[]{ cursor.ts(), Double.doubleToRawLongBits(cursor.open()),
                Double.doubleToRawLongBits(cursor.high()), Double.doubleToRawLongBits(cursor.low()),
                Double.doubleToRawLongBits(cursor.close()), Double.doubleToRawLongBits(cursor.volume()),
                Double.doubleToRawLongBits(cursor.vwap()), cursor.trades() });
        }
        return rows;
    }

    private static void compare(final java.util.Collection<long[]> expected, final List<long[]> actual, final String context)
    {
        assertEquals(expected.size(), actual.size(), context + ": bar count");
        int i = 0;
        for (final long[] bar : expected)
        {
            assertArrayEquals(bar, actual.get(i), context + ": bar " + i);
            i++;
        }
    }
}

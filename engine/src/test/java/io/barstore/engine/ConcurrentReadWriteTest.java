package io.barstore.engine;

import io.barstore.engine.storage.Mapping;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One writer appends, rewrites the newest bar many times, upserts older bars (in open and in sealed days) and calls
 * maintain() (sealing, consolidation, copy-on-write swaps) for a few seconds, while readers scan the same series with
 * next() and nextChunk(), ask for the latest bar, the newest N and windows. Only 16 mappings are allowed, so
 * partitions are also evicted under the readers. Every bar a reader sees must be valid and whole (its values are a
 * function of its ts and version, so a torn row shows), ts strictly increasing within a read, and each reader's view
 * of a series only grows: bar count, last ts and each bar's version never go back, and no bar seen before vanishes.
 * Memory handed out in place and retained must stay mapped and unchanged. At the end the store holds exactly what the
 * writer wrote, before and after a reopen, and verify() is clean.
 * <p>
 * Rerun a failure with {@code -Dbarstore.test.seed=<seed>}; {@code -Dbarstore.test.concurrency.ms} sets the run time.
 */
class ConcurrentReadWriteTest
{
    private static final int READERS = TestBars.intProp("barstore.test.readers", 4);
    private static final long DURATION_MS = TestBars.intProp("barstore.test.concurrency.ms", 5000);
    private static final int CREATED_BEFORE_READERS = TestBars.intProp("barstore.test.concurrency.precreated", 4);
    private static final int MAX_BARS = 20_000;
    private static final int MAX_SLOTS = 200_000;
    private static final SeriesKey[] KEYS = {
        SeriesKey.of("AAPL", Timeframe.M5),
        SeriesKey.of("BRK.B", Timeframe.M15),
        SeriesKey.of("SPY", Timeframe.M30, "alpaca"),
        SeriesKey.of("ETH/USD", Timeframe.H1, "polygon"),
        SeriesKey.of("ES_202503", Timeframe.M1),
        SeriesKey.of("^GSPC", Timeframe.D1),
    };
    private static final long[] BASE = {
        TestBars.day("2024-01-29"),
        TestBars.day("2024-01-29"),
        TestBars.day("2024-01-29"),
        TestBars.day("2024-01-30"),
        TestBars.day("2024-01-29"),
        TestBars.day("2023-12-27"),
    };

    @TempDir
    Path tmp;

    private long seed;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stop;

    @Test
    void readersSeeValidGrowingSeriesWhileOneWriterWritesAndMaintains() throws Exception
    {
        seed = TestBars.seed();
        final Path data = tmp.resolve("data");
        final StoreConfig config = StoreConfig.builder(data)
            .syncPolicy(SyncPolicy.NONE)
            .maxMappings(16)
            .maintenanceIntervalMillis(0)
            .minFreeBytes(0)
            .build();
        final Writer writer;
        final long[] reads = new long[READERS];
        try (BarStore store = BarStore.open(config))
        {
            writer = new Writer(store, new Random(seed));
            writer.create(CREATED_BEFORE_READERS); // the others are created while the readers run
            final List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> guard("writer", writer::run), "writer"));
            for (int r = 0; r < READERS; r++)
            {
                final Reader reader = new Reader(store, r, new Random(seed * 31 + r));
                final int id = r;
                threads.add(new Thread(() -> guard("reader " + id, () -> reads[id] = reader.run()), "reader-" + r));
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads)
            {
                t.join(DURATION_MS + 120_000);
                if (t.isAlive())
                {
                    failure.compareAndSet(null, t.getName() + " is stuck: " + Arrays.toString(t.getStackTrace()));
                    stop = true;
                }
            }
            if (failure.get() != null)
            {
                String after;
                try
                {
                    final String difference = writer.difference(store);
                    after = difference == null ? "exactly what was written" : "not what was written: " + difference;
                }
                catch (final RuntimeException ex)
                {
                    after = "unreadable: " + ex;
                }
                fail("seed=" + seed + " (rerun with -Dbarstore.test.seed=" + seed + "): " + failure.get() +
                    "\nAfter the run the store holds " + after);
            }
            writer.checkStore(store, "after the run");
            assertEquals(List.of(), store.verify(), "seed=" + seed + ": verify() after the run");
            System.out.printf("ConcurrentReadWriteTest seed=%d: %d writes (%d appended, %d replaced newest, %d " +
                    "upserted, %d maintain), reads per reader %s, bars %s%n",
                seed, writer.writes, writer.appended, writer.replaced, writer.upserted, writer.maintained,
                Arrays.toString(reads), Arrays.toString(writer.count));
        }
        assertEquals(List.of(), BoundedMappingsTest.mappedBarFiles(data),
            "seed=" + seed + ": partition files still mapped after close (a mapping reference leaked)");
        try (BarStore store = BarStore.open(config))
        {
            writer.checkStore(store, "after reopen");
            assertEquals(List.of(), store.verify(), "seed=" + seed + ": verify() after reopen");
        }
    }

    private void guard(final String who, final ThrowingRunnable body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable t)
        {
            final StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            failure.compareAndSet(null, who + " threw " + sw);
        }
        finally
        {
            stop = true;
        }
    }

    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    private static long ts(final int s, final long slot)
    {
        return BASE[s] + slot * KEYS[s].timeframe().nanos();
    }

    private static int slotsPerDay(final int s)
    {
        return (int)Math.max(1, TestBars.NANOS_PER_DAY / KEYS[s].timeframe().nanos());
    }

    /** The one writer, and the model of what it wrote: per series and slot the version (-1: never written). */
    private final class Writer
    {
        final BarStore store;
        final Random rnd;
        final int[][] version = new int[KEYS.length][MAX_SLOTS];
        final long[] next = new long[KEYS.length];
        final long[] count = new long[KEYS.length];
        final BarBatch batch = new BarBatch(64);
        final TreeSet<Long> slots = new TreeSet<>();
        long writes;
        long appended;
        long replaced;
        long upserted;
        long maintained;

        Writer(final BarStore store, final Random rnd)
        {
            this.store = store;
            this.rnd = rnd;
            for (final int[] v : version)
            {
                Arrays.fill(v, -1);
            }
        }

        void run()
        {
            final long deadline = System.nanoTime() + DURATION_MS * 1_000_000L;
            long nextMaintain = System.nanoTime();
            while (!stop && System.nanoTime() < deadline)
            {
                final int s = rnd.nextInt(KEYS.length);
                final int op = rnd.nextInt(100);
                slots.clear();
                if (next[s] == 0 || op < 35)
                {
                    append(s, 1 + rnd.nextInt(5));
                }
                else if (op < 80)
                {
                    slots.add(next[s] - 1);
                    replaced++;
                }
                else if (op < 95)
                {
                    upsert(s, 1 + rnd.nextInt(3));
                }
                else
                {
                    upsert(s, 1 + rnd.nextInt(3));
                    slots.add(next[s] - 1);
                    append(s, 1 + rnd.nextInt(3));
                }
                writeSlots(s);
                if (System.nanoTime() >= nextMaintain)
                {
                    store.maintain(simulatedNow());
                    maintained++;
                    nextMaintain = System.nanoTime() + (100 + rnd.nextInt(300)) * 1_000_000L;
                }
            }
        }

        /** Creates series {@code [0, n)} with a first bar each, before the readers start. */
        void create(final int n)
        {
            for (int s = 0; s < n; s++)
            {
                slots.clear();
                append(s, 1);
                writeSlots(s);
            }
        }

        private void writeSlots(final int s)
        {
            batch.clear();
            for (final long slot : slots)
            {
                if (version[s][(int)slot]++ < 0)
                {
                    version[s][(int)slot] = 0;
                    count[s]++;
                }
                TestBars.addVersioned(batch, ts(s, slot), version[s][(int)slot]);
            }
            store.write(KEYS[s], batch);
            writes++;
        }

        private void append(final int s, final int k)
        {
            long slot = next[s] + (rnd.nextInt(20) == 0 ? rnd.nextInt(slotsPerDay(s)) : 0);
            if (count[s] + k > MAX_BARS || slot + k >= MAX_SLOTS)
            {
                if (next[s] > 0)
                {
                    slots.add(next[s] - 1); // full: rewrite the newest bar instead
                    replaced++;
                    return;
                }
            }
            for (int i = 0; i < k; i++)
            {
                slots.add(slot++);
            }
            next[s] = slot;
            appended += k;
        }

        private void upsert(final int s, final int k)
        {
            for (int i = 0; i < k && next[s] > 1; i++)
            {
                final long slot = (long)(rnd.nextDouble() * (next[s] - 1));
                if (version[s][(int)slot] >= 0 || count[s] < MAX_BARS)
                {
                    slots.add(slot);
                    upserted++;
                }
            }
        }

        /**
         * Usually the start of the day of the series that is furthest behind, so every series' newest period stays
         * open and older ones get sealed; sometimes a day after some series' newest bar, which seals its newest
         * partition too (later writes to it then go to a sealed partition).
         */
        private long simulatedNow()
        {
            long newest = Long.MAX_VALUE;
            for (int s = 0; s < KEYS.length; s++)
            {
                newest = Math.min(newest, ts(s, Math.max(0, next[s] - 1)));
            }
            if (rnd.nextInt(6) == 0)
            {
                final int s = rnd.nextInt(KEYS.length);
                newest = ts(s, Math.max(0, next[s] - 1)) + TestBars.NANOS_PER_DAY;
            }
            return Math.floorDiv(newest, TestBars.NANOS_PER_DAY) * TestBars.NANOS_PER_DAY;
        }

        /** Reads every series whole: it must be exactly what was written (write() returns once it is readable). */
        void checkStore(final BarStore store, final String when)
        {
            final String problem = difference(store);
            if (problem != null)
            {
                fail("seed=" + seed + " " + when + ": the store does not hold what was written: " + problem);
            }
        }

        private String difference(final BarStore store)
        {
            final BarCursor cursor = store.newCursor();
            try
            {
                for (int s = 0; s < KEYS.length; s++)
                {
                    if (!store.range(KEYS[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor))
                    {
                        return KEYS[s] + " not found";
                    }
                    long slot = 0;
                    long n = 0;
                    while (cursor.next())
                    {
                        while (slot < MAX_SLOTS && version[s][(int)slot] < 0)
                        {
                            slot++;
                        }
                        if (slot >= MAX_SLOTS || cursor.ts() != ts(s, slot) || cursor.trades() != version[s][(int)slot])
                        {
                            return KEYS[s] + " bar " + n + " is ts " + cursor.ts() + " version " + cursor.trades() +
                                (slot >= MAX_SLOTS ? ", written: nothing more" :
                                    ", written: ts " + ts(s, slot) + " version " + version[s][(int)slot]);
                        }
                        slot++;
                        n++;
                    }
                    cursor.release();
                    if (n != count[s])
                    {
                        return KEYS[s] + " has " + n + " bars, written " + count[s];
                    }
                }
            }
            finally
            {
                cursor.release();
            }
            return null;
        }
    }

    /** A reader's view of one series: what it has seen so far, which may only grow. */
    private static final class View
    {
        boolean exists;
        long count;
        long lastTs = Long.MIN_VALUE;
        long[] fullTs = new long[0];
        String lastTsSeenBy = "";
        /**
         * The newest bar's copy is published just after the rows of its batch, so for that instant a range read can
         * be ahead of it: it only has to be monotonic on its own.
         */
        long lastCopyTs = Long.MIN_VALUE;
        long statsCount;
        long statsLastTs = Long.MIN_VALUE;
        final int[] version = new int[MAX_SLOTS];
        /** The versions seen through the newest-bar copy: monotonic on their own, like {@link #lastCopyTs}. */
        final int[] copyVersion = new int[MAX_SLOTS];

        View()
        {
            Arrays.fill(version, -1);
        }
    }

    private final class Reader
    {
        final BarStore store;
        final int id;
        final Random rnd;
        final View[] views = new View[KEYS.length];
        final UnsafeBuffer[] columns = new UnsafeBuffer[Column.values().length];
        long[] scratch = new long[1024];
        final Bar bar = new Bar();
        int scratchSize;
        String context;

        Reader(final BarStore store, final int id, final Random rnd)
        {
            this.store = store;
            this.id = id;
            this.rnd = rnd;
            for (int i = 0; i < KEYS.length; i++)
            {
                views[i] = new View();
            }
            for (int c = 0; c < columns.length; c++)
            {
                columns[c] = new UnsafeBuffer(new byte[0]);
            }
        }

        long run()
        {
            long reads = 0;
            final BarCursor cursor = store.newCursor();
            try
            {
                while (!stop)
                {
                    final int s = rnd.nextInt(KEYS.length);
                    final int kind = rnd.nextInt(6);
                    context = "reader " + id + " read " + reads + " of " + KEYS[s] + ": ";
                    switch (kind)
                    {
                        case 0, 1 -> fullScan(cursor, s, kind == 1);
                        case 2 -> {
                            if (rnd.nextBoolean())
                            {
                                latest(cursor, s);
                            }
                            else
                            {
                                latestBar(s);
                            }
                        }
                        case 3 -> newest(cursor, s);
                        case 4 -> window(cursor, s);
                        default -> stats(s);
                    }
                    cursor.release();
                    reads++;
                }
            }
            finally
            {
                cursor.release();
            }
            return reads;
        }

        private void fullScan(final BarCursor cursor, final int s, final boolean chunks)
        {
            context += chunks ? "range(all) by chunks: " : "range(all): ";
            final View view = views[s];
            if (!exists(s, store.range(KEYS[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor)))
            {
                return;
            }
            scratchSize = 0;
            if (chunks)
            {
                readChunks(cursor, s, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            else
            {
                while (cursor.next())
                {
                    onBar(s, Long.MIN_VALUE, Long.MAX_VALUE, cursor.ts(), cursor.open(), cursor.high(), cursor.low(),
                        cursor.close(), cursor.volume(), cursor.vwap(), cursor.trades());
                }
            }
            check(scratchSize > 0, "range(all) found the series but no bar in it (a series is only ever created " +
                "with bars: was it published before its partition table?)");
            check(scratchSize >= view.count, "bar count went back from " + view.count + " to " + scratchSize);
            if (scratchSize > 0)
            {
                if (scratch[scratchSize - 1] < view.lastTs)
                {
                    check(false, "last ts went back from " + view.lastTs + " (seen by " + view.lastTsSeenBy +
                        ") to " + scratch[scratchSize - 1] + "; " + diagnose(cursor, s));
                }
                view.lastTs = scratch[scratchSize - 1];
                view.lastTsSeenBy = context;
            }
            checkContains(view.fullTs, Long.MIN_VALUE, Long.MAX_VALUE);
            view.count = scratchSize;
            view.fullTs = Arrays.copyOf(scratch, scratchSize);
        }

        private void latest(final BarCursor cursor, final int s)
        {
            context += "latest(): ";
            final View view = views[s];
            if (!exists(s, store.latest(KEYS[s], cursor)))
            {
                return;
            }
            scratchSize = 0;
            while (cursor.next())
            {
                onBar(s, Long.MIN_VALUE, Long.MAX_VALUE, cursor.ts(), cursor.open(), cursor.high(), cursor.low(),
                    cursor.close(), cursor.volume(), cursor.vwap(), cursor.trades());
            }
            if (scratchSize != 1)
            {
                check(false, "latest() gave " + scratchSize + " bars; " + diagnose(cursor, s));
            }
            if (scratch[0] < view.lastTs)
            {
                check(false, "latest ts went back from " + view.lastTs + " (seen by " + view.lastTsSeenBy + ") to " +
                    scratch[0] + "; " + diagnose(cursor, s));
            }
            view.lastTs = scratch[0];
            view.lastTsSeenBy = context;
        }

        /** The copy of the newest bar: valid, never torn, never older than a newest bar seen before. */
        private void latestBar(final int s)
        {
            context += "latest(key, bar): ";
            final View view = views[s];
            if (!exists(s, store.latest(KEYS[s], bar)))
            {
                return;
            }
            scratchSize = 0;
            readingCopy = true;
            try
            {
                onBar(s, Long.MIN_VALUE, Long.MAX_VALUE, bar.ts(), bar.open(), bar.high(), bar.low(), bar.close(),
                    bar.volume(), bar.vwap(), bar.trades());
            }
            finally
            {
                readingCopy = false;
            }
            check(bar.ts() >= view.lastCopyTs, "latest ts went back from " + view.lastCopyTs + " to " + bar.ts());
            view.lastCopyTs = bar.ts();
        }

        private void newest(final BarCursor cursor, final int s)
        {
            final int limit = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 3000);
            context += "range(all, limit " + limit + "): ";
            final View view = views[s];
            if (!exists(s, store.range(KEYS[s], Long.MIN_VALUE, Long.MAX_VALUE, limit, cursor)))
            {
                return;
            }
            scratchSize = 0;
            if (rnd.nextBoolean())
            {
                readChunks(cursor, s, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            else
            {
                while (cursor.next())
                {
                    onBar(s, Long.MIN_VALUE, Long.MAX_VALUE, cursor.ts(), cursor.open(), cursor.high(), cursor.low(),
                        cursor.close(), cursor.volume(), cursor.vwap(), cursor.trades());
                }
            }
            check(scratchSize <= limit, scratchSize + " bars for limit " + limit);
            check(scratchSize >= Math.min(limit, view.count),
                "only " + scratchSize + " bars for limit " + limit + " though " + view.count + " were seen before");
            if (scratchSize > 0)
            {
                if (scratch[scratchSize - 1] < view.lastTs)
                {
                    check(false, "last ts went back from " + view.lastTs + " (seen by " + view.lastTsSeenBy +
                        ") to " + scratch[scratchSize - 1] + " (" + scratchSize + " bars from " + scratch[0] + "); " +
                        diagnose(cursor, s));
                }
                view.lastTs = scratch[scratchSize - 1];
                view.lastTsSeenBy = context;
                // The newest N now must include every earlier-seen bar at or after the first one returned.
                checkContains(view.fullTs, scratch[0], Long.MAX_VALUE);
            }
        }

        private void window(final BarCursor cursor, final int s)
        {
            final View view = views[s];
            if (view.fullTs.length < 2)
            {
                return;
            }
            final long first = view.fullTs[0];
            final long last = view.fullTs[view.fullTs.length - 1];
            final long a = first + (long)(rnd.nextDouble() * (last - first));
            final long b = a + (long)(rnd.nextDouble() * (last + 1 - a));
            context += "range[" + a + ", " + b + "): ";
            if (!exists(s, store.range(KEYS[s], a, b, cursor)))
            {
                return;
            }
            scratchSize = 0;
            if (rnd.nextBoolean())
            {
                readChunks(cursor, s, a, b);
            }
            else
            {
                while (cursor.next())
                {
                    onBar(s, a, b, cursor.ts(), cursor.open(), cursor.high(), cursor.low(), cursor.close(),
                        cursor.volume(), cursor.vwap(), cursor.trades());
                }
            }
            checkContains(view.fullTs, a, b);
        }

        private void stats(final int s)
        {
            context += "stats(): ";
            final View view = views[s];
            final SeriesStats stats = store.stats(KEYS[s]);
            if (!exists(s, stats != null))
            {
                return;
            }
            check(stats.barCount() > 0, "stats() of an existing series shows no bars: " + stats);
            check(stats.barCount() >= view.statsCount && stats.lastTs() >= view.statsLastTs, "stats() went back from " +
                view.statsCount + " bars up to " + view.statsLastTs + " to " + stats);
            view.statsCount = stats.barCount();
            view.statsLastTs = stats.lastTs();
            check(stats.firstTs() <= stats.lastTs() && stats.firstTs() >= BASE[s],
                "stats() is inconsistent: " + stats);
        }

        /** What the store shows right after a failed read, for the failure message. */
        private String diagnose(final BarCursor cursor, final int s)
        {
            cursor.release();
            final StringBuilder sb = new StringBuilder("right after: stats() ").append(store.stats(KEYS[s]));
            int n = 0;
            store.latest(KEYS[s], cursor);
            while (cursor.next())
            {
                n++;
            }
            cursor.release();
            sb.append(", latest() again gives ").append(n).append(" bars");
            n = 0;
            long last = Long.MIN_VALUE;
            store.range(KEYS[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            while (cursor.next())
            {
                n++;
                last = cursor.ts();
            }
            cursor.release();
            return sb.append(", range(all) ").append(n).append(" bars, the last at ").append(last)
                .append("; this reader saw ").append(views[s].count).append(" bars up to ").append(views[s].lastTs)
                .toString();
        }

        private boolean exists(final int s, final boolean found)
        {
            check(found || !views[s].exists, "the series was found before but is not found now");
            views[s].exists |= found;
            return found;
        }

        /** Walks the chunks, checking each row; retains one in-place chunk and checks it never changes. */
        private void readChunks(final BarCursor cursor, final int s, final long start, final long end)
        {
            Mapping retained = null;
            final long[] retainedAddress = new long[Column.values().length];
            int retainedRows = 0;
            byte[][] snapshot = null;
            try
            {
                while (cursor.nextChunk())
                {
                    final int rows = cursor.chunkRows();
                    if (rows == 0)
                    {
                        continue;
                    }
                    for (final Column c : Column.values())
                    {
                        columns[c.ordinal()].wrap(cursor.chunkAddress(c), rows * 8);
                    }
                    for (int i = 0; i < rows; i++)
                    {
                        final int o = i * 8;
                        onBar(s, start, end,
                            columns[0].getLong(o, ByteOrder.LITTLE_ENDIAN),
                            columns[1].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[2].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[3].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[4].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[5].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[6].getDouble(o, ByteOrder.LITTLE_ENDIAN),
                            columns[7].getLong(o, ByteOrder.LITTLE_ENDIAN));
                    }
                    final Mapping mapping = cursor.chunkMapping();
                    if (retained == null && mapping != null && rnd.nextInt(3) == 0)
                    {
                        check(mapping.tryRetain(), "tryRetain() failed on the mapping of the current chunk");
                        retained = mapping;
                        retainedRows = rows;
                        snapshot = new byte[Column.values().length][rows * 8];
                        for (final Column c : Column.values())
                        {
                            retainedAddress[c.ordinal()] = cursor.chunkAddress(c);
                            columns[c.ordinal()].getBytes(0, snapshot[c.ordinal()]);
                            check(retainedAddress[c.ordinal()] >= mapping.address() &&
                                    retainedAddress[c.ordinal()] + rows * 8L <= mapping.address() + mapping.length(),
                                "column " + c + " of the chunk lies outside its mapping");
                        }
                    }
                }
                if (retained != null)
                {
                    Thread.yield(); // give the writer a chance to rewrite or evict the partition
                    for (final Column c : Column.values())
                    {
                        final UnsafeBuffer now = new UnsafeBuffer(retainedAddress[c.ordinal()], retainedRows * 8);
                        final byte[] bytes = new byte[retainedRows * 8];
                        now.getBytes(0, bytes);
                        check(Arrays.equals(bytes, snapshot[c.ordinal()]), "column " + c + " of a retained in-place " +
                            "chunk of " + retainedRows + " rows changed after it was handed out");
                    }
                }
            }
            finally
            {
                if (retained != null)
                {
                    retained.release();
                }
            }
        }

        /** True while checking a bar from the newest-bar copy rather than from a cursor. */
        private boolean readingCopy;

        private void onBar(
            final int s, final long start, final long end, final long ts, final double open, final double high,
            final double low, final double close, final double volume, final double vwap, final long trades)
        {
            final Timeframe tf = KEYS[s].timeframe();
            final String invalid = TestBars.checkValid(tf, ts, open, high, low, close, volume, vwap, trades);
            check(invalid == null, "invalid bar " + TestBars.describe(ts, open, high, low, close, volume, vwap,
                trades) + ": " + invalid);
            final String torn = TestBars.checkVersioned(ts, open, high, low, close, volume, vwap, trades);
            check(torn == null, torn);
            check(ts >= start && ts < end, "bar " + ts + " outside the range asked for");
            if (scratchSize > 0)
            {
                check(ts > scratch[scratchSize - 1], "ts not strictly increasing: " + scratch[scratchSize - 1] +
                    " then " + ts);
            }
            final long slot = (ts - BASE[s]) / tf.nanos();
            check(ts >= BASE[s] && slot < MAX_SLOTS, "ts " + ts + " was never written");
            final View view = views[s];
            final int[] versions = readingCopy ? view.copyVersion : view.version;
            check(trades >= versions[(int)slot], "bar at " + ts + " went back from version " +
                versions[(int)slot] + " to " + trades);
            versions[(int)slot] = (int)trades;
            if (scratchSize == scratch.length)
            {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
            }
            scratch[scratchSize++] = ts;
        }

        /** Every ts of {@code before} in [start, end) must be among the ts just read. */
        private void checkContains(final long[] before, final long start, final long end)
        {
            int j = 0;
            for (final long ts : before)
            {
                if (ts < start || ts >= end)
                {
                    continue;
                }
                while (j < scratchSize && scratch[j] < ts)
                {
                    j++;
                }
                check(j < scratchSize && scratch[j] == ts, "bar at " + ts + ", seen in an earlier read, is gone");
            }
        }

        private void check(final boolean ok, final String problem)
        {
            if (!ok)
            {
                throw new AssertionError(context + problem);
            }
        }
    }
}

package io.barstore.engine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link CrashRecoveryTest}: opens a store (replaying its journal), then writes the batches of a
 * {@link Workload} from a given batch number on, printing {@code ACK <n>} after each write returns, until it is killed.
 * <p>
 * Arguments: {@code dataDir syncPolicy seed startBatch logFile}. Lines: {@code READY <start>}, {@code ACK <n>},
 * {@code MAINT <n>} / {@code CKPT <n>} before a maintenance call and {@code DONE <n>} after it. Each line is one
 * {@code write(2)} of a few bytes, first to the log file (opened for appending: what the parent counts, since every
 * completed write is in the file once the process is dead) and then to stdout (how the parent sees READY).
 */
public final class CrashChild
{
    /** The child gives up on its own after this long, in case its parent died without killing it. */
    private static final long MAX_LIFETIME_NANOS = 120_000_000_000L;

    private CrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dataDir = Path.of(args[0]);
        final SyncPolicy policy = SyncPolicy.valueOf(args[1]);
        final long seed = Long.parseLong(args[2]);
        final long start = Long.parseLong(args[3]);
        final FileOutputStream log = new FileOutputStream(args[4], true);
        final long deadline = System.nanoTime() + MAX_LIFETIME_NANOS;
        final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        final FileOutputStream[] out = {log, stdout};

        final Workload workload = new Workload(seed);
        final BarBatch batch = new BarBatch(512);
        while (workload.batchNo() < start)
        {
            workload.next(batch);
        }
        final Random rnd = new Random(seed * 31 + start);

        try (BarStore store = BarStore.open(config(dataDir, policy, 50)))
        {
            line(out, "READY " + start);
            long nextMaintenance = start + rnd.nextInt(120);
            int burst = 1 + rnd.nextInt(200);
            while (System.nanoTime() < deadline)
            {
                final long n = workload.batchNo();
                workload.next(batch);
                store.write(workload.key(), batch);
                line(out, "ACK " + n);
                if (n >= nextMaintenance)
                {
                    if (rnd.nextInt(3) == 0)
                    {
                        line(out, "CKPT " + n);
                        store.checkpoint();
                    }
                    else
                    {
                        line(out, "MAINT " + n);
                        store.maintain(workload.simulatedNow(rnd));
                    }
                    line(out, "DONE " + n);
                    nextMaintenance = n + 1 + rnd.nextInt(120);
                }
                if (--burst == 0)
                {
                    // Now and then a short pause, so kills also land between writes and in the background agent.
                    LockSupport.parkNanos((1 + rnd.nextInt(5)) * 1_000_000L);
                    burst = 1 + rnd.nextInt(200);
                }
            }
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            System.exit(2);
        }
        System.err.println("child ran out of time without being killed");
        System.exit(3);
    }

    /** The configuration of child and checker: the test's data directory, sync policy and maintenance interval. */
    static StoreConfig config(final Path dataDir, final SyncPolicy policy, final long maintenanceMillis)
    {
        return StoreConfig.builder(dataDir)
            .syncPolicy(policy)
            .syncIntervalMillis(20)
            .maintenanceIntervalMillis(maintenanceMillis)
            .minFreeBytes(0)
            .build();
    }

    private static void line(final FileOutputStream[] out, final String text) throws IOException
    {
        final byte[] bytes = (text + "\n").getBytes(StandardCharsets.US_ASCII);
        for (final FileOutputStream o : out)
        {
            o.write(bytes);
        }
    }

    /**
     * The seeded sequence of batches both the child and the test's model replay. Each batch goes to one series and is
     * sorted by ts without duplicates; it appends (sometimes after a gap, sometimes hundreds of bars crossing
     * partitions), replaces the newest bar, or upserts older bars (existing ones, or new ones in gaps, in days that are
     * long sealed). The sequence depends only on the seed, never on what the store holds, so a batch lost in a crash
     * changes nothing that follows: the model applies every write as "put by ts", which is what the store must do.
     */
    static final class Workload
    {
        static final SeriesKey[] KEYS = {
            SeriesKey.of("AAA", Timeframe.M5),
            SeriesKey.of("BRK.B", Timeframe.M1, "alpaca"),
            SeriesKey.of("ETH/USD", Timeframe.H1, "polygon"),
            SeriesKey.of("^GSPC", Timeframe.D1),
            // In 2099: the background agent, which goes by the wall clock, never seals it; only maintain(now) calls do.
            SeriesKey.of("ES_209912", Timeframe.M15),
        };
        static final long[] BASE = {
            TestBars.day("2024-02-27"),
            TestBars.day("2024-01-30"),
            TestBars.day("2023-12-20"),
            TestBars.day("2019-12-16"),
            TestBars.day("2099-12-30"),
        };

        private final Random rnd;
        private final long[] nextSlot = new long[KEYS.length];
        private final TreeSet<Long> slots = new TreeSet<>();
        private long batchNo;
        private int series;
        private String op;

        Workload(final long seed)
        {
            this.rnd = new Random(seed);
        }

        /** The number of the batch the next call to {@link #next} makes. */
        long batchNo()
        {
            return batchNo;
        }

        /** The series of the last batch made. */
        SeriesKey key()
        {
            return KEYS[series];
        }

        /** What the last batch does, for failure messages. */
        String op()
        {
            return op;
        }

        void next(final BarBatch out)
        {
            out.clear();
            slots.clear();
            series = rnd.nextInt(KEYS.length);
            final long n = nextSlot[series];
            final int r = rnd.nextInt(100);
            if (n == 0 || r < 40)
            {
                op = "append";
                if (n > 0 && rnd.nextInt(3) == 0)
                {
                    op = "replace newest + append";
                    slots.add(n - 1);
                }
                long slot = n + (rnd.nextInt(25) == 0 ? rnd.nextInt(400) : 0);
                for (int k = 1 + rnd.nextInt(8); k > 0; k--)
                {
                    slots.add(slot);
                    slot += 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0);
                }
            }
            else if (r < 70)
            {
                op = "replace newest";
                slots.add(n - 1);
            }
            else if (r < 98)
            {
                op = "upsert older";
                for (int k = 1 + rnd.nextInt(6); k > 0; k--)
                {
                    slots.add(rnd.nextLong(n));
                }
                if (rnd.nextInt(4) == 0)
                {
                    op = "upsert older + append";
                    slots.add(n);
                }
            }
            else
            {
                op = "big append";
                for (int k = 50 + rnd.nextInt(250), i = 0; i < k; i++)
                {
                    slots.add(n + i);
                }
            }
            final long step = KEYS[series].timeframe().nanos();
            for (final long slot : slots)
            {
                TestBars.addRandom(out, rnd, BASE[series] + slot * step);
            }
            nextSlot[series] = Math.max(n, slots.last() + 1);
            batchNo++;
        }

        /** A "now" for maintain(): a day or two after the newest bar of a random series, so past days get sealed. */
        long simulatedNow(final Random random)
        {
            final int s = random.nextInt(KEYS.length);
            final long newest = BASE[s] + Math.max(0, nextSlot[s] - 1) * KEYS[s].timeframe().nanos();
            return Math.floorDiv(newest, TestBars.NANOS_PER_DAY) * TestBars.NANOS_PER_DAY +
                random.nextInt(3) * TestBars.NANOS_PER_DAY;
        }
    }
}

package io.barstore.engine;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a writing child JVM with SIGKILL at seeded random moments, round after round in the same data directory, and
 * checks after every kill that the store holds exactly the acknowledged writes: every bar of every acknowledged batch
 * with its last-written values, the one batch in flight wholly or not at all, nothing else, no duplicate ts, and a
 * clean {@link BarStore#verify()}. Kills land in writes (before and after the journal append, and in the fsync of
 * PER_BATCH), in the child's maintain() (sealing, consolidation into months, rewrites) and checkpoint() calls, in the
 * background agent's work (every 50 ms), and now and then in the replay of the previous crash. An ACK counts once the
 * child has written it to its log file, after write() returned.
 * <p>
 * Most rounds are checked on a copy of the crashed directory, so the next child recovers from the crash itself; every
 * fourth round the test opens the directory in place, so the next child starts from a recovered, cleanly closed store.
 * <p>
 * Rerun a failure with {@code -Dbarstore.test.seed=<seed>}; {@code -Dbarstore.test.crash.rounds=N} sets the rounds.
 */
@Tag("slow")
class CrashRecoveryTest
{
    private static final int ROUNDS = TestBars.intProp("barstore.test.crash.rounds", 24);
    private static final long READY_TIMEOUT_MS = 60_000;
    /** A whole run takes well under a minute; a hang (a reader spinning for ever) fails after this, naming the seed. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = SyncPolicy.class, names = {"NONE", "PER_BATCH"})
    void acknowledgedBatchesSurviveSigkill(final SyncPolicy policy) throws Exception
    {
        final long seed = TestBars.seed();
        final Run run = new Run(policy, seed, tmp);
        try
        {
            assertTimeoutPreemptively(RUN_LIMIT, run::rounds, () -> "no end after " + RUN_LIMIT + ": a hang");
        }
        catch (final AssertionError | Exception ex)
        {
            throw new AssertionError("crash test failed; seed=" + seed + " policy=" + policy +
                " (rerun with -Dbarstore.test.seed=" + seed + ")\n" + ex.getMessage() + run.context(), ex);
        }
    }

    /** One crash run: the rounds, the model of what must be stored, and what is known about the last child. */
    private static final class Run
    {
        final SyncPolicy policy;
        final long seed;
        final Path tmp;
        final Path data;
        final Random rnd;
        final CrashChild.Workload workload;
        final BarBatch batch = new BarBatch(512);
        final Map<SeriesKey, TreeMap<Long, long[]>> model = new HashMap<>();

        int round;
        long start;
        long lastAck = -1;
        boolean earlyKill;
        boolean fromFirstAck;
        long firstAckMs = -1;
        long slowestFirstAckMs;
        long killDelayMs;
        String lastLine = "";
        String previousInFlight = "none";
        Path childLog;
        int inFlightPresent;
        int inFlightAbsent;
        int roundsWithAcks;
        int killsInMaintenance;
        long ackedTotal;

        Run(final SyncPolicy policy, final long seed, final Path tmp)
        {
            this.policy = policy;
            this.seed = seed;
            this.tmp = tmp;
            this.data = tmp.resolve("data");
            this.rnd = new Random(seed ^ 0x5DEECE66DL);
            this.workload = new CrashChild.Workload(seed);
        }

        void rounds() throws Exception
        {
            final long began = System.nanoTime();
            for (round = 0; round < ROUNDS; round++)
            {
                // Every sixth round the kill comes at a random time after the JVM starts, so it can land in the
                // replay of the previous crash; the others kill a writing child. Most of those are timed from the
                // first acknowledged write rather than from READY: how long the first write takes (creating files,
                // the first fsync) varies tenfold between machines, and on a slow disk a kill timed from READY
                // lands before anything was acknowledged. One round in four still counts from READY, so kills also
                // land in the first write. The choice is by round number so every seed has 16 rounds in 24 that
                // write before the kill.
                earlyKill = round % 6 == 5;
                fromFirstAck = !earlyKill && round % 4 != 1;
                killDelayMs = earlyKill ? 200 + rnd.nextInt(1500) : 20 + rnd.nextInt(1000);
                runChild();
                checkAfterKill(round % 4 == 3);
                start = lastAck + 2; // the in-flight batch is never resent: it is now either in the model or lost
            }
            // Last: a clean open in place, a full check, and nothing of the store left mapped in this JVM.
            checkStore(data, null);
            assertEquals(List.of(), BoundedMappingsTest.mappedBarFiles(data),
                "partition files of a closed store are still mapped");
            System.out.printf("CrashRecoveryTest[%s] seed=%d: %d rounds in %d ms, %d acknowledged batches, %d rounds " +
                    "with acks, in-flight batch present %d / absent %d, %d kills during maintain/checkpoint, " +
                    "slowest first write %d ms%n",
                policy, seed, ROUNDS, (System.nanoTime() - began) / 1_000_000, ackedTotal, roundsWithAcks,
                inFlightPresent, inFlightAbsent, killsInMaintenance, slowestFirstAckMs);
            assertTrue(roundsWithAcks >= ROUNDS / 2,
                "too few rounds wrote anything before the kill (" + roundsWithAcks + " of " + ROUNDS +
                    "): the test proved little; is the store very slow to open?");
        }

        private void runChild() throws Exception
        {
            childLog = tmp.resolve("child-" + round + ".log");
            final Path ackLog = tmp.resolve("child-" + round + ".acks");
            final ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + barstoreRoot().resolve("jvm.options"),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dagrona.disable.bounds.checks=false",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                data.toString(), policy.name(), Long.toString(seed), Long.toString(start), ackLog.toString());
            pb.redirectError(childLog.toFile());
            final Process child = pb.start();
            final long startedAt = System.nanoTime();
            final ChildOutput output = new ChildOutput(child.getInputStream(), start);
            output.start();
            try
            {
                if (earlyKill)
                {
                    Thread.sleep(killDelayMs);
                }
                else
                {
                    final long until = startedAt + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
                    while (!output.ready.await(10, TimeUnit.MILLISECONDS))
                    {
                        if (!child.isAlive() || System.nanoTime() > until)
                        {
                            break;
                        }
                    }
                    if (output.ready.getCount() != 0)
                    {
                        fail(child.isAlive() ?
                            "child did not open the store within " + READY_TIMEOUT_MS + " ms" :
                            "child exited with status " + child.exitValue() + " before opening the store");
                    }
                    if (fromFirstAck)
                    {
                        final long readyAt = System.nanoTime();
                        while (!output.firstAck.await(10, TimeUnit.MILLISECONDS))
                        {
                            if (!child.isAlive() || System.nanoTime() > until)
                            {
                                break;
                            }
                        }
                        if (output.firstAck.getCount() != 0)
                        {
                            fail(child.isAlive() ?
                                "child acknowledged no write within " + READY_TIMEOUT_MS + " ms of starting" :
                                "child exited with status " + child.exitValue() + " before its first write returned");
                        }
                        firstAckMs = (System.nanoTime() - readyAt) / 1_000_000;
                        slowestFirstAckMs = Math.max(slowestFirstAckMs, firstAckMs);
                    }
                    Thread.sleep(killDelayMs);
                }
                if (!child.isAlive())
                {
                    output.join(10_000);
                    fail("child exited by itself with status " + child.exitValue() + " (last line '" +
                        output.lastLine + "')");
                }
            }
            finally
            {
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child did not exit");
                output.join(30_000);
            }
            // What the dead child wrote to its log file is complete. Its stdout is not: after a SIGKILL the last
            // lines in the pipe can go missing on this side (seen here: stdout ended at ACK 748, the file at
            // ACK 752), so stdout only tells when the store is open.
            final ChildOutput logged;
            try (InputStream in = Files.exists(ackLog) ? Files.newInputStream(ackLog) : InputStream.nullInputStream())
            {
                logged = new ChildOutput(in, start);
                logged.run();
            }
            lastAck = logged.lastAck;
            lastLine = logged.lastLine;
            if (logged.error != null || output.error != null)
            {
                fail("bad output from child: " + (logged.error != null ? logged.error : output.error));
            }
            if (output.lastAck > lastAck)
            {
                fail("the child's stdout says its last ACK was " + output.lastAck + ", its log file " + lastAck);
            }
            if (lastAck >= start)
            {
                roundsWithAcks++;
                ackedTotal += lastAck - start + 1;
            }
            if (lastLine.startsWith("MAINT") || lastLine.startsWith("CKPT"))
            {
                killsInMaintenance++;
            }
        }

        /** Brings the model up to the last acknowledged batch, then checks the crashed store against it. */
        private void checkAfterKill(final boolean inPlace) throws IOException
        {
            while (workload.batchNo() <= lastAck)
            {
                workload.next(batch);
                apply(workload.key(), batch);
            }
            workload.next(batch); // the batch that was in flight: batch number lastAck + 1
            final InFlight inFlight = new InFlight(workload.key(), batch, workload.op(), lastAck + 1);
            final Path dir = inPlace ? data : copyOf(data, tmp.resolve("check-" + round));
            checkStore(dir, inFlight);
            if (inFlight.present)
            {
                apply(inFlight.key, batch);
                inFlightPresent++;
            }
            else
            {
                inFlightAbsent++;
            }
            previousInFlight = "batch " + inFlight.number + " (" + inFlight.op + ", " + inFlight.batch.size() +
                " bars of " + inFlight.key + ") was in flight in round " + round + " and found " +
                (inFlight.present ? "present" : "absent") + (inPlace ? " in place" : " on a copy");
            if (!inPlace)
            {
                deleteTree(dir);
            }
        }

        /**
         * Opens the store in {@code dir} and compares everything it holds with the model, allowing the in-flight
         * batch (if any) to be wholly present or wholly absent; records which in {@code inFlight}.
         */
        private void checkStore(final Path dir, final InFlight inFlight)
        {
            final List<String> problems = new ArrayList<>();
            final Map<SeriesKey, TreeMap<Long, long[]>> seen = new HashMap<>();
            try (BarStore store = BarStore.open(CrashChild.config(dir, policy, 0)))
            {
                final BarCursor cursor = store.newCursor(); // every read below releases it again
                for (final SeriesKey key : store.seriesKeys())
                {
                    seen.put(key, readSeries(store, key, cursor, problems));
                }
                int present = 0;
                int absent = 0;
                if (inFlight != null)
                {
                    final TreeMap<Long, long[]> stored = seen.getOrDefault(inFlight.key, new TreeMap<>());
                    final TreeMap<Long, long[]> before = model.getOrDefault(inFlight.key, new TreeMap<>());
                    for (int i = 0; i < inFlight.batch.size(); i++)
                    {
                        final long ts = inFlight.batch.ts(i);
                        final long[] s = stored.get(ts);
                        if (Arrays.equals(s, bits(inFlight.batch, i)))
                        {
                            present++;
                        }
                        else if (Arrays.equals(s, before.get(ts)))
                        {
                            absent++;
                        }
                        else
                        {
                            problems.add(inFlight.key + " in-flight bar " + TestBars.describe(inFlight.batch, i) +
                                ": stored " + show(ts, s) + " is neither it nor the acknowledged " +
                                show(ts, before.get(ts)));
                        }
                    }
                    inFlight.present = present > 0;
                    if (present > 0 && absent > 0)
                    {
                        problems.add("in-flight batch " + inFlight.number + " (" + inFlight.op + ", " +
                            inFlight.batch.size() + " bars, " + inFlight.key + ") is partly applied: " + present +
                            " bars present, " + absent + " absent");
                    }
                }
                final Set<SeriesKey> keys = new TreeSet<>(Comparator.comparing(SeriesKey::toString));
                keys.addAll(seen.keySet());
                keys.addAll(model.keySet());
                for (final SeriesKey key : keys)
                {
                    final TreeMap<Long, long[]> expected = new TreeMap<>(model.getOrDefault(key, new TreeMap<>()));
                    final TreeMap<Long, long[]> stored = seen.getOrDefault(key, new TreeMap<>());
                    if (inFlight != null && key.equals(inFlight.key))
                    {
                        for (int i = 0; i < inFlight.batch.size(); i++)
                        {
                            final long ts = inFlight.batch.ts(i);
                            if (inFlight.present)
                            {
                                expected.put(ts, bits(inFlight.batch, i));
                            }
                            else if (!expected.containsKey(ts) && stored.containsKey(ts) &&
                                !Arrays.equals(stored.get(ts), bits(inFlight.batch, i)))
                            {
                                expected.put(ts, stored.get(ts)); // already reported above
                            }
                        }
                    }
                    compareSeries(key, expected, stored, problems);
                    if (!expected.isEmpty())
                    {
                        checkQueries(store, cursor, key, expected, problems);
                    }
                }
                final List<String> verify = store.verify();
                if (!verify.isEmpty())
                {
                    problems.add("verify() found problems: " + verify);
                }
            }
            if (!problems.isEmpty())
            {
                fail(problems.size() + " problem(s) in " + (inFlight == null ? "final in-place check" :
                    "round " + round + (dir.equals(data) ? " (in place)" : " (on a copy)")) + ":\n  " +
                    String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
            }
        }

        private static void compareSeries(
            final SeriesKey key, final TreeMap<Long, long[]> expected, final TreeMap<Long, long[]> stored,
            final List<String> problems)
        {
            if (expected.isEmpty() && !stored.isEmpty())
            {
                problems.add(key + " is listed by seriesKeys() with " + stored.size() +
                    " bars but no acknowledged write made it");
            }
            int reported = 0;
            final TreeSet<Long> all = new TreeSet<>(expected.keySet());
            all.addAll(stored.keySet());
            for (final long ts : all)
            {
                final long[] e = expected.get(ts);
                final long[] s = stored.get(ts);
                if (!Arrays.equals(e, s) && reported++ < 10)
                {
                    problems.add(key + (e == null ? " has a bar nobody acknowledged: " + show(ts, s) :
                        s == null ? " lost acknowledged bar " + show(ts, e) :
                            " bar at " + ts + " is " + show(ts, s) + ", acknowledged " + show(ts, e)));
                }
            }
            if (reported > 10)
            {
                problems.add(key + ": " + (reported - 10) + " more differing bars; expected " + expected.size() +
                    " bars, stored " + stored.size());
            }
        }

        /** latest(), range with a limit, a window, and stats() agree with the full read. */
        private void checkQueries(
            final BarStore store, final BarCursor cursor, final SeriesKey key, final TreeMap<Long, long[]> expected,
            final List<String> problems)
        {
            if (!store.latest(key, cursor) || !cursor.next())
            {
                problems.add(key + ": latest() found nothing");
            }
            else if (!Arrays.equals(bits(cursor), expected.lastEntry().getValue()) ||
                cursor.ts() != expected.lastKey())
            {
                problems.add(key + ": latest() is " + show(cursor.ts(), bits(cursor)) + ", expected " +
                    show(expected.lastKey(), expected.lastEntry().getValue()));
            }
            cursor.release();
            final Bar bar = new Bar();
            if (!store.latest(key, bar))
            {
                problems.add(key + ": latest(key, bar) found nothing");
            }
            else if (bar.ts() != expected.lastKey() || !Arrays.equals(new long[] {
                Double.doubleToLongBits(bar.open()), Double.doubleToLongBits(bar.high()),
                Double.doubleToLongBits(bar.low()), Double.doubleToLongBits(bar.close()),
                Double.doubleToLongBits(bar.volume()), Double.doubleToLongBits(bar.vwap()), bar.trades()},
                expected.lastEntry().getValue()))
            {
                problems.add(key + ": latest(key, bar) is " + bar + ", expected " +
                    show(expected.lastKey(), expected.lastEntry().getValue()));
            }
            final int limit = 1 + rnd.nextInt(20);
            final List<Long> all = new ArrayList<>(expected.keySet());
            final List<Long> newest = all.subList(Math.max(0, all.size() - limit), all.size());
            final List<Long> got = new ArrayList<>();
            store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, limit, cursor);
            while (cursor.next())
            {
                got.add(cursor.ts());
            }
            cursor.release();
            if (!got.equals(newest))
            {
                problems.add(key + ": range(limit " + limit + ") gave ts " + got + ", expected " + newest);
            }
            final long a = expected.firstKey() + (long)(rnd.nextDouble() * (expected.lastKey() - expected.firstKey()));
            final long b = a + (long)(rnd.nextDouble() * (expected.lastKey() + 1 - a));
            final List<Long> window = new ArrayList<>();
            store.range(key, a, b, cursor);
            while (cursor.next())
            {
                window.add(cursor.ts());
            }
            cursor.release();
            final List<Long> expectedWindow = new ArrayList<>(expected.subMap(a, b).keySet());
            if (!window.equals(expectedWindow))
            {
                problems.add(key + ": range [" + a + ", " + b + ") gave " + window.size() + " bars, expected " +
                    expectedWindow.size());
            }
            final SeriesStats stats = store.stats(key);
            if (stats == null || stats.barCount() != expected.size() || stats.firstTs() != expected.firstKey() ||
                stats.lastTs() != expected.lastKey())
            {
                problems.add(key + ": stats() is " + stats + ", expected " + expected.size() + " bars from " +
                    expected.firstKey() + " to " + expected.lastKey());
            }
        }

        private static TreeMap<Long, long[]> readSeries(
            final BarStore store, final SeriesKey key, final BarCursor cursor, final List<String> problems)
        {
            final TreeMap<Long, long[]> bars = new TreeMap<>();
            if (!store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
            {
                problems.add(key + " is listed by seriesKeys() but range() says there is no such series");
                return bars;
            }
            long previous = Long.MIN_VALUE;
            boolean first = true;
            while (cursor.next())
            {
                final long ts = cursor.ts();
                if (!first && ts <= previous)
                {
                    problems.add(key + ": ts not strictly increasing: " + previous + " then " + ts +
                        (ts == previous ? " (duplicate bar)" : ""));
                }
                final String invalid = TestBars.checkValid(key.timeframe(), ts, cursor.open(), cursor.high(),
                    cursor.low(), cursor.close(), cursor.volume(), cursor.vwap(), cursor.trades());
                if (invalid != null)
                {
                    problems.add(key + ": invalid bar " + show(ts, bits(cursor)) + ": " + invalid);
                }
                bars.put(ts, bits(cursor));
                previous = ts;
                first = false;
            }
            cursor.release();
            return bars;
        }

        private void apply(final SeriesKey key, final BarBatch b)
        {
            final TreeMap<Long, long[]> series = model.computeIfAbsent(key, k -> new TreeMap<>());
            for (int i = 0; i < b.size(); i++)
            {
                series.put(b.ts(i), bits(b, i));
            }
        }

        String context()
        {
            final StringBuilder sb = new StringBuilder();
            sb.append("\nround ").append(round).append(" of ").append(ROUNDS).append(": child started at batch ")
                .append(start).append(", last ACK ").append(lastAck).append(", last line '").append(lastLine)
                .append("', ").append(earlyKill ? "early kill " : "kill ").append(killDelayMs).append(" ms after ")
                .append(earlyKill ? "start" : fromFirstAck ? "the first ACK (" + firstAckMs + " ms after READY)" : "READY").append("; model: ");
            model.forEach((k, v) -> sb.append(k).append('=').append(v.size()).append(" bars "));
            sb.append("\nlast in-flight batch judged: ").append(previousInFlight)
                .append(" (if the differences are its bars, the replay of one crash gave different results on the ")
                .append("copy and on the original)");
            if (childLog != null && Files.exists(childLog))
            {
                try
                {
                    final String log = Files.readString(childLog);
                    sb.append("\nchild stderr (tail):\n").append(log.substring(Math.max(0, log.length() - 4000)));
                }
                catch (final IOException ignored)
                {
                    // context only
                }
            }
            return sb.toString();
        }
    }

    /** The batch that was being written when the child died. */
    private static final class InFlight
    {
        final SeriesKey key;
        final BarBatch batch;
        final String op;
        final long number;
        boolean present;

        InFlight(final SeriesKey key, final BarBatch batch, final String op, final long number)
        {
            this.key = key;
            this.batch = batch;
            this.op = op;
            this.number = number;
        }
    }

    /** Reads the child's lines (stdout, or its log file once it is dead): whole lines only, ACKs in order. */
    private static final class ChildOutput extends Thread
    {
        final InputStream in;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch firstAck = new CountDownLatch(1);
        volatile long lastAck;
        volatile String lastLine = "";
        volatile String error;

        ChildOutput(final InputStream in, final long start)
        {
            super("crash-child-stdout");
            setDaemon(true);
            this.in = in;
            this.lastAck = start - 1;
        }

        public void run()
        {
            final StringBuilder line = new StringBuilder();
            final byte[] buffer = new byte[8192];
            try
            {
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        final char c = (char)(buffer[i] & 0xFF);
                        if (c == '\n')
                        {
                            onLine(line.toString());
                            line.setLength(0);
                        }
                        else
                        {
                            line.append(c);
                        }
                    }
                }
            }
            catch (final IOException ex)
            {
                // the pipe closes when the child dies
            }
        }

        private void onLine(final String text)
        {
            lastLine = text;
            if (text.startsWith("ACK "))
            {
                final long n = Long.parseLong(text.substring(4).trim());
                if (n != lastAck + 1 && error == null)
                {
                    error = "ACK " + n + " after ACK " + lastAck;
                }
                lastAck = n;
                firstAck.countDown();
            }
            else if (text.startsWith("READY"))
            {
                ready.countDown();
            }
        }
    }

    static Path barstoreRoot()
    {
        final String root = System.getProperty("barstore.root");
        if (root != null && !root.isBlank())
        {
            return Path.of(root);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("jvm.options")))
        {
            dir = dir.getParent();
        }
        if (dir == null)
        {
            throw new IllegalStateException("cannot find jvm.options; set -Dbarstore.root");
        }
        return dir;
    }

    private static long[] bits(final BarBatch b, final int i)
    {
        return new long[] {
            Double.doubleToLongBits(b.open(i)), Double.doubleToLongBits(b.high(i)), Double.doubleToLongBits(b.low(i)),
            Double.doubleToLongBits(b.close(i)), Double.doubleToLongBits(b.volume(i)),
            Double.doubleToLongBits(b.vwap(i)), b.trades(i)};
    }

    private static long[] bits(final BarCursor c)
    {
        return new long[] {
            Double.doubleToLongBits(c.open()), Double.doubleToLongBits(c.high()), Double.doubleToLongBits(c.low()),
            Double.doubleToLongBits(c.close()), Double.doubleToLongBits(c.volume()),
            Double.doubleToLongBits(c.vwap()), c.trades()};
    }

    private static String show(final long ts, final long[] v)
    {
        return v == null ? "(none at " + ts + ")" : TestBars.describe(ts, Double.longBitsToDouble(v[0]),
            Double.longBitsToDouble(v[1]), Double.longBitsToDouble(v[2]), Double.longBitsToDouble(v[3]),
            Double.longBitsToDouble(v[4]), Double.longBitsToDouble(v[5]), v[6]);
    }

    private static Path copyOf(final Path from, final Path to) throws IOException
    {
        if (!Files.exists(from))
        {
            Files.createDirectories(to);
            return to;
        }
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path p : (Iterable<Path>)paths::iterator)
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(p);
            }
        }
    }
}

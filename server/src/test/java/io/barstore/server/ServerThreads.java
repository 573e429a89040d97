package io.barstore.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap allocated and CPU used by the server's own threads (Jetty's pool, named {@link BarServer#THREAD_NAME_PREFIX}),
 * summed, so that a client in the same JVM (its {@code HttpClient} threads, the reading thread) is left out. A
 * snapshot is taken per live thread; the difference of two counts threads started in between from zero. A pool
 * thread that ends in between takes its count with it, so measure over seconds, not over Jetty's idle timeout.
 */
final class ServerThreads
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final Map<Long, long[]> byThread;

    private ServerThreads(final Map<Long, long[]> byThread)
    {
        this.byThread = byThread;
    }

    /** Allocated bytes and CPU time of every live server thread now. */
    static ServerThreads snapshot()
    {
        final Map<Long, long[]> byThread = new HashMap<>();
        for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().startsWith(BarServer.THREAD_NAME_PREFIX))
            {
                final long id = info.getThreadId();
                byThread.put(id, new long[] {THREADS.getThreadAllocatedBytes(id), THREADS.getThreadCpuTime(id)});
            }
        }
        return new ServerThreads(byThread);
    }

    /** Bytes the server threads allocated since {@code before}. */
    long allocatedSince(final ServerThreads before)
    {
        return since(before, 0);
    }

    /** CPU nanoseconds the server threads used since {@code before}. */
    long cpuNanosSince(final ServerThreads before)
    {
        return since(before, 1);
    }

    /**
     * A snapshot taken once the server threads have stopped allocating (two looks 50 ms apart agree), so the tail of
     * a response (Jetty's completion after the client has read the last byte) is counted. Gives up after 5 s.
     */
    static ServerThreads quiet() throws InterruptedException
    {
        ServerThreads last = snapshot();
        for (int i = 0; i < 100; i++)
        {
            Thread.sleep(50);
            final ServerThreads now = snapshot();
            if (now.allocatedSince(last) == 0)
            {
                return now;
            }
            last = now;
        }
        return last;
    }

    private long since(final ServerThreads before, final int field)
    {
        long sum = 0;
        for (final Map.Entry<Long, long[]> thread : byThread.entrySet())
        {
            final long[] then = before.byThread.get(thread.getKey());
            final long now = thread.getValue()[field];
            if (now >= 0)
            {
                sum += now - (then == null || then[field] < 0 ? 0 : then[field]);
            }
        }
        return sum;
    }
}

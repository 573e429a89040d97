package io.barstore.server.archive;

import io.barstore.engine.BarStore;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's archiving policy: every {@link #INTERVAL_SECONDS} a pass archives the sealed partitions whose period
 * ended more than the configured number of days ago, and re-archives any that an upsert or deletion has rewritten;
 * a write that replaced or upserted bars asks for a pass within a second ({@link #soon()}).
 */
public final class BackgroundArchiver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundArchiver.class);
    public static final long INTERVAL_SECONDS = 60;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final Archiver archiver;
    private final int afterDays;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "barstore-archiver");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    /** How soon after a write that replaced or upserted bars a pass runs (passes coalesce). */
    static final long SOON_MILLIS = 1_000;

    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();

    public BackgroundArchiver(final BarStore store, final BufferAllocator allocator, final int afterDays)
    {
        this.archiver = new Archiver(store, allocator);
        this.afterDays = afterDays;
    }

    public BackgroundArchiver start()
    {
        executor.scheduleWithFixedDelay(this::runOnce, 5, INTERVAL_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Asks for a pass within about a second: a write replaced or upserted older bars, so a sealed partition that is
     * archived may have been rewritten. Cheap to call often: requests coalesce into one pass.
     */
    public void soon()
    {
        if (pending.compareAndSet(false, true))
        {
            try
            {
                executor.schedule(() ->
                {
                    pending.set(false);
                    runOnce();
                }, SOON_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (final java.util.concurrent.RejectedExecutionException ex)
            {
                // stopping: the next start's first pass re-archives whatever changed
            }
        }
    }

    /** One pass now; failures are logged and retried at the next pass. */
    public void runOnce()
    {
        try
        {
            final Instant now = Instant.now();
            final long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            final ArchiveRun run = archiver.run(nowNanos - afterDays * NANOS_PER_DAY);
            if (run.written() > 0 || run.removed() > 0)
            {
                LOG.info("archived {} partitions ({} bars, {} bytes), removed {} stale files in {} ms", run.written(),
                    run.rows(), run.bytes(), run.removed(), run.nanos() / 1_000_000);
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("archiving failed; retried in {} s: {}", INTERVAL_SECONDS, ex.getMessage());
        }
    }

    /**
     * Stops: a pass in progress ends after the partition it is writing, and only then is DuckDB closed (closing it
     * under a running COPY is not safe), so the caller may close the store once this returns.
     */
    public void close()
    {
        archiver.stop();
        executor.shutdown();
        try
        {
            while (!executor.awaitTermination(10, TimeUnit.SECONDS))
            {
                LOG.info("waiting for the archiver to finish the partition it is writing");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        archiver.close();
    }
}

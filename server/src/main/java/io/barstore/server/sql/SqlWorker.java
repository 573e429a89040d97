package io.barstore.server.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs user SQL in a separate JVM ({@link SqlWorkerMain}) and supervises it, so that a query that crashes DuckDB
 * (native code, in-process) or exhausts memory takes down only the worker, never ingest or the bar API.
 * <p>
 * The worker is started on first use and again after it died: a request that finds it dead starts a new one. A
 * request that gets no answer within the time limit plus {@link #KILL_GRACE_MILLIS} (DuckDB did not stop when
 * interrupted) kills the worker with SIGKILL and answers 408. One query runs at a time; a request waits for its turn
 * at most the time limit, and at most {@link #MAX_WAITING} wait at all (more are refused with 503 at once), so SQL
 * requests can never hold more than a handful of the HTTP threads that ingest and the bar API need. The worker reads the store read-only and needs no lock, so it works beside the writer.
 */
public final class SqlWorker implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SqlWorker.class);
    static final long KILL_GRACE_MILLIS = 5_000;
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Path dataDir;
    private final SqlLimits limits;
    /** Requests that may wait for the worker at once, the running one included. */
    static final int MAX_WAITING = 4;

    private final ReentrantLock turn = new ReentrantLock(true);
    private final java.util.concurrent.Semaphore waiting = new java.util.concurrent.Semaphore(MAX_WAITING);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "barstore-sql-watchdog");
        t.setDaemon(true);
        return t;
    });
    private Process process;
    private DataOutputStream toWorker;
    private DataInputStream fromWorker;
    private volatile boolean closed;
    private volatile long restarts = -1;

    public SqlWorker(final Path dataDir, final SqlLimits limits)
    {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.limits = limits;
    }

    public SqlLimits limits()
    {
        return limits;
    }

    /**
     * Runs {@code sql} in the worker.
     *
     * @throws SqlException with the worker's reason, or UNAVAILABLE when it died, hung or is busy.
     */
    public byte[] query(final String sql, final SqlFormat format)
    {
        if (!waiting.tryAcquire())
        {
            throw new SqlException(SqlException.Kind.UNAVAILABLE, "the SQL worker has " + MAX_WAITING +
                " queries running or waiting already; try again shortly");
        }
        try
        {
            return queryInTurn(sql, format);
        }
        finally
        {
            waiting.release();
        }
    }

    private byte[] queryInTurn(final String sql, final SqlFormat format)
    {
        try
        {
            if (!turn.tryLock(limits.timeoutMillis(), TimeUnit.MILLISECONDS))
            {
                throw new SqlException(SqlException.Kind.UNAVAILABLE, "the SQL worker is busy with other queries for " +
                    "longer than the time limit of " + limits.timeoutMillis() + " ms; try again");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SqlException(SqlException.Kind.UNAVAILABLE, "interrupted while waiting for the SQL worker");
        }
        try
        {
            ensureStarted();
            final Process running = process;
            final ScheduledFuture<?> kill = watchdog.schedule(() ->
            {
                LOG.warn("SQL worker {} gave no answer within {} ms; killing it", running.pid(),
                    limits.timeoutMillis() + KILL_GRACE_MILLIS);
                running.destroyForcibly();
            }, limits.timeoutMillis() + KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            try
            {
                WorkerProtocol.writeRequest(toWorker, sql, format);
                return WorkerProtocol.readResponse(fromWorker);
            }
            catch (final SqlException ex)
            {
                throw ex; // the worker's own answer: it is fine
            }
            catch (final IOException | RuntimeException | OutOfMemoryError ex)
            {
                final boolean killed = kill.isDone();
                stopProcess();
                throw new SqlException(killed ? SqlException.Kind.TIMEOUT : SqlException.Kind.UNAVAILABLE,
                    killed ? "the query did not stop at the time limit of " + limits.timeoutMillis() +
                        " ms, so the SQL worker was restarted; narrow the query" :
                        "the SQL worker stopped while running the query (it is restarted for the next one): " + ex);
            }
            finally
            {
                kill.cancel(false);
            }
        }
        finally
        {
            turn.unlock();
        }
    }

    /** The worker's process id, or -1 when none runs; for tests and metrics. */
    public long pid()
    {
        final Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** How many times the worker was started again after the first start. */
    public long restarts()
    {
        return Math.max(0, restarts);
    }

    private void ensureStarted()
    {
        if (closed)
        {
            throw new SqlException(SqlException.Kind.UNAVAILABLE, "the server is stopping");
        }
        if (process != null && process.isAlive())
        {
            return;
        }
        stopProcess();
        final List<String> command = command();
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            final Process started = builder.start();
            process = started;
            restarts++;
            toWorker = new DataOutputStream(new BufferedOutputStream(started.getOutputStream(), 64 * 1024));
            fromWorker = new DataInputStream(new BufferedInputStream(started.getInputStream(), 64 * 1024));
            final ScheduledFuture<?> kill = watchdog.schedule(started::destroyForcibly, START_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
            try
            {
                final int ready = fromWorker.readInt();
                if (ready != WorkerProtocol.READY)
                {
                    throw new IOException("the worker said " + Integer.toHexString(ready) + " instead of ready");
                }
            }
            finally
            {
                kill.cancel(false);
            }
            LOG.info("SQL worker {} started", started.pid());
        }
        catch (final IOException ex)
        {
            stopProcess();
            throw new SqlException(SqlException.Kind.UNAVAILABLE, "cannot start the SQL worker: " + ex);
        }
    }

    private List<String> command()
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The module options Arrow and Agrona need (jvm.options), as this JVM got them; not its heap or agents.
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("-Dchronicle.") ||
                arg.startsWith("-Darrow."))
            {
                command.add(arg);
            }
        }
        command.add("-Xmx" + limits.workerHeapMb() + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+DisplayVMOutputToStderr"); // stdout is the protocol: HotSpot's own warnings go elsewhere
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SqlWorkerMain.class.getName());
        command.add(dataDir.toString());
        command.add(limits.memoryLimit());
        command.add(Integer.toString(limits.threads()));
        command.add(Long.toString(limits.timeoutMillis()));
        command.add(Long.toString(limits.maxRows()));
        command.add(Integer.toString(limits.workerHeapMb()));
        return command;
    }

    private void stopProcess()
    {
        final Process p = process;
        process = null;
        if (p != null)
        {
            try
            {
                toWorker.close(); // the worker exits when its stdin closes
            }
            catch (final IOException ignore)
            {
                // it is gone already
            }
            try
            {
                if (!p.waitFor(2, TimeUnit.SECONDS))
                {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    public void close()
    {
        closed = true;
        turn.lock();
        try
        {
            stopProcess();
        }
        finally
        {
            turn.unlock();
            watchdog.shutdownNow();
        }
    }
}

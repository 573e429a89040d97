package io.barstore.server.sql;

/**
 * The limits every user query runs under.
 *
 * @param timeoutMillis  a query still running after this is interrupted (408); the worker is killed and restarted if
 *                       it does not answer within a few seconds more (503).
 * @param maxRows        a result with more rows is refused (400): aggregate, or add a {@code LIMIT}.
 * @param memoryLimit    DuckDB's {@code memory_limit} in the worker ({@code 512MB}); spilling to disk is off, so a
 *                       query that needs more fails with an out-of-memory error (503).
 * @param threads        DuckDB's {@code threads} in the worker.
 * @param workerHeapMb   the worker JVM's heap (its results are built there).
 */
public record SqlLimits(long timeoutMillis, long maxRows, String memoryLimit, int threads, int workerHeapMb)
{
    public static final long TIMEOUT_MILLIS_DEFAULT = 30_000;
    public static final long MAX_ROWS_DEFAULT = 100_000;
    public static final String MEMORY_LIMIT_DEFAULT = "512MB";
    public static final int WORKER_HEAP_MB_DEFAULT = 384;

    public SqlLimits
    {
        if (timeoutMillis < 1 || maxRows < 1 || threads < 1 || workerHeapMb < 64)
        {
            throw new IllegalArgumentException("SQL limits must be positive (worker heap at least 64 MB): timeout " +
                timeoutMillis + " ms, rows " + maxRows + ", threads " + threads + ", heap " + workerHeapMb + " MB");
        }
        if (!memoryLimit.matches("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|KiB|MiB|GiB)"))
        {
            throw new IllegalArgumentException("memory limit '" + memoryLimit + "' is not a size such as 512MB or 2GB");
        }
    }

    /** 30 s, 100,000 rows, 512 MB, half the cores (at least one), a 384 MB worker heap. */
    public static SqlLimits defaults()
    {
        return new SqlLimits(TIMEOUT_MILLIS_DEFAULT, MAX_ROWS_DEFAULT, MEMORY_LIMIT_DEFAULT,
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), WORKER_HEAP_MB_DEFAULT);
    }

    public SqlLimits withTimeoutMillis(final long millis)
    {
        return new SqlLimits(millis, maxRows, memoryLimit, threads, workerHeapMb);
    }

    public SqlLimits withMaxRows(final long rows)
    {
        return new SqlLimits(timeoutMillis, rows, memoryLimit, threads, workerHeapMb);
    }

    public SqlLimits withMemoryLimit(final String limit)
    {
        return new SqlLimits(timeoutMillis, maxRows, limit, threads, workerHeapMb);
    }
}

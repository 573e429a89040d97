package io.barstore.engine;

/**
 * When the journal is forced to disk. Every policy survives a process crash (SIGKILL): an acknowledged batch is in
 * the journal's page cache before {@code write} returns, and the kernel keeps it. They differ on power loss.
 */
public enum SyncPolicy
{
    /** Never fsync on the write path: survives process crashes; a power loss can lose recent batches. */
    NONE,
    /** fsync the journal before each write returns: survives process crashes and power loss. The slowest. */
    PER_BATCH,
    /** fsync the journal every {@link StoreConfig#syncIntervalMillis()}: a power loss loses at most that window. */
    INTERVAL
}

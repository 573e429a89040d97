package io.barstore.server.archive;

/**
 * What one archiving pass did.
 *
 * @param written    partitions written to Parquet (new, or re-archived after an upsert or deletion rewrote them).
 * @param rows       bars in the files written.
 * @param bytes      bytes of the files written.
 * @param removed    archive files removed because their partition was rewritten, consolidated or deleted.
 * @param upToDate   sealed partitions whose archive file was already current.
 * @param nanos      how long the pass took.
 */
public record ArchiveRun(int written, long rows, long bytes, int removed, int upToDate, long nanos)
{
}

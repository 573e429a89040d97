package io.barstore.engine;

/**
 * What a reader outside the engine may know of one partition of a series: its period, its generation (which changes
 * with every rewrite: an upsert, a deletion, sealing or consolidation) and its rows. The archive keys its Parquet
 * files by it.
 *
 * @param periodStart first ns of the period, inclusive.
 * @param periodEnd   end of the period, exclusive.
 * @param span        the period's length: a day, a month or a year.
 * @param generation  grows with every rewrite of the series; the same generation always holds the same rows once sealed.
 * @param sealed      true once the period has ended and the file is final (until an upsert or deletion rewrites it).
 * @param rows        bars in it; for a writable partition, as of this call.
 * @param checksum    a sealed partition's CRC32C over its rows (see FORMAT.md); with the generation it tells one
 *                    sealed file's rows from another's, even across a deletion and a restart that reuse generation
 *                    numbers. 0 for a writable partition.
 */
public record PartitionInfo(long periodStart, long periodEnd, PartitionSpan span, long generation, boolean sealed,
    long rows, long checksum)
{
}

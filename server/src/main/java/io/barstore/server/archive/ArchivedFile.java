package io.barstore.server.archive;

import io.barstore.engine.SeriesKey;

import java.nio.file.Path;

/**
 * One Parquet file of the archive: the rows of one generation of one sealed partition of a series.
 *
 * @param key         the series.
 * @param periodStart the partition's period start, ns.
 * @param generation  the partition generation it was written from; it stands for the store's partition only while
 *                    the store's generation of that period is the same.
 * @param checksum    the sealed partition's checksum (its low 32 bits: a CRC32C): the same generation number can
 *                    come back after a series is deleted and the store reopened, its rows cannot.
 * @param path        the file.
 */
public record ArchivedFile(SeriesKey key, long periodStart, long generation, long checksum, Path path)
{
}

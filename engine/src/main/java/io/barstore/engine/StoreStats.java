package io.barstore.engine;

/** Store totals: series, bars, bytes and files on disk, and the mappings held now and at most since open. */
public record StoreStats(int series, long bars, long bytesOnDisk, long files, int mappedNow, int peakMapped)
{
}

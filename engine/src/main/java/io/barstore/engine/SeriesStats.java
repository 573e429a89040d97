package io.barstore.engine;

/** What is stored for one series: first and last bar open time (epoch ns), bars, bytes of its files, files. */
public record SeriesStats(SeriesKey key, long firstTs, long lastTs, long barCount, long bytesOnDisk, int files)
{
}

package io.barstore.bench;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/** What every benchmark shares: a store in a temp directory, its removal, and bars that pass validation. */
final class BenchSupport
{
    /** 2020-01-01T00:00:00Z, a Wednesday. */
    static final long EPOCH_2020 = day("2020-01-01");
    static final long DAY_NANOS = TimeUnit.DAYS.toNanos(1);
    /** US equity regular session 13:30-20:00 UTC (summer): 78 five-minute bars, so 30 days make 2,340 bars. */
    static final long SESSION_OPEN_NANOS = TimeUnit.MINUTES.toNanos(13 * 60 + 30);
    static final int SESSION_BARS_5M = 78;
    static final long FIVE_MINUTES_NANOS = TimeUnit.MINUTES.toNanos(5);

    private BenchSupport()
    {
    }

    static Path createTempDir(final String name)
    {
        try
        {
            return Files.createTempDirectory("barstore-bench-" + name + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A store with nothing in the background (no fsync, no maintenance agent), so only the caller's work is timed. */
    static BarStore openStore(final Path dataDir)
    {
        return BarStore.open(StoreConfig.builder(dataDir)
            .syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0)
            .build());
    }

    /** Appends one valid bar with price level derived from {@code i}. */
    static void addBar(final BarBatch batch, final long ts, final long i)
    {
        final double price = 100.0 + (i % 1000) * 0.01;
        batch.add(ts, price, price + 0.5, price - 0.5, price + 0.25, 1_000 + (i & 1023), price + 0.1, 10 + (i & 63));
    }

    /** Epoch nanoseconds of UTC midnight of {@code isoDate} ("2024-06-14"). */
    static long day(final String isoDate)
    {
        return TimeUnit.SECONDS.toNanos(LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
    }

    /** Open time of the {@code index}-th 5-minute session bar from {@code firstDay}, every day having a session. */
    static long sessionBarTs(final long firstDay, final int index)
    {
        final int day = index / SESSION_BARS_5M;
        final int slot = index % SESSION_BARS_5M;
        return firstDay + day * DAY_NANOS + SESSION_OPEN_NANOS + slot * FIVE_MINUTES_NANOS;
    }

    /**
     * Writes {@code days} days of regular-session 5-minute bars for every key, day by day, and runs maintenance at each
     * month start as the background agent would, so closed months end up consolidated instead of as thousands of day
     * files. The days of the last month stay writable until the caller maintains. Returns the newest ts written.
     */
    static long writeSessionHistory(final BarStore store, final SeriesKey[] keys, final long firstDay, final int days)
    {
        final BarBatch batch = new BarBatch(SESSION_BARS_5M);
        long lastTs = -1;
        for (int d = 0; d < days; d++)
        {
            final long dayStart = firstDay + d * DAY_NANOS;
            if (d > 0 && LocalDate.ofEpochDay(TimeUnit.NANOSECONDS.toDays(dayStart)).getDayOfMonth() == 1)
            {
                store.maintain(dayStart);
            }
            for (int s = 0; s < keys.length; s++)
            {
                batch.clear();
                for (int j = 0; j < SESSION_BARS_5M; j++)
                {
                    final int index = d * SESSION_BARS_5M + j;
                    lastTs = sessionBarTs(firstDay, index);
                    addBar(batch, lastTs, index + s);
                }
                store.write(keys[s], batch);
            }
        }
        return lastTs;
    }

    /** Writes {@code count} consecutive bars of {@code key}'s timeframe from {@code firstTs}, 10,000 a batch. */
    static void writeContinuous(final BarStore store, final SeriesKey key, final long firstTs, final long count)
    {
        final long step = key.timeframe().nanos();
        final BarBatch batch = new BarBatch(10_000);
        for (long i = 0; i < count; i++)
        {
            addBar(batch, firstTs + i * step, i);
            if (batch.size() == 10_000 || i == count - 1)
            {
                store.write(key, batch);
                batch.clear();
            }
        }
    }

    static void deleteRecursively(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                ex.printStackTrace();
            }
        }
    }
}

package io.barstore.server.sql;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Seeded random bars for the SQL and archive tests: a random walk with full-precision doubles, volume sometimes 0,
 * vwap unknown (NaN) and trades unknown (-1) about one bar in ten, and a few bars left out (gaps). Stock-like series
 * trade on weekdays 14:30 to 21:00 UTC only, crypto-like ones around the clock.
 */
public final class RandomBars
{
    public static final String SEED_PROPERTY = "barstore.test.seed";
    public static final long NANOS_PER_DAY = 86_400_000_000_000L;
    private static final long SESSION_OPEN = (14 * 60 + 30) * 60_000_000_000L;
    private static final long SESSION_CLOSE = 21 * 3_600_000_000_000L;

    private RandomBars()
    {
    }

    /** {@code -Dbarstore.test.seed=N} when given (to replay a failure), else a fresh one. */
    public static long seed()
    {
        final Long given = Long.getLong(SEED_PROPERTY);
        return given != null ? given : new SplittableRandom().nextLong();
    }

    /** What to print with a failure so that it can be replayed. */
    public static String replay(final long seed)
    {
        return "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    public static long nanos(final String iso)
    {
        final Instant instant = iso.length() == 10 ? LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant() :
            Instant.parse(iso);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * Writes bars of {@code key} at every step of its timeframe in {@code [from, to)} (stock hours only when
     * {@code session}), one batch per day, leaving out about one in thirty.
     *
     * @return the bars written.
     */
    public static long write(final BarStore store, final SeriesKey key, final long from, final long to,
        final boolean session, final SplittableRandom random)
    {
        final long step = key.timeframe().nanos();
        final BarBatch batch = new BarBatch(4096);
        double price = 20 + random.nextDouble() * 500;
        long written = 0;
        long dayEnd = Math.floorDiv(from, NANOS_PER_DAY) * NANOS_PER_DAY + NANOS_PER_DAY;
        final long first = key.timeframe().floor(from) == from ? from : key.timeframe().floor(from) + step;
        for (long ts = first; ts < to; ts += step)
        {
            if (ts >= dayEnd)
            {
                written += flush(store, key, batch);
                dayEnd += NANOS_PER_DAY;
            }
            if ((session && !inSession(ts)) || random.nextInt(30) == 0)
            {
                continue;
            }
            price = add(batch, ts, price, random);
        }
        return written + flush(store, key, batch);
    }

    private static long flush(final BarStore store, final SeriesKey key, final BarBatch batch)
    {
        final int size = batch.size();
        if (size > 0)
        {
            store.write(key, batch);
            batch.clear();
        }
        return size;
    }

    /** True for weekdays 14:30 to 21:00 UTC. */
    public static boolean inSession(final long ts)
    {
        final long day = Math.floorDiv(ts, NANOS_PER_DAY);
        final DayOfWeek weekday = LocalDate.ofEpochDay(day).getDayOfWeek();
        final long time = ts - day * NANOS_PER_DAY;
        return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY && time >= SESSION_OPEN &&
            time < SESSION_CLOSE;
    }

    /** Adds one valid random bar at {@code ts} opening near {@code price}; returns its close. */
    public static double add(final BarBatch batch, final long ts, final double price, final SplittableRandom random)
    {
        final double open = Math.max(1, price * (1 + (random.nextDouble() - 0.5) * 0.004));
        final double close = Math.max(1, open * (1 + (random.nextDouble() - 0.5) * 0.01));
        final double high = Math.max(open, close) + random.nextDouble() * 0.3;
        final double low = Math.min(open, close) - random.nextDouble() * 0.3;
        final double volume = random.nextInt(20) == 0 ? 0 : random.nextDouble() * 1e6;
        final double vwap = random.nextInt(10) == 0 ? Double.NaN : low + (high - low) * random.nextDouble();
        final long trades = random.nextInt(10) == 0 ? -1 : random.nextInt(100_000);
        batch.add(ts, open, high, low, close, volume, vwap, trades);
        return close;
    }
}

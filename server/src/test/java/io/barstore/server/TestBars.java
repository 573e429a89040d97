package io.barstore.server;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;

import java.time.Instant;

/**
 * Bars the tests write and then expect back: bar {@code i} of a series has values computed from {@code i}, with an
 * unknown vwap every tenth bar and unknown trades every seventh, so every read can be checked value by value.
 */
final class TestBars
{
    /** 2025-01-02T00:00:00Z. */
    static final long DAY = epochNanos("2025-01-02T00:00:00Z");

    private TestBars()
    {
    }

    static long epochNanos(final String iso)
    {
        final Instant instant = Instant.parse(iso);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static long ts(final SeriesKey key, final long first, final int i)
    {
        return first + i * key.timeframe().nanos();
    }

    static double open(final int i)
    {
        return 100 + (i % 1000) * 0.25;
    }

    static double high(final int i)
    {
        return open(i) + 1;
    }

    static double low(final int i)
    {
        return open(i) - 1;
    }

    static double close(final int i)
    {
        return open(i) + 0.5;
    }

    static double volume(final int i)
    {
        return 1000 + i;
    }

    static double vwap(final int i)
    {
        return i % 10 == 3 ? Double.NaN : open(i) + 0.25;
    }

    static long trades(final int i)
    {
        return i % 7 == 5 ? -1 : 10 + i;
    }

    /** Writes bars {@code 0..count-1} of {@code key}, the first at {@code first}, one timeframe apart. */
    static void write(final BarStore store, final SeriesKey key, final long first, final int count)
    {
        final BarBatch batch = new BarBatch(count);
        for (int i = 0; i < count; i++)
        {
            batch.add(ts(key, first, i), open(i), high(i), low(i), close(i), volume(i), vwap(i), trades(i));
        }
        store.write(key, batch);
    }
}

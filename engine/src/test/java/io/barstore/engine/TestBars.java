package io.barstore.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;

/**
 * Small helpers shared by the engine's acceptance tests: valid bars from a seed, bars whose values are a pure function
 * of {@code (ts, version)} so a reader can tell a torn row from a whole one, the validation rules of CONTRACT.md, and
 * the test seed.
 */
final class TestBars
{
    static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private TestBars()
    {
    }

    /** The seed of a randomised test: the system property {@code barstore.test.seed} if set, else a fresh one. */
    static long seed()
    {
        final String fixed = System.getProperty("barstore.test.seed");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new Random().nextLong();
    }

    /** A system property as an int, else {@code def}. */
    static int intProp(final String name, final int def)
    {
        final String value = System.getProperty(name);
        return value != null && !value.isBlank() ? Integer.parseInt(value.trim()) : def;
    }

    /** Epoch nanoseconds of UTC midnight of an ISO date such as {@code 2025-01-02}. */
    static long day(final String isoDate)
    {
        return LocalDate.parse(isoDate).toEpochDay() * NANOS_PER_DAY;
    }

    /** Adds a valid bar with fresh random values (vwap and trades sometimes unknown). */
    static void addRandom(final BarBatch batch, final Random rnd, final long ts)
    {
        final double base = 10 + rnd.nextDouble() * 1000;
        final double open = base + rnd.nextDouble();
        final double close = base + rnd.nextDouble();
        final double high = Math.max(open, close) + rnd.nextDouble();
        final double low = Math.min(open, close) - rnd.nextDouble();
        final double volume = rnd.nextInt(8) == 0 ? 0.0 : rnd.nextDouble() * 1e6;
        final double vwap = rnd.nextInt(6) == 0 ? Double.NaN : low + (high - low) * rnd.nextDouble();
        final long trades = rnd.nextInt(6) == 0 ? -1 : rnd.nextInt(1_000_000);
        batch.add(ts, open, high, low, close, volume, vwap, trades);
    }

    /** Adds the bar {@link #versioned} defines for {@code (ts, version)}; {@code trades} carries the version. */
    static void addVersioned(final BarBatch batch, final long ts, final long version)
    {
        final long h = mix(ts * 0x9E3779B97F4A7C15L + version);
        final double base = 50 + (h & 0xFFFF) / 64.0;
        final double open = base + ((h >>> 16) & 0xFF) / 128.0;
        final double close = base + ((h >>> 24) & 0xFF) / 128.0;
        final double high = Math.max(open, close) + ((h >>> 32) & 0xFF) / 128.0;
        final double low = Math.min(open, close) - ((h >>> 40) & 0xFF) / 128.0;
        final double volume = (h >>> 48) * 3.0;
        final double vwap = version % 5 == 4 ? Double.NaN : (low + high) / 2;
        batch.add(ts, open, high, low, close, volume, vwap, version);
    }

    /**
     * Null when the bar is exactly what {@link #addVersioned} writes for its ts and version (its {@code trades}),
     * else what differs: a row mixing two versions (torn) or garbage fails here.
     */
    static String checkVersioned(
        final long ts, final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades)
    {
        if (trades < 0)
        {
            return "trades (the version) is negative: " + trades;
        }
        final BarBatch expected = new BarBatch(1);
        addVersioned(expected, ts, trades);
        if (same(open, expected.open(0)) && same(high, expected.high(0)) && same(low, expected.low(0)) &&
            same(close, expected.close(0)) && same(volume, expected.volume(0)) && same(vwap, expected.vwap(0)))
        {
            return null;
        }
        return "values are not those written for version " + trades + " (torn or corrupt row): seen " +
            describe(ts, open, high, low, close, volume, vwap, trades) + ", version " + trades + " is " +
            describe(expected, 0);
    }

    /** Null when the bar satisfies the validation rules of CONTRACT.md, else the rule broken. */
    static String checkValid(
        final Timeframe tf, final long ts, final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades)
    {
        if (!Double.isFinite(open) || !Double.isFinite(high) || !Double.isFinite(low) || !Double.isFinite(close) ||
            !Double.isFinite(volume) || Double.isInfinite(vwap))
        {
            return "a value is not finite";
        }
        if (low > Math.min(open, close) || high < Math.max(open, close) || low > high)
        {
            return "OHLC rule broken (low <= min(open, close), high >= max(open, close), low <= high)";
        }
        if (volume < 0)
        {
            return "volume < 0";
        }
        if (trades < -1)
        {
            return "trades < -1";
        }
        if (!tf.isAligned(ts))
        {
            return "ts not aligned to " + tf.label();
        }
        return null;
    }

    static boolean same(final double a, final double b)
    {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    static String describe(final BarBatch b, final int i)
    {
        return describe(b.ts(i), b.open(i), b.high(i), b.low(i), b.close(i), b.volume(i), b.vwap(i), b.trades(i));
    }

    static String describe(
        final long ts, final double open, final double high, final double low, final double close,
        final double volume, final double vwap, final long trades)
    {
        return "{ts=" + Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L), Math.floorMod(ts, 1_000_000_000L)) +
            " (" + ts + ") o=" + open + " h=" + high + " l=" + low + " c=" + close + " v=" + volume + " vwap=" + vwap +
            " n=" + trades + "}";
    }

    /** SplitMix64's finaliser. */
    static long mix(final long x)
    {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

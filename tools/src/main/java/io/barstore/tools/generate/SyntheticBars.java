package io.barstore.tools.generate;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Timeframe;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * Seeded synthetic bars of one symbol for US-equity sessions: 09:30 to 16:00 America/New_York on weekdays (market
 * holidays are not modelled), so bar times in UTC move by an hour across the daylight-saving changes as real ones do.
 * <p>
 * Prices follow a geometric random walk whose variance is GARCH(1,1), so quiet and wild stretches cluster; each
 * session opens with an overnight gap. Volume is U-shaped over the session (busy open and close) and grows with the
 * current volatility. Every bar is valid by CONTRACT.md: prices in cents with {@code low <= min(open, close)},
 * {@code high >= max(open, close)}; {@code volume >= 1} whole shares; {@code vwap} within {@code [low, high]};
 * {@code trades} in {@code [1, volume]}; {@code ts} aligned to the timeframe.
 * <p>
 * Deterministic: the same symbol, timeframe and seed, asked for the same days in the same order, give the same bars
 * ({@link Random} is specified exactly, so on every JVM). An instance carries the price from one session to the next;
 * ask for days in increasing order. Not thread-safe.
 */
public final class SyntheticBars
{
    public static final ZoneId SESSION_ZONE = ZoneId.of("America/New_York");
    public static final LocalTime SESSION_OPEN = LocalTime.of(9, 30);
    public static final LocalTime SESSION_CLOSE = LocalTime.of(16, 0);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SESSION_NANOS = (6L * 3600 + 30 * 60) * NANOS_PER_SECOND;
    private static final double TRADING_DAYS_PER_YEAR = 252;
    /** GARCH(1,1): weight of the last squared return and of the last variance; their sum is the persistence. */
    private static final double ARCH = 0.08;
    private static final double GARCH = 0.90;
    /** The overnight gap's variance, as a fraction of a whole session's. */
    private static final double OVERNIGHT_VARIANCE_SHARE = 0.25;
    /** The conditional variance is kept within these multiples of the long-run one, so no bar runs away. */
    private static final double MIN_VARIANCE_MULTIPLE = 0.1;
    private static final double MAX_VARIANCE_MULTIPLE = 25;
    private static final double MIN_PRICE = 0.01;

    private final String symbol;
    private final Timeframe timeframe;
    private final Random random;
    private final double barVariance;
    private final double omega;
    private final double volumePerBar;
    private final double sharesPerTrade;
    private double price;
    private double variance;

    /** Bars for {@code symbol} at {@code timeframe}, starting at a price drawn from the seed. */
    public SyntheticBars(final String symbol, final Timeframe timeframe, final long seed)
    {
        this(symbol, timeframe, seed, Double.NaN);
    }

    /**
     * Bars for {@code symbol} at {@code timeframe} starting at {@code startPrice} (NaN: drawn from the seed).
     *
     * @throws BarStoreException of category {@code BAD_INPUT} for weekly bars, which are not generated.
     */
    public SyntheticBars(final String symbol, final Timeframe timeframe, final long seed, final double startPrice)
    {
        if (timeframe.nanos() > Timeframe.D1.nanos())
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "synthetic bars are generated for timeframes up to 1d").with("timeframe", timeframe.label());
        }
        this.symbol = symbol;
        this.timeframe = timeframe;
        this.random = new Random(mix(seed, symbol.hashCode()));

        final double annualVolatility = 0.15 + 0.25 * random.nextDouble();
        final double sessionVariance = annualVolatility * annualVolatility / TRADING_DAYS_PER_YEAR;
        this.barVariance = sessionVariance / barsPerSession(timeframe);
        this.omega = barVariance * (1 - ARCH - GARCH);
        this.variance = barVariance;

        final double sharesPerSession = 2e6 * Math.exp(3 * random.nextDouble()); // 2M to 40M
        this.volumePerBar = sharesPerSession / barsPerSession(timeframe);
        this.sharesPerTrade = 50 + 150 * random.nextDouble();
        this.price = cents(Double.isNaN(startPrice) ? 20 + 480 * random.nextDouble() : startPrice);
    }

    public String symbol()
    {
        return symbol;
    }

    public Timeframe timeframe()
    {
        return timeframe;
    }

    /** The last close generated (or the start price). */
    public double price()
    {
        return price;
    }

    /** True for the days that have a session: Monday to Friday. */
    public static boolean isSessionDay(final LocalDate day)
    {
        final DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    /** The session open of {@code day} as epoch nanoseconds UTC. */
    public static long sessionOpenNanos(final LocalDate day)
    {
        return day.atTime(SESSION_OPEN).atZone(SESSION_ZONE).toEpochSecond() * NANOS_PER_SECOND;
    }

    /** The session close of {@code day} as epoch nanoseconds UTC. */
    public static long sessionCloseNanos(final LocalDate day)
    {
        return day.atTime(SESSION_CLOSE).atZone(SESSION_ZONE).toEpochSecond() * NANOS_PER_SECOND;
    }

    /**
     * Appends the bars of the session of {@code day} to {@code out}: for an intraday timeframe every bar that opens
     * in {@code [floor(09:30), 16:00)} New York time, for {@code 1d} one bar at UTC midnight of {@code day}.
     *
     * @return the number of bars appended; 0 on a weekend.
     */
    public int appendSession(final LocalDate day, final BarBatch out)
    {
        if (!isSessionDay(day))
        {
            return 0;
        }
        if (timeframe == Timeframe.D1)
        {
            final long ts = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * NANOS_PER_SECOND;
            appendBar(out, ts, price, 1.0);
            return 1;
        }
        final long step = timeframe.nanos();
        final long close = sessionCloseNanos(day);
        final long first = timeframe.floor(sessionOpenNanos(day));
        final double gapSigma = Math.sqrt(OVERNIGHT_VARIANCE_SHARE * barVariance * barsPerSession(timeframe));
        double open = cents(price * Math.exp(gapSigma * random.nextGaussian()));
        final double span = Math.max(1, close - first);
        int n = 0;
        for (long ts = first; ts < close; ts += step)
        {
            final double x = (ts - first + step / 2.0) / span; // position in the session, 0..1
            appendBar(out, ts, open, 0.6 + 2.4 * (2 * x - 1) * (2 * x - 1));
            open = price;
            n++;
        }
        return n;
    }

    private void appendBar(final BarBatch out, final long ts, final double open, final double volumeProfile)
    {
        final double sigma = Math.sqrt(variance);
        final double r = sigma * random.nextGaussian();
        final double close = cents(open * Math.exp(r));
        final double high = Math.max(Math.max(open, close),
            cents(Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(random.nextGaussian()))));
        final double low = Math.min(Math.min(open, close),
            cents(Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(random.nextGaussian()))));

        final double volatilityRatio = sigma / Math.sqrt(barVariance);
        final double volume = Math.max(1, Math.rint(
            volumePerBar * volumeProfile * Math.sqrt(volatilityRatio) * Math.exp(0.5 * random.nextGaussian() - 0.125)));
        final long trades = Math.max(1, Math.min((long)volume,
            Math.round(volume / sharesPerTrade * Math.exp(0.2 * random.nextGaussian()))));
        final double typical = (high + low + close) / 3 + 0.1 * (high - low) * random.nextGaussian();
        final double vwap = Math.min(high, Math.max(low, Math.rint(typical * 10_000) / 10_000));

        out.add(ts, open, high, low, close, volume, vwap, trades);

        final double next = omega + ARCH * r * r + GARCH * variance;
        variance = Math.min(MAX_VARIANCE_MULTIPLE * barVariance, Math.max(MIN_VARIANCE_MULTIPLE * barVariance, next));
        price = close;
    }

    private static double barsPerSession(final Timeframe timeframe)
    {
        return timeframe == Timeframe.D1 ? 1 : Math.max(1.0, (double)SESSION_NANOS / timeframe.nanos());
    }

    private static double cents(final double value)
    {
        return Math.max(MIN_PRICE, Math.rint(value * 100) / 100);
    }

    /** SplitMix64's finaliser over the seed and the symbol, so nearby seeds and symbols give unrelated walks. */
    private static long mix(final long seed, final int salt)
    {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

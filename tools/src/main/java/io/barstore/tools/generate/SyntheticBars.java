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
 * Seeded synthetic bars of one symbol, for one of two markets ({@link Market}):
 * <ul>
 *   <li>{@link Market#US_EQUITY}: sessions 09:30 to 16:00 America/New_York on weekdays (market holidays are not
 *   modelled), so bar times in UTC move by an hour across the daylight-saving changes as real ones do. Each session
 *   opens with an overnight gap; volume is U-shaped over the session (busy open and close), in whole shares.</li>
 *   <li>{@link Market#CRYPTO}: trading around the clock every day, UTC days; no gaps, volume peaking in the
 *   afternoon (UTC) when Europe and America overlap, in coins to four decimals, and higher volatility.</li>
 * </ul>
 * Prices follow a geometric random walk whose variance is GARCH(1,1), so quiet and wild stretches cluster; volume
 * grows with the current volatility. Every bar is valid by CONTRACT.md: prices in cents with
 * {@code low <= min(open, close)}, {@code high >= max(open, close)}; {@code volume > 0}; {@code vwap} within
 * {@code [low, high]}; {@code trades >= 1} (and at most the volume for equities); {@code ts} aligned to the
 * timeframe.
 * <p>
 * Deterministic: the same symbol, timeframe and seed, asked for the same days in the same order, give the same bars
 * ({@link Random} is specified exactly, so on every JVM). An instance carries the price from one session to the next;
 * ask for days in increasing order. Not thread-safe.
 */
public final class SyntheticBars
{
    /** When bars trade. */
    public enum Market
    {
        /** Weekdays 09:30-16:00 America/New_York. */
        US_EQUITY,
        /** Every day, around the clock (UTC). */
        CRYPTO
    }

    public static final ZoneId SESSION_ZONE = ZoneId.of("America/New_York");
    public static final LocalTime SESSION_OPEN = LocalTime.of(9, 30);
    public static final LocalTime SESSION_CLOSE = LocalTime.of(16, 0);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SESSION_NANOS = (6L * 3600 + 30 * 60) * NANOS_PER_SECOND;
    private static final long DAY_NANOS = 86_400L * NANOS_PER_SECOND;
    private static final double TRADING_DAYS_PER_YEAR = 252;
    private static final double CRYPTO_DAYS_PER_YEAR = 365;
    /** UTC time of day (as a fraction) when crypto volume peaks: 14:24, Europe's afternoon and America's morning. */
    private static final double CRYPTO_PEAK = 0.6;
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
    private final Market market;
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
        this(symbol, timeframe, seed, startPrice, Market.US_EQUITY);
    }

    /**
     * Bars for {@code symbol} at {@code timeframe} in {@code market}, starting at {@code startPrice} (NaN: drawn from
     * the seed).
     *
     * @throws BarStoreException of category {@code BAD_INPUT} for weekly bars, which are not generated.
     */
    public SyntheticBars(
        final String symbol, final Timeframe timeframe, final long seed, final double startPrice, final Market market)
    {
        if (timeframe.nanos() > Timeframe.D1.nanos())
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "synthetic bars are generated for timeframes up to 1d").with("timeframe", timeframe.label());
        }
        this.symbol = symbol;
        this.timeframe = timeframe;
        this.market = market;
        this.random = new Random(mix(seed, symbol.hashCode()));

        final boolean crypto = market == Market.CRYPTO;
        final double annualVolatility = crypto ? 0.45 + 0.45 * random.nextDouble() : 0.15 + 0.25 * random.nextDouble();
        final double sessionVariance = annualVolatility * annualVolatility /
            (crypto ? CRYPTO_DAYS_PER_YEAR : TRADING_DAYS_PER_YEAR);
        this.barVariance = sessionVariance / barsPerSession(timeframe, market);
        this.omega = barVariance * (1 - ARCH - GARCH);
        this.variance = barVariance;

        if (crypto)
        {
            final double drawn = 5 * Math.exp(Math.log(20_000) * random.nextDouble()); // 5 to 100,000, log-uniform
            this.price = cents(Double.isNaN(startPrice) ? drawn : startPrice);
            final double notionalPerDay = 5e6 * Math.exp(4 * random.nextDouble()); // 5M to 270M
            this.volumePerBar = notionalPerDay / price / barsPerSession(timeframe, market);
            this.sharesPerTrade = (200 + 800 * random.nextDouble()) / price; // a few hundred dollars a trade
        }
        else
        {
            final double sharesPerSession = 2e6 * Math.exp(3 * random.nextDouble()); // 2M to 40M
            this.volumePerBar = sharesPerSession / barsPerSession(timeframe, market);
            this.sharesPerTrade = 50 + 150 * random.nextDouble();
            this.price = cents(Double.isNaN(startPrice) ? 20 + 480 * random.nextDouble() : startPrice);
        }
    }

    public String symbol()
    {
        return symbol;
    }

    public Timeframe timeframe()
    {
        return timeframe;
    }

    public Market market()
    {
        return market;
    }

    /** True for the days this market trades: weekdays for US equities, every day for crypto. */
    public boolean hasSession(final LocalDate day)
    {
        return market == Market.CRYPTO || isSessionDay(day);
    }

    /** The last close generated (or the start price). */
    public double price()
    {
        return price;
    }

    /** True for the days that have a US-equity session: Monday to Friday. */
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
     * in {@code [floor(09:30), 16:00)} New York time (crypto: in the UTC day), for {@code 1d} one bar at UTC midnight
     * of {@code day}.
     *
     * @return the number of bars appended; 0 on a day without a session (a weekend for US equities).
     */
    public int appendSession(final LocalDate day, final BarBatch out)
    {
        if (!hasSession(day))
        {
            return 0;
        }
        final long midnight = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * NANOS_PER_SECOND;
        if (timeframe == Timeframe.D1)
        {
            appendBar(out, midnight, price, 1.0);
            return 1;
        }
        final long step = timeframe.nanos();
        if (market == Market.CRYPTO)
        {
            int n = 0;
            for (long ts = midnight; ts < midnight + DAY_NANOS; ts += step)
            {
                final double x = (ts - midnight + step / 2.0) / DAY_NANOS; // time of day, 0..1
                appendBar(out, ts, price, 0.5 + 0.5 * (1 + Math.cos(2 * Math.PI * (x - CRYPTO_PEAK))));
                n++;
            }
            return n;
        }
        final long close = sessionCloseNanos(day);
        final long first = timeframe.floor(sessionOpenNanos(day));
        final double gapSigma = Math.sqrt(OVERNIGHT_VARIANCE_SHARE * barVariance * barsPerSession(timeframe, market));
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
        final double rawVolume =
            volumePerBar * volumeProfile * Math.sqrt(volatilityRatio) * Math.exp(0.5 * random.nextGaussian() - 0.125);
        final double volume;
        final long trades;
        if (market == Market.CRYPTO)
        {
            volume = Math.max(0.0001, Math.rint(rawVolume * 10_000) / 10_000);
            trades = Math.max(1, Math.round(volume / sharesPerTrade * Math.exp(0.2 * random.nextGaussian())));
        }
        else
        {
            volume = Math.max(1, Math.rint(rawVolume));
            trades = Math.max(1, Math.min((long)volume,
                Math.round(volume / sharesPerTrade * Math.exp(0.2 * random.nextGaussian()))));
        }
        final double typical = (high + low + close) / 3 + 0.1 * (high - low) * random.nextGaussian();
        final double vwap = Math.min(high, Math.max(low, Math.rint(typical * 10_000) / 10_000));

        out.add(ts, open, high, low, close, volume, vwap, trades);

        final double next = omega + ARCH * r * r + GARCH * variance;
        variance = Math.min(MAX_VARIANCE_MULTIPLE * barVariance, Math.max(MIN_VARIANCE_MULTIPLE * barVariance, next));
        price = close;
    }

    private static double barsPerSession(final Timeframe timeframe, final Market market)
    {
        final long session = market == Market.CRYPTO ? DAY_NANOS : SESSION_NANOS;
        return timeframe == Timeframe.D1 ? 1 : Math.max(1.0, (double)session / timeframe.nanos());
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

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * The bars every peer is measured on: {@code symbols} series of {@code barsPerSymbol} one-minute bars each, in the US
 * regular session (13:30-20:00 UTC, 390 bars a day) of every weekday from Tuesday 2024-01-02; the last day is partial
 * when {@code barsPerSymbol} is not a multiple of 390. {@link #STANDARD} is the benchmarks' 100 x 100,000 = 10 M bars.
 * <p>
 * Values are arithmetic on (symbol, bar index), so generating a bar costs a few nanoseconds and the same for every
 * system; they pass barstore's validation ({@code low <= min(open, close)}, {@code high >= max(open, close)}, finite
 * vwap, {@code trades >= 0}).
 * {@link #replay} delivers them time-major, as a daily feed or a day-by-day backfill does: for each day, for each
 * symbol, that symbol's bars of the day in one {@link BarBatch}, which every peer reads its input from.
 */
public final class PeerDataset
{
    /** Bump when the bars, the calendar or the peers' schemas change: fixtures are kept per version. */
    public static final String VERSION = "v1";
    public static final int BARS_PER_DAY = 390;
    public static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    public static final long SESSION_OPEN_NANOS = TimeUnit.MINUTES.toNanos(13 * 60 + 30);
    public static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 2);
    /** 100 symbols x 100,000 one-minute bars: 256 full session days and 160 bars of a 257th. */
    public static final PeerDataset STANDARD = new PeerDataset(100, 100_000);

    /** Receives the bars of {@link #replay}, in order. */
    public interface Feed
    {
        /** The bars of one symbol for one day, in ts order; {@code batch} is reused for the next call. */
        void bars(int symbol, BarBatch batch) throws Exception;

        /** Every symbol's bars of {@code day} have been delivered. */
        void endOfDay(int day) throws Exception;
    }

    private final int symbols;
    private final int barsPerSymbol;
    private final int days;
    private final String[] names;
    /** UTC midnight of each trading day, plus the next weekday's as the exclusive end of the last. */
    private final long[] midnights;

    public PeerDataset(final int symbols, final int barsPerSymbol)
    {
        if (symbols < 1 || symbols > 1000 || barsPerSymbol < 1)
        {
            throw new IllegalArgumentException("1 to 1000 symbols of at least one bar: " + symbols + " x " +
                barsPerSymbol);
        }
        this.symbols = symbols;
        this.barsPerSymbol = barsPerSymbol;
        this.days = (barsPerSymbol + BARS_PER_DAY - 1) / BARS_PER_DAY;
        names = new String[symbols];
        for (int s = 0; s < symbols; s++)
        {
            names[s] = String.format("S%03d", s);
        }
        midnights = new long[days + 1];
        LocalDate day = FIRST_DAY;
        for (int d = 0; d <= days; d++)
        {
            while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)
            {
                day = day.plusDays(1);
            }
            midnights[d] = TimeUnit.SECONDS.toNanos(day.atStartOfDay(ZoneOffset.UTC).toEpochSecond());
            day = day.plusDays(1);
        }
    }

    /** Names the fixture directories: version and size. */
    public String id()
    {
        return VERSION + "-" + symbols + "x" + barsPerSymbol;
    }

    public int symbols()
    {
        return symbols;
    }

    public int barsPerSymbol()
    {
        return barsPerSymbol;
    }

    public long totalBars()
    {
        return (long)symbols * barsPerSymbol;
    }

    /** Trading days, the last possibly partial. */
    public int days()
    {
        return days;
    }

    /** Days holding a whole session of 390 bars. */
    public int fullDays()
    {
        return barsPerSymbol / BARS_PER_DAY;
    }

    public String symbol(final int symbol)
    {
        return names[symbol];
    }

    /** UTC midnight of trading day {@code day} in epoch ns; {@code day == days()} gives the weekday after the last. */
    public long midnight(final int day)
    {
        return midnights[day];
    }

    public int barsOn(final int day)
    {
        return Math.min(BARS_PER_DAY, barsPerSymbol - day * BARS_PER_DAY);
    }

    /** Open time (epoch ns) of bar {@code minute} of trading day {@code day}. */
    public long ts(final int day, final int minute)
    {
        return midnights[day] + SESSION_OPEN_NANOS + minute * MINUTE_NANOS;
    }

    /** Open time of the newest bar of every series. */
    public long lastTs()
    {
        return ts(days - 1, barsOn(days - 1) - 1);
    }

    /** Clears {@code batch} and fills it with the bars of one symbol on one day. */
    public void fill(final BarBatch batch, final int symbol, final int day)
    {
        batch.clear();
        final int n = barsOn(day);
        final long first = (long)day * BARS_PER_DAY;
        for (int m = 0; m < n; m++)
        {
            add(batch, ts(day, m), symbol, first + m);
        }
    }

    /** Delivers every bar, time-major: for each day, for each symbol, that symbol's bars of the day. */
    public void replay(final Feed feed) throws Exception
    {
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        for (int d = 0; d < days; d++)
        {
            for (int s = 0; s < symbols; s++)
            {
                fill(batch, s, d);
                feed.bars(s, batch);
            }
            feed.endOfDay(d);
        }
    }

    /** Bar {@code index} of {@code symbol}: a price level that wanders with the index, a close within 8 ticks. */
    private static void add(final BarBatch batch, final long ts, final int symbol, final long index)
    {
        final long k = index + 7919L * symbol;
        final double open = 20.0 + symbol + (k % 1000) * 0.01;
        final double close = open + ((k & 15) - 8) * 0.01;
        final double high = Math.max(open, close) + 0.02;
        final double low = Math.min(open, close) - 0.02;
        batch.add(ts, open, high, low, close, 100 + (k & 4095), (high + low + close) / 3, k & 255);
    }

    /**
     * What a correct read of {@code [start, end)} of {@code symbol} returns, summed column by column in ts order: the
     * oracle the peers are checked against.
     */
    public BarSums expectedRange(final int symbol, final long start, final long end)
    {
        final BarSums sums = new BarSums();
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        for (int d = 0; d < days; d++)
        {
            fill(batch, symbol, d);
            for (int i = 0; i < batch.size(); i++)
            {
                if (batch.ts(i) >= start && batch.ts(i) < end)
                {
                    sums.add(batch, i);
                }
            }
        }
        return sums;
    }

    /** The newest bar of every series, summed column by column in symbol order. */
    public BarSums expectedLatest()
    {
        final BarSums sums = new BarSums();
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        for (int s = 0; s < symbols; s++)
        {
            fill(batch, s, days - 1);
            sums.add(batch, batch.size() - 1);
        }
        return sums;
    }

    /** Sum of every close, added in replay order. */
    public double expectedCloseSum()
    {
        final BarSums sums = new BarSums();
        final BarBatch batch = new BarBatch(BARS_PER_DAY);
        for (int d = 0; d < days; d++)
        {
            for (int s = 0; s < symbols; s++)
            {
                fill(batch, s, d);
                for (int i = 0; i < batch.size(); i++)
                {
                    sums.add(batch, i);
                }
            }
        }
        return sums.close();
    }
}

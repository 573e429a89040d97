package io.barstore.tools.generate;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SyntheticBarsTest
{
    /** A whole year, so both daylight-saving changes and every weekday pattern are in it. */
    private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2024, 12, 31);
    private static final long NANOS = 1_000_000_000L;

    @ParameterizedTest(name = "at {0}")
    @EnumSource(value = Timeframe.class, names = {"M1", "M5", "M15", "H1", "H4", "D1"})
    void everyBarFollowsTheContractAndLiesInsideAWeekdaySession(final Timeframe tf)
    {
        for (final String symbol : List.of("AAPL", "SPY", "BRK.B"))
        {
            final SyntheticBars gen = new SyntheticBars(symbol, tf, 42);
            final BarBatch batch = new BarBatch();
            long previousTs = Long.MIN_VALUE;
            for (LocalDate day = FIRST; !day.isAfter(LAST); day = day.plusDays(1))
            {
                batch.clear();
                final int n = gen.appendSession(day, batch);
                assertEquals(batch.size(), n);
                final boolean weekday = day.getDayOfWeek() != DayOfWeek.SATURDAY &&
                    day.getDayOfWeek() != DayOfWeek.SUNDAY;
                assertEquals(weekday, n > 0, "bars on " + day + " " + day.getDayOfWeek());
                for (int i = 0; i < n; i++)
                {
                    final String where = symbol + " " + tf + " " + day + " row " + i;
                    assertValid(batch, i, tf, where);
                    assertTrue(batch.ts(i) > previousTs, where + ": ts must increase");
                    previousTs = batch.ts(i);
                    assertInsideSession(batch.ts(i), tf, day, where);
                }
            }
        }
    }

    @Test
    void fiveMinuteSessionsHave78BarsAndFollowNewYorkDaylightSavingTime()
    {
        final SyntheticBars gen = new SyntheticBars("AAPL", Timeframe.M5, 7);
        final BarBatch batch = new BarBatch();

        final LocalDate winter = LocalDate.of(2024, 1, 16); // EST, UTC-5
        assertEquals(78, gen.appendSession(winter, batch));
        assertEquals(Instant.parse("2024-01-16T14:30:00Z"), instant(batch.ts(0)));
        assertEquals(Instant.parse("2024-01-16T20:55:00Z"), instant(batch.ts(77)));

        batch.clear();
        final LocalDate summer = LocalDate.of(2024, 7, 16); // EDT, UTC-4
        assertEquals(78, gen.appendSession(summer, batch));
        assertEquals(Instant.parse("2024-07-16T13:30:00Z"), instant(batch.ts(0)));
        assertEquals(Instant.parse("2024-07-16T19:55:00Z"), instant(batch.ts(77)));

        batch.clear();
        assertEquals(0, gen.appendSession(LocalDate.of(2024, 7, 13), batch), "a Saturday has no session");
        assertEquals(0, batch.size());
    }

    @Test
    void theSameSeedGivesTheSameBarsAndAnotherSeedOtherBars()
    {
        final long[] a = generate("NVDA", Timeframe.M5, 123);
        final long[] b = generate("NVDA", Timeframe.M5, 123);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, generate("NVDA", Timeframe.M5, 124)), "another seed");
        assertFalse(Arrays.equals(a, generate("MSFT", Timeframe.M5, 123)), "another symbol");
    }

    @Test
    void eachSessionOpensNearThePreviousCloseAndBarsWithinASessionAreContiguous()
    {
        final SyntheticBars gen = new SyntheticBars("SPY", Timeframe.M5, 99, 500.0);
        final BarBatch batch = new BarBatch();
        double previousClose = gen.price();
        assertEquals(500.0, previousClose);
        for (LocalDate day = FIRST; day.isBefore(FIRST.plusDays(60)); day = day.plusDays(1))
        {
            batch.clear();
            if (gen.appendSession(day, batch) == 0)
            {
                continue;
            }
            final double gap = Math.abs(Math.log(batch.open(0) / previousClose));
            assertTrue(gap < 0.15, "overnight gap of " + gap + " on " + day);
            for (int i = 1; i < batch.size(); i++)
            {
                assertEquals(batch.close(i - 1), batch.open(i), "open is the previous close");
            }
            previousClose = batch.close(batch.size() - 1);
            assertEquals(previousClose, gen.price());
        }
    }

    @Test
    void volatilityClustersSoAbsoluteReturnsAreAutocorrelated()
    {
        final SyntheticBars gen = new SyntheticBars("QQQ", Timeframe.M5, 5);
        final BarBatch batch = new BarBatch();
        final List<Double> abs = new ArrayList<>();
        for (LocalDate day = FIRST; !day.isAfter(LAST); day = day.plusDays(1))
        {
            batch.clear();
            gen.appendSession(day, batch);
            for (int i = 0; i < batch.size(); i++)
            {
                abs.add(Math.abs(Math.log(batch.close(i) / batch.open(i))));
            }
        }
        final double lag1 = autocorrelation(abs);
        assertTrue(lag1 > 0.05, "lag-1 autocorrelation of |returns| was " + lag1);
    }

    @ParameterizedTest(name = "at {0}")
    @EnumSource(value = Timeframe.class, names = {"S10", "M1", "M5", "H1", "H4", "D1"})
    void cryptoTradesEveryDayAroundTheClockWithContiguousValidBars(final Timeframe tf)
    {
        final SyntheticBars gen = new SyntheticBars("BTC/USD", tf, 42, Double.NaN, SyntheticBars.Market.CRYPTO);
        final BarBatch batch = new BarBatch();
        long previousTs = Long.MIN_VALUE;
        double previousClose = gen.price();
        for (LocalDate day = FIRST; day.isBefore(FIRST.plusDays(14)); day = day.plusDays(1))
        {
            batch.clear();
            assertTrue(gen.hasSession(day), day + " " + day.getDayOfWeek());
            final int n = gen.appendSession(day, batch);
            assertEquals(Timeframe.D1.nanos() / tf.nanos(), n, "bars on " + day);
            assertEquals(day.atStartOfDay().toInstant(ZoneOffset.UTC), instant(batch.ts(0)));
            for (int i = 0; i < n; i++)
            {
                final String where = "BTC/USD " + tf + " " + day + " row " + i;
                final double open = batch.open(i);
                final double high = batch.high(i);
                final double low = batch.low(i);
                final double close = batch.close(i);
                assertTrue(tf.isAligned(batch.ts(i)), where);
                assertTrue(previousTs == Long.MIN_VALUE || batch.ts(i) == previousTs + tf.nanos(),
                    where + ": no gap, not even overnight or at the weekend");
                assertEquals(previousClose, open, where + ": open is the previous close");
                assertTrue(low > 0 && low <= Math.min(open, close) && high >= Math.max(open, close), where);
                assertTrue(batch.vwap(i) >= low && batch.vwap(i) <= high, where + ": vwap");
                assertTrue(batch.volume(i) > 0 && Double.isFinite(batch.volume(i)), where + ": volume");
                assertEquals(Math.rint(batch.volume(i) * 10_000) / 10_000, batch.volume(i), where + ": 4 decimals");
                assertTrue(batch.trades(i) >= 1, where + ": trades");
                previousTs = batch.ts(i);
                previousClose = close;
            }
        }
    }

    @Test
    void cryptoVolatilityClustersTooAndEquityBarsAreUnchangedByTheMarketOption()
    {
        final SyntheticBars gen =
            new SyntheticBars("ETH/USD", Timeframe.M5, 5, Double.NaN, SyntheticBars.Market.CRYPTO);
        final BarBatch batch = new BarBatch();
        final List<Double> abs = new ArrayList<>();
        for (LocalDate day = FIRST; day.isBefore(FIRST.plusDays(120)); day = day.plusDays(1))
        {
            batch.clear();
            gen.appendSession(day, batch);
            for (int i = 0; i < batch.size(); i++)
            {
                abs.add(Math.abs(Math.log(batch.close(i) / batch.open(i))));
            }
        }
        final double lag1 = autocorrelation(abs);
        assertTrue(lag1 > 0.05, "lag-1 autocorrelation of |returns| was " + lag1);

        final BarBatch a = new BarBatch();
        final BarBatch b = new BarBatch();
        new SyntheticBars("AAPL", Timeframe.M5, 9).appendSession(LocalDate.of(2024, 3, 5), a);
        new SyntheticBars("AAPL", Timeframe.M5, 9, Double.NaN, SyntheticBars.Market.US_EQUITY)
            .appendSession(LocalDate.of(2024, 3, 5), b);
        assertEquals(78, a.size());
        for (int i = 0; i < a.size(); i++)
        {
            assertEquals(a.close(i), b.close(i));
            assertEquals(a.volume(i), b.volume(i));
        }
    }

    @Test
    void weeklyBarsAreRefusedAsBadInput()
    {
        final BarStoreException ex = assertThrows(BarStoreException.class,
            () -> new SyntheticBars("AAPL", Timeframe.W1, 1));
        assertEquals(BarStoreException.Category.BAD_INPUT, ex.category());
    }

    private static void assertValid(final BarBatch b, final int i, final Timeframe tf, final String where)
    {
        final double open = b.open(i);
        final double high = b.high(i);
        final double low = b.low(i);
        final double close = b.close(i);
        final double volume = b.volume(i);
        final double vwap = b.vwap(i);
        final long trades = b.trades(i);
        for (final double v : new double[] {open, high, low, close, volume, vwap})
        {
            if (!Double.isFinite(v))
            {
                fail(where + ": not finite: " + v);
            }
        }
        assertTrue(tf.isAligned(b.ts(i)), where + ": ts not aligned to " + tf);
        assertTrue(low > 0, where + ": low " + low);
        assertTrue(low <= Math.min(open, close), where + ": low above min(open, close)");
        assertTrue(high >= Math.max(open, close), where + ": high below max(open, close)");
        assertTrue(low <= high, where + ": low above high");
        assertTrue(volume > 0 && volume == Math.rint(volume), where + ": volume " + volume);
        assertTrue(vwap >= low && vwap <= high, where + ": vwap " + vwap + " outside [" + low + ", " + high + "]");
        assertTrue(trades >= 1 && trades <= volume, where + ": trades " + trades);
        for (final double price : new double[] {open, high, low, close})
        {
            assertEquals(Math.rint(price * 100) / 100, price, where + ": price not in cents: " + price);
        }
    }

    private static void assertInsideSession(final long ts, final Timeframe tf, final LocalDate day, final String where)
    {
        if (tf == Timeframe.D1)
        {
            assertEquals(day.atStartOfDay().toInstant(ZoneOffset.UTC), instant(ts), where);
            return;
        }
        final ZonedDateTime open = instant(ts).atZone(SyntheticBars.SESSION_ZONE);
        final ZonedDateTime end = instant(ts + tf.nanos()).atZone(SyntheticBars.SESSION_ZONE);
        assertEquals(day, open.toLocalDate(), where + ": bar opens on another New York day: " + open);
        // The bar overlaps the session: it ends after 09:30 and opens before 16:00, New York time.
        assertTrue(end.toLocalTime().isAfter(LocalTime.of(9, 30)), where + ": bar ends " + end);
        assertTrue(open.toLocalTime().isBefore(LocalTime.of(16, 0)), where + ": bar opens " + open);
        if (tf.nanos() <= Timeframe.M30.nanos())
        {
            assertFalse(open.toLocalTime().isBefore(LocalTime.of(9, 30)), where + ": bar opens " + open);
        }
    }

    private static long[] generate(final String symbol, final Timeframe tf, final long seed)
    {
        final SyntheticBars gen = new SyntheticBars(symbol, tf, seed);
        final BarBatch batch = new BarBatch();
        for (LocalDate day = FIRST; day.isBefore(FIRST.plusDays(30)); day = day.plusDays(1))
        {
            gen.appendSession(day, batch);
        }
        final long[] bits = new long[batch.size() * 8];
        for (int i = 0; i < batch.size(); i++)
        {
            bits[i * 8] = batch.ts(i);
            bits[i * 8 + 1] = Double.doubleToRawLongBits(batch.open(i));
            bits[i * 8 + 2] = Double.doubleToRawLongBits(batch.high(i));
            bits[i * 8 + 3] = Double.doubleToRawLongBits(batch.low(i));
            bits[i * 8 + 4] = Double.doubleToRawLongBits(batch.close(i));
            bits[i * 8 + 5] = Double.doubleToRawLongBits(batch.volume(i));
            bits[i * 8 + 6] = Double.doubleToRawLongBits(batch.vwap(i));
            bits[i * 8 + 7] = batch.trades(i);
        }
        assertNotEquals(0, batch.size());
        return bits;
    }

    private static double autocorrelation(final List<Double> x)
    {
        final double mean = x.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.size(); i++)
        {
            final double d = x.get(i) - mean;
            den += d * d;
            if (i > 0)
            {
                num += d * (x.get(i - 1) - mean);
            }
        }
        return num / den;
    }

    private static Instant instant(final long nanos)
    {
        return Instant.ofEpochSecond(nanos / NANOS, nanos % NANOS);
    }
}

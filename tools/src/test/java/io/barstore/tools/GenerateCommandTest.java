package io.barstore.tools;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.StoreVerifier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GenerateCommandTest
{
    /** Monday 2025-03-03 to Sunday 2025-03-16: ten weekdays, across the US daylight-saving change of March 9. */
    private static final String END = "2025-03-16";
    private static final int DAYS = 14;
    private static final int WEEKDAYS = 10;

    @TempDir
    Path tmp;

    @Test
    void writesNNumberedSymbolsOfWeekdaySessionsAndPrintsASummary()
    {
        final Path data = tmp.resolve("data");
        final CliRun run = CliRun.of("generate", "--data", data.toString(), "--symbols", "3", "--days", "" + DAYS,
            "--timeframe", "1m", "--end", END).assertOk();
        assertTrue(run.out().contains("wrote 11,700 bars to 3 series in "), run::toString);
        assertTrue(run.out().contains(" bars/s): 11,700 appended, 0 replaced, 0 upserted"), run::toString);
        assertTrue(run.out().contains("sealed and consolidated the closed days"), run::toString);

        try (BarStore store = open(data))
        {
            assertEquals(List.of("SYM001", "SYM002", "SYM003"),
                store.seriesKeys().stream().map(SeriesKey::symbol).toList());
            for (final SeriesKey key : store.seriesKeys())
            {
                assertEquals(Timeframe.M1, key.timeframe());
                assertEquals(SeriesKey.DEFAULT_SOURCE, key.source());
                final SeriesStats s = store.stats(key);
                assertEquals(WEEKDAYS * 390, s.barCount(), key.toString());
                assertEquals(Instant.parse("2025-03-03T14:30:00Z"), instant(s.firstTs()), "EST before March 9");
                assertEquals(Instant.parse("2025-03-14T19:59:00Z"), instant(s.lastTs()), "EDT after March 9");
            }
        }
        assertEquals(List.of(), StoreVerifier.problems(data), "every bar valid, every file whole");
    }

    @Test
    void theSameSeedGivesTheSameBarsSoASecondRunReplacesThemWithThemselves()
    {
        final Path a = tmp.resolve("a");
        final Path b = tmp.resolve("b");
        final Path c = tmp.resolve("c");
        final String[] args = {"--symbols", "AAPL,MSFT", "--days", "5", "--timeframe", "5m", "--end", END,
            "--seed", "7"};
        CliRun.of(concat(new String[] {"generate", "--data", a.toString()}, args)).assertOk();
        CliRun.of(concat(new String[] {"generate", "--data", b.toString()}, args)).assertOk();
        CliRun.of("generate", "--data", c.toString(), "--symbols", "AAPL,MSFT", "--days", "5", "--timeframe", "5m",
            "--end", END, "--seed", "8").assertOk();
        final List<Long> barsOfA = bits(a, SeriesKey.of("MSFT", Timeframe.M5));
        assertEquals(3 * 78 * 8, barsOfA.size(), "Wednesday to Friday: three sessions of 78 bars, 8 values each");
        assertEquals(barsOfA, bits(b, SeriesKey.of("MSFT", Timeframe.M5)));
        assertNotEquals(barsOfA, bits(c, SeriesKey.of("MSFT", Timeframe.M5)));

        final CliRun again = CliRun.of(concat(new String[] {"generate", "--data", a.toString()}, args)).assertOk();
        assertTrue(again.out().contains(": 0 appended, 468 replaced, 0 upserted"), again::toString);
        assertEquals(barsOfA, bits(a, SeriesKey.of("MSFT", Timeframe.M5)));
    }

    @Test
    void cryptoTradesEveryDayAroundTheClock()
    {
        final Path data = tmp.resolve("data");
        CliRun.of("generate", "--data", data.toString(), "--symbols", "BTC/USD,ETH/USD", "--days", "7",
            "--timeframe", "1h", "--end", END, "--crypto", "--source", "binance").assertOk();
        try (BarStore store = open(data))
        {
            final SeriesKey btc = SeriesKey.of("BTC/USD", Timeframe.H1, "binance");
            final SeriesStats s = store.stats(btc);
            assertEquals(7 * 24, s.barCount());
            assertEquals(Instant.parse("2025-03-10T00:00:00Z"), instant(s.firstTs()));
            assertEquals(Instant.parse("2025-03-16T23:00:00Z"), instant(s.lastTs()));
            final BarCursor cursor = store.newCursor();
            store.range(btc, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            int weekend = 0;
            while (cursor.next())
            {
                final DayOfWeek dow = instant(cursor.ts()).atZone(ZoneOffset.UTC).getDayOfWeek();
                weekend += dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? 1 : 0;
                assertTrue(cursor.volume() > 0 && cursor.trades() >= 1, "volume and trades");
            }
            cursor.release();
            assertEquals(48, weekend, "Saturday and Sunday trade too");
        }
        assertEquals(List.of(), StoreVerifier.problems(data));
    }

    @Test
    void dailyBarsOpenAtUtcMidnightOfEachWeekday()
    {
        final Path data = tmp.resolve("data");
        CliRun.of("generate", "--data", data.toString(), "--symbols", "1", "--days", "" + DAYS, "--timeframe", "day",
            "--end", END).assertOk();
        try (BarStore store = open(data))
        {
            final SeriesStats s = store.stats(SeriesKey.of("SYM001", Timeframe.D1));
            assertEquals(WEEKDAYS, s.barCount());
            assertEquals(Instant.parse("2025-03-03T00:00:00Z"), instant(s.firstTs()));
        }
    }

    @Test
    void aCountNamesSymbolsWithEnoughDigitsAndAListDropsDuplicates()
    {
        assertEquals(List.of("SYM001", "SYM002"), GenerateCommand.symbols("2"));
        assertEquals("SYM1000", GenerateCommand.symbols("1000").get(999));
        assertEquals(List.of("AAPL", "BRK.B", "^GSPC"), GenerateCommand.symbols(" AAPL, BRK.B,AAPL,^GSPC,"));
    }

    @Test
    void badOptionsExit2WithOneLineAndWriteNothing()
    {
        final Path data = tmp.resolve("data");
        final String d = data.toString();
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "AA PL", "--days", "1", "--timeframe", "1m")
            .assertFails(2).err().contains("character=U+0020"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "0", "--days", "1", "--timeframe", "1m")
            .assertFails(2).err().contains("--symbols must be 1 to"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "2", "--days", "0", "--timeframe", "1m")
            .assertFails(2).err().contains("--days must be at least 1"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "2", "--days", "3", "--timeframe", "1w")
            .assertFails(2).err().contains("weekly bars are not generated"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "2", "--days", "3", "--timeframe", "7m")
            .assertFails(2).err().contains("unknown timeframe"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "2", "--days", "3", "--timeframe", "1m",
            "--end", "March 3").assertFails(2).err().contains("--end must be a date"));
        assertTrue(CliRun.of("generate", "--data", d, "--days", "3", "--timeframe", "1m")
            .assertFails(2).err().contains("--symbols"));
        assertTrue(CliRun.of("generate", "--data", d, "--symbols", "2", "--days", "3", "--timeframe", "1m",
            "--source", "my source").assertFails(2).err().contains("source has a character"));
        assertTrue(java.nio.file.Files.notExists(data.resolve("series")), "nothing written");
    }

    private static BarStore open(final Path data)
    {
        return BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build());
    }

    /** Every value of every bar of a series, as bits. */
    private static List<Long> bits(final Path data, final SeriesKey key)
    {
        final List<Long> bits = new ArrayList<>();
        try (BarStore store = open(data))
        {
            final BarCursor cursor = store.newCursor();
            assertTrue(store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor), key.toString());
            while (cursor.next())
            {
                bits.add(cursor.ts());
                bits.add(Double.doubleToRawLongBits(cursor.open()));
                bits.add(Double.doubleToRawLongBits(cursor.high()));
                bits.add(Double.doubleToRawLongBits(cursor.low()));
                bits.add(Double.doubleToRawLongBits(cursor.close()));
                bits.add(Double.doubleToRawLongBits(cursor.volume()));
                bits.add(Double.doubleToRawLongBits(cursor.vwap()));
                bits.add(cursor.trades());
            }
            cursor.release();
        }
        return bits;
    }

    private static Instant instant(final long nanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

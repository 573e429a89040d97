package io.barstore.tools;

import io.barstore.engine.BarCursor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Locale;

/** How values look on the terminal: the CONTRACT.md conventions (ISO-8601 UTC, unknown as an empty cell). */
final class Format
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_DECIMALS = 6;

    /** The headers of a table of bars for {@link TextTable}: numeric columns right-aligned. */
    static final String[] BAR_HEADERS = {"ts", "open>", "high>", "low>", "close>", "volume>", "vwap>", "trades>"};

    private Format()
    {
    }

    /** The cells of the bar under {@code cursor}, for a table with {@link #BAR_HEADERS}. */
    static String[] barCells(final BarCursor cursor)
    {
        return new String[] {ts(cursor.ts()), price(cursor.open()), price(cursor.high()), price(cursor.low()),
            price(cursor.close()), quantity(cursor.volume()), price(cursor.vwap()), trades(cursor.trades())};
    }

    /** {@code 2025-01-02T14:30:00Z}, with fractional seconds only when non-zero. */
    static String ts(final long epochNanos)
    {
        return Instant.ofEpochSecond(
            Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND)).toString();
    }

    /** At least two decimals, at most six; an unknown (NaN) value as an empty cell. */
    static String price(final double value)
    {
        if (Double.isNaN(value))
        {
            return "";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        BigDecimal d = BigDecimal.valueOf(value).setScale(MAX_DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (d.scale() < 2)
        {
            d = d.setScale(2, RoundingMode.UNNECESSARY);
        }
        return d.toPlainString();
    }

    /** Whole numbers without decimals (volumes are usually whole shares), others as {@link #price}. */
    static String quantity(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return price(value);
    }

    /** Trade count; unknown (-1) as an empty cell. */
    static String trades(final long trades)
    {
        return trades < 0 ? "" : Long.toString(trades);
    }

    /** {@code 12,345,678} */
    static String count(final long n)
    {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 file}, {@code 12,345 files}: a count and a noun that takes an s. */
    static String count(final long n, final String noun)
    {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code 7.9 MiB} */
    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1)
        {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 1.23 s} or {@code 45 ms} */
    static String duration(final long nanos)
    {
        return nanos >= NANOS_PER_SECOND ?
            String.format(Locale.ROOT, "%.2f s", nanos / 1e9) :
            String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }
}

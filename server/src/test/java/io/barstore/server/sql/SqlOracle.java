package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.server.archive.SqlText;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** SQL results checked against the engine's own reads, value for value. */
final class SqlOracle
{
    static final String BAR_COLUMNS = "ts, open, high, low, close, volume, vwap, trades";
    private static final DateTimeFormatter LITERAL =
        DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private SqlOracle()
    {
    }

    /** The bars of one series in {@code [start, end)}, oldest first, as a user would ask for them. */
    static String rangeSql(final SeriesKey key, final long start, final long end)
    {
        return "SELECT " + BAR_COLUMNS + " FROM bars WHERE symbol = " + SqlText.literal(key.symbol()) +
            " AND timeframe = " + SqlText.literal(key.timeframe().label()) + " AND source = " +
            SqlText.literal(key.source()) + " AND ts >= " + timestamp(start) + " AND ts < " + timestamp(end) +
            " ORDER BY ts";
    }

    /** A TIMESTAMPTZ literal of an instant in epoch ns (DuckDB keeps microseconds). */
    static String timestamp(final long nanos)
    {
        final Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
            Math.floorMod(nanos, 1_000_000_000L));
        return "TIMESTAMPTZ '" + LITERAL.format(instant) + "+00'";
    }

    /** Epoch ns of a {@code ts} cell of a JSON result. */
    static long nanos(final JsonNode cell)
    {
        final Instant instant = Instant.parse(cell.asText());
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Bars in the store, as its statistics count them. */
    static long storeBars(final BarStore store)
    {
        long bars = 0;
        for (final SeriesKey key : store.seriesKeys())
        {
            final SeriesStats stats = store.stats(key);
            bars += stats == null ? 0 : stats.barCount();
        }
        return bars;
    }

    /**
     * {@code result} (the JSON of {@link #rangeSql}) holds exactly the bars the engine reads for the range: same ts,
     * same doubles to the bit (unknown vwap as null), same trades (unknown as -1).
     *
     * @return the number of bars compared.
     */
    static int assertSameBars(final BarStore store, final SeriesKey key, final long start, final long end,
        final JsonNode result, final Supplier<String> context)
    {
        final JsonNode columns = result.get("columns");
        final String[] names = BAR_COLUMNS.split(", ");
        assertEquals(names.length, columns.size(), context);
        for (int c = 0; c < names.length; c++)
        {
            assertEquals(names[c], columns.get(c).get("name").asText(), context);
        }
        final JsonNode rows = result.get("rows");
        assertEquals(rows.size(), result.get("rowCount").asLong(), context);
        final BarCursor cursor = store.newCursor();
        int i = 0;
        try
        {
            if (store.range(key, start, end, cursor))
            {
                while (cursor.next())
                {
                    if (i >= rows.size())
                    {
                        final int at = i;
                        fail(() -> context.get() + ": SQL has " + rows.size() + " bars, the engine more; missing " +
                            Instant.ofEpochSecond(0, cursor.ts()) + " (bar " + at + ")");
                    }
                    final JsonNode row = rows.get(i);
                    final int at = i;
                    final Supplier<String> where = () -> context.get() + ", bar " + at + " " + row;
                    assertEquals(cursor.ts(), nanos(row.get(0)), where);
                    assertBits(cursor.open(), row.get(1), where);
                    assertBits(cursor.high(), row.get(2), where);
                    assertBits(cursor.low(), row.get(3), where);
                    assertBits(cursor.close(), row.get(4), where);
                    assertBits(cursor.volume(), row.get(5), where);
                    if (Double.isNaN(cursor.vwap()))
                    {
                        assertTrue(row.get(6).isNull(), where);
                    }
                    else
                    {
                        assertBits(cursor.vwap(), row.get(6), where);
                    }
                    assertTrue(row.get(7).isIntegralNumber(), where);
                    assertEquals(cursor.trades(), row.get(7).asLong(), where);
                    i++;
                }
            }
        }
        finally
        {
            cursor.release();
        }
        final int engineBars = i;
        assertEquals(engineBars, rows.size(),
            () -> context.get() + ": SQL has more bars than the engine; first extra " + rows.get(engineBars));
        return engineBars;
    }

    private static void assertBits(final double expected, final JsonNode cell, final Supplier<String> where)
    {
        assertTrue(cell.isNumber(), where);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(cell.doubleValue()),
            () -> where.get() + ": expected " + expected + " but was " + cell);
    }
}

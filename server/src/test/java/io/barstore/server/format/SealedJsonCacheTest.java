package io.barstore.server.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.PartitionInfo;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON served from the {@link SealedJsonCache} is byte for byte what Jackson writes for the same bars (the writer's
 * contract before the cache), for any window, any shape and any budget; it never
 * outlives the partition generation it was rendered from, and small reads do not fill it. The store holds January
 * 2025 of one-minute bars as one sealed month segment (44,640 rows, 22 blocks), sealed February days up to
 * {@link #NOW} and writable days after it, so reads cut blocks, cross partitions and end in live rows.
 */
class SealedJsonCacheTest
{
    private static final long MINUTE = Timeframe.M1.nanos();
    private static final long JAN_1 = 1_735_689_600_000_000_000L; // 2025-01-01T00:00:00Z
    private static final long DAY = 1440 * MINUTE;
    private static final int BARS = 40 * 1440; // 2025-01-01 to 2025-02-09
    private static final long NOW = JAN_1 + 37 * DAY; // 2025-02-07: earlier days sealed, later ones writable
    private static final SeriesKey SPY = SeriesKey.of("SPY", Timeframe.M1);
    private static final SeriesKey QQQ = SeriesKey.of("QQQ", Timeframe.M1);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    private BarStore store;
    private BarCursor cursor;
    private long seed;

    @BeforeEach
    void writeAndSeal()
    {
        seed = System.nanoTime();
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
        cursor = store.newCursor();
        final Random random = new Random(seed);
        write(SPY, random, BARS);
        write(QQQ, random, 3 * 1440);
        store.maintain(NOW);
        final List<PartitionInfo> partitions = store.partitions(SPY);
        assertTrue(partitions.get(0).sealed() && partitions.get(0).rows() == 31 * 1440,
            "January is one sealed month segment: " + partitions.get(0));
        assertTrue(!partitions.get(partitions.size() - 1).sealed(), "the newest day is writable");
    }

    @AfterEach
    void close()
    {
        cursor.release();
        store.close();
    }

    @Test
    void servesTheSameBytesAsRenderingEveryBarForAnyWindow() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(64L << 20);
        final Random random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            final long start = JAN_1 + (long)(random.nextDouble() * 42 * DAY) - DAY;
            final long end = start + (long)(random.nextDouble() * (random.nextBoolean() ? DAY : 45 * DAY));
            final long limit = random.nextInt(4) == 0 ? 1 + random.nextInt(5000) : 0;
            final String window = "seed=" + seed + " window " + i + ": start=" + IsoTime.toString(start) + " end=" +
                IsoTime.toString(end) + " limit=" + limit;
            final byte[] expected = reference(start, end, limit);
            assertArrayEquals(expected, series(null, start, end, limit), "rendered, " + window);
            assertArrayEquals(expected, series(cache, start, end, limit), "cached, " + window);
        }
        assertTrue(cache.blocksServed() > cache.blocksRendered() && cache.bytes() > 0,
            "seed=" + seed + ": blocks were served again, not only rendered: served " + cache.blocksServed() +
            ", rendered " + cache.blocksRendered());
    }

    @Test
    void cachedTextIsJsonHoldingExactlyTheStoredBars() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(64L << 20);
        series(cache, Long.MIN_VALUE, Long.MAX_VALUE, 0); // the second read below is served from the cache
        final long start = JAN_1 + 3 * DAY + 17 * MINUTE;
        final long end = JAN_1 + 38 * DAY + 5 * MINUTE;
        final JsonNode bars = MAPPER.readTree(series(cache, start, end, 0)).get("bars");
        assertTrue(store.range(SPY, start, end, cursor));
        int i = 0;
        while (cursor.next())
        {
            final JsonNode bar = bars.get(i++);
            final String at = "seed=" + seed + " bar " + (i - 1);
            assertEquals(IsoTime.toString(cursor.ts()), bar.get("ts").asText(), at);
            assertEquals(cursor.open(), bar.get("open").asDouble(), at);
            assertEquals(cursor.high(), bar.get("high").asDouble(), at);
            assertEquals(cursor.low(), bar.get("low").asDouble(), at);
            assertEquals(cursor.close(), bar.get("close").asDouble(), at);
            assertEquals(cursor.volume(), bar.get("volume").asDouble(), at);
            assertEquals(Double.isNaN(cursor.vwap()), bar.get("vwap").isNull(), at);
            if (!Double.isNaN(cursor.vwap()))
            {
                assertEquals(cursor.vwap(), bar.get("vwap").asDouble(), at);
            }
            assertEquals(cursor.trades(), bar.get("trades").asLong(), at);
        }
        cursor.release();
        assertEquals(i, bars.size(), "seed=" + seed);
        assertEquals((end - start) / MINUTE, bars.size(), "seed=" + seed + ": one bar a minute");
    }

    @Test
    void aRewrittenSealedPeriodIsServedAsItIsNowNotAsItWasCached() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(64L << 20);
        final byte[] before = series(cache, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        assertArrayEquals(reference(Long.MIN_VALUE, Long.MAX_VALUE, 0), before, "seed=" + seed);
        final long ts = JAN_1 + 10 * DAY + 42 * MINUTE;
        store.write(SPY, new BarBatch(1).add(ts, 1.0, 9999.5, 0.5, 9999.25, 7, Double.NaN, 3));
        final byte[] afterUpsert = series(cache, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        assertArrayEquals(reference(Long.MIN_VALUE, Long.MAX_VALUE, 0), afterUpsert, "seed=" + seed);
        assertTrue(new String(afterUpsert, StandardCharsets.US_ASCII).contains("\"close\":9999.25"), "seed=" + seed);
        assertTrue(before.length != afterUpsert.length, "seed=" + seed + ": the upsert changed the text");

        store.delete(SPY, JAN_1 + 20 * DAY + 7 * MINUTE); // cuts January's segment: a new generation of it
        assertArrayEquals(reference(Long.MIN_VALUE, Long.MAX_VALUE, 0),
            series(cache, Long.MIN_VALUE, Long.MAX_VALUE, 0), "seed=" + seed);
    }

    @Test
    void keepsWithinItsBudgetEvictingTheLeastRecentlyUsedBlockByBlock() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(1L << 20); // three or so of January's 22 blocks
        final long february = JAN_1 + 31 * DAY;
        final byte[] january = reference(JAN_1, february, 0);
        for (int round = 0; round < 3; round++)
        {
            assertArrayEquals(january, series(cache, JAN_1, february, 0), "round " + round);
            assertTrue(cache.bytes() <= cache.budgetBytes(), cache.bytes() + " bytes held");
        }
        assertTrue(cache.blocksRendered() >= 3 * 22 - 3,
            "evicted blocks were rendered again: " + cache.blocksRendered());
        assertTrue(cache.bytes() > cache.budgetBytes() / 2 && cache.partitions() == 1,
            "a partition larger than the budget still keeps its newest blocks: " + cache.bytes());

        // January's last block was used last: a read of it alone is served without rendering.
        final long rendered = cache.blocksRendered();
        final long lastBlock = JAN_1 + 21L * SealedJsonCache.BLOCK_ROWS * MINUTE;
        assertArrayEquals(reference(lastBlock, february, 0), series(cache, lastBlock, february, 0));
        assertEquals(rendered, cache.blocksRendered());

        final byte[] expected = reference(Long.MIN_VALUE, Long.MAX_VALUE, 0);
        final SealedJsonCache off = new SealedJsonCache(0);
        assertArrayEquals(expected, series(off, Long.MIN_VALUE, Long.MAX_VALUE, 0));
        assertEquals(0, off.bytes(), "a budget of 0 keeps nothing");
        assertEquals(0, off.blocksRendered(), "a budget of 0 renders every bar straight into the response");
    }

    @Test
    void smallReadsAreRenderedAsTheyAreWithoutFillingTheCache() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(64L << 20);
        final List<SeriesKey> keys = List.of(SPY, QQQ);
        multi(cache, keys, 0, 0, true); // the newest bars: QQQ's lies in a sealed day
        final long start = JAN_1 + 2 * DAY + 100 * MINUTE;
        assertArrayEquals(reference(start, start + 100 * MINUTE, 0), series(cache, start, start + 100 * MINUTE, 0));
        final long end = JAN_1 + 30 * DAY;
        assertArrayEquals(reference(Long.MIN_VALUE, end, 10), series(cache, Long.MIN_VALUE, end, 10));
        assertEquals(0, cache.blocksRendered(), "nothing rendered into the cache for a latest poll or a few bars");
        assertEquals(0, cache.bytes());

        series(cache, start, start + SealedJsonCache.MIN_ROWS_TO_RENDER * MINUTE, 0);
        assertEquals(1, cache.blocksRendered(), "a quarter of a block is worth keeping");
        final long served = cache.blocksServed();
        assertArrayEquals(reference(start, start + 100 * MINUTE, 0), series(cache, start, start + 100 * MINUTE, 0));
        assertEquals(served + 1, cache.blocksServed(), "once held, a small read takes its rows from the block");

        // QQQ's January ends in a block of 224 rows: a read of all of them keeps it, however few they are.
        final long tail = JAN_1 + 2L * SealedJsonCache.BLOCK_ROWS * MINUTE;
        final long rendered = cache.blocksRendered();
        final byte[] first = multi(cache, List.of(QQQ), tail, JAN_1 + 3 * DAY, false);
        assertEquals(rendered + 1, cache.blocksRendered(), "a short block read whole is rendered and kept");
        assertArrayEquals(multiReference(List.of(QQQ), tail, JAN_1 + 3 * DAY, false), first);
        assertArrayEquals(first, multi(cache, List.of(QQQ), tail, JAN_1 + 3 * DAY, false));
        assertEquals(rendered + 1, cache.blocksRendered(), "and served from the cache the next time");
    }

    @Test
    void severalSeriesAndLatestBarsAreWhatJacksonWrites() throws IOException
    {
        final SealedJsonCache cache = new SealedJsonCache(64L << 20);
        final List<SeriesKey> keys = List.of(SPY, SeriesKey.of("NONE", Timeframe.M1), QQQ);
        for (int i = 0; i < 2; i++) // the second time from the cache
        {
            final long start = JAN_1 + DAY / 2;
            final long end = JAN_1 + 39 * DAY;
            assertArrayEquals(multiReference(keys, start, end, false), multi(cache, keys, start, end, false));
            assertArrayEquals(multiReference(keys, start, end, true), multi(cache, keys, start, end, true));
            assertArrayEquals(multiReference(keys, start, end, false), multi(null, keys, start, end, false));
        }
        final JsonNode latest = MAPPER.readTree(multi(cache, keys, 0, 0, true)).get("bars");
        assertTrue(latest.get("NONE").isNull() && latest.get("SPY").isObject() && latest.get("QQQ").isObject(),
            latest.toString());
        final JsonNode several = MAPPER.readTree(multi(cache, keys, JAN_1, JAN_1 + 2 * DAY, false)).get("bars");
        assertEquals(2 * 1440, several.get("SPY").size());
        assertEquals(0, several.get("NONE").size());
    }

    private byte[] series(final SealedJsonCache cache, final long start, final long end, final long limit)
        throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final JsonBarWriter writer = new JsonBarWriter(out, cache);
        writer.startSeries(SPY);
        if (store.range(SPY, start, end, limit, cursor))
        {
            writer.writeBars(SPY, cursor);
        }
        writer.end();
        cursor.release();
        return out.toByteArray();
    }

    private byte[] multi(
        final SealedJsonCache cache, final List<SeriesKey> keys, final long start, final long end, final boolean latest)
        throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final JsonBarWriter writer = new JsonBarWriter(out, cache);
        if (latest)
        {
            writer.startLatest(Timeframe.M1, "default");
        }
        else
        {
            writer.startMulti(Timeframe.M1, "default");
        }
        for (final SeriesKey key : keys)
        {
            if (latest ? store.latest(key, cursor) : store.range(key, start, end, cursor))
            {
                writer.writeBars(key, cursor);
            }
            else
            {
                writer.writeMissing(key);
            }
        }
        writer.end();
        cursor.release();
        return out.toByteArray();
    }

    /**
     * SPY's bars in {@code [start, end)} (the newest {@code limit} when not 0) written by Jackson field by field, as
     * the writer wrote them before it had a cache: numbers as {@link Double#toString}, ts as {@link Instant}.
     */
    private byte[] reference(final long start, final long end, final long limit) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out))
        {
            json.writeStartObject();
            json.writeStringField("symbol", SPY.symbol());
            json.writeStringField("timeframe", SPY.timeframe().label());
            json.writeStringField("source", SPY.source());
            json.writeArrayFieldStart("bars");
            if (store.range(SPY, start, end, limit, cursor))
            {
                while (cursor.next())
                {
                    writeBar(json);
                }
            }
            cursor.release();
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /** {@link #reference} for several series, or for their latest bars. */
    private byte[] multiReference(final List<SeriesKey> keys, final long start, final long end, final boolean latest)
        throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out))
        {
            json.writeStartObject();
            json.writeStringField("timeframe", "1m");
            json.writeStringField("source", "default");
            json.writeObjectFieldStart("bars");
            for (final SeriesKey key : keys)
            {
                json.writeFieldName(key.symbol());
                final boolean found = latest ? store.latest(key, cursor) : store.range(key, start, end, cursor);
                if (latest)
                {
                    if (found && cursor.next())
                    {
                        writeBar(json);
                    }
                    else
                    {
                        json.writeNull();
                    }
                }
                else
                {
                    json.writeStartArray();
                    while (found && cursor.next())
                    {
                        writeBar(json);
                    }
                    json.writeEndArray();
                }
                cursor.release();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private void writeBar(final JsonGenerator json) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("ts", Instant.ofEpochSecond(0, cursor.ts()).toString());
        json.writeNumberField("open", cursor.open());
        json.writeNumberField("high", cursor.high());
        json.writeNumberField("low", cursor.low());
        json.writeNumberField("close", cursor.close());
        json.writeNumberField("volume", cursor.volume());
        if (Double.isNaN(cursor.vwap()))
        {
            json.writeNullField("vwap");
        }
        else
        {
            json.writeNumberField("vwap", cursor.vwap());
        }
        json.writeNumberField("trades", cursor.trades());
        json.writeEndObject();
    }

    /** {@code count} one-minute bars from January 1st with awkward values: long decimals, no vwap, no trades. */
    private void write(final SeriesKey key, final Random random, final int count)
    {
        final BarBatch batch = new BarBatch(count);
        for (int i = 0; i < count; i++)
        {
            final double open = random.nextInt(3) == 0 ? 1 + 100 * random.nextDouble() : 100 + random.nextInt(10_000) * 0.01;
            final double close = open + random.nextInt(100) * 0.01;
            batch.add(JAN_1 + i * MINUTE, open, close + 0.5, open - 0.5, close, random.nextInt(1_000_000),
                random.nextInt(10) == 0 ? Double.NaN : (open + close) / 2, random.nextInt(7) == 0 ? -1 : i);
        }
        store.write(key, batch);
    }
}

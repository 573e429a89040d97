package io.barstore.engine.arrow;

import io.barstore.engine.BarBatch;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bars for the Arrow tests, written with a seed and kept as the oracle the exported columns are compared against,
 * and the leak check every test ends with.
 */
final class ArrowTestBars
{
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    static final long DAY0 = Instant.parse("2025-01-02T00:00:00Z").getEpochSecond() * NANOS_PER_SECOND;

    private ArrowTestBars()
    {
    }

    static StoreConfig config(final Path dir)
    {
        return StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build();
    }

    /**
     * {@code count} valid bars from {@code firstTs}, {@code step} apart, skipping every {@code gapEvery}-th slot
     * (0: none) so a test can upsert into the gaps; vwap and trades are sometimes unknown.
     */
    static BarBatch generate(final long firstTs, final long step, final int count, final int gapEvery, final long seed)
    {
        final BarBatch batch = new BarBatch(count);
        final Random rnd = new Random(seed);
        long ts = firstTs;
        for (int i = 0; i < count; i++, ts += step)
        {
            if (gapEvery > 0 && i % gapEvery == gapEvery - 1)
            {
                continue;
            }
            addRandom(batch, rnd, ts);
        }
        return batch;
    }

    /** Adds one valid bar: low <= min(open, close), high >= max(open, close). */
    static void addRandom(final BarBatch batch, final Random rnd, final long ts)
    {
        final double base = 10 + rnd.nextDouble() * 1000;
        final double open = base + rnd.nextDouble();
        final double close = base + rnd.nextDouble();
        final double high = Math.max(open, close) + rnd.nextDouble();
        final double low = Math.min(open, close) - rnd.nextDouble();
        final double volume = rnd.nextDouble() * 1e6;
        final double vwap = rnd.nextInt(7) == 0 ? BarBatch.UNKNOWN_VWAP : low + (high - low) * rnd.nextDouble();
        final long trades = rnd.nextInt(5) == 0 ? BarBatch.UNKNOWN_TRADES : rnd.nextInt(1_000_000);
        batch.add(ts, open, high, low, close, volume, vwap, trades);
    }

    /** Rows {@code [0, root.getRowCount())} of {@code root} equal bars {@code [from, ...)} of {@code expected}. */
    static void assertBarsEqual(final BarBatch expected, final int from, final VectorSchemaRoot root)
    {
        final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
        final Float8Vector open = (Float8Vector)root.getVector("open");
        final Float8Vector high = (Float8Vector)root.getVector("high");
        final Float8Vector low = (Float8Vector)root.getVector("low");
        final Float8Vector close = (Float8Vector)root.getVector("close");
        final Float8Vector volume = (Float8Vector)root.getVector("volume");
        final Float8Vector vwap = (Float8Vector)root.getVector("vwap");
        final BigIntVector trades = (BigIntVector)root.getVector("trades");
        for (int i = 0; i < root.getRowCount(); i++)
        {
            final int row = from + i;
            final String where = "row " + row;
            assertEquals(expected.ts(row), ts.get(i), where);
            assertSame(expected.open(row), open.get(i), where);
            assertSame(expected.high(row), high.get(i), where);
            assertSame(expected.low(row), low.get(i), where);
            assertSame(expected.close(row), close.get(i), where);
            assertSame(expected.volume(row), volume.get(i), where);
            assertSame(expected.vwap(row), vwap.get(i), where);
            assertEquals(expected.trades(row), trades.get(i), where);
        }
    }

    /** The same double, bit for bit: NaN (unknown vwap) must come back as NaN. */
    static void assertSame(final double expected, final double actual, final String where)
    {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
            where + ": expected " + expected + " but was " + actual);
    }

    /** Fails when Arrow memory leaked, then closes the allocator (which itself throws on a leak). */
    static void assertNoLeak(final BufferAllocator allocator)
    {
        assertEquals(0, allocator.getAllocatedMemory(), () -> "Arrow memory leaked: " + allocator.toVerboseString());
        allocator.close();
    }
}

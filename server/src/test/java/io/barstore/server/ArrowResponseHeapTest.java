package io.barstore.server;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.IsoTime;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving 10 million bars as Arrow costs the server heap per record batch and per buffer Jetty sends, never per bar:
 * the heap its threads allocate for one response of 10,000,000 bars (a series of 1-second bars over 116 days, sealed
 * into month segments) exceeds that for 100,000 bars by at most a fixed budget per extra record batch plus one per
 * extra 32 KiB Jetty flushes to the socket, and the heap in use after a GC does not grow. The engine exports one
 * batch per partition chunk (at most 1,048,576 rows), so the 10 million bars go out in about a dozen batches; Jetty
 * allocates a few small objects per flush of its output buffer (callbacks, the chunk's buffer array), about 0.006
 * bytes per byte sent. One object per bar would be 16 bytes times 9.9 million. The response is read as it streams by
 * an {@link ArrowStreamReader} in this JVM, whose threads are left out of the count ({@link ServerThreads}), as are
 * the HttpClient's.
 */
@Tag("slow")
class ArrowResponseHeapTest
{
    private static final SeriesKey SPY = SeriesKey.of("SPY", Timeframe.S1);
    private static final long SECOND = Timeframe.S1.nanos();
    private static final int SMALL = 100_000;
    private static final int LARGE = 10_000_000;
    private static final int WRITE_BATCH = 10_000;
    /** The engine measures about 5-10 KiB per batch for Arrow's objects per buffer and message; this is room above. */
    private static final long HEAP_PER_BATCH_BUDGET = 16 * 1024;
    /** Jetty's output buffer (HttpConfiguration's default): the body goes to the socket in flushes of this size. */
    private static final long JETTY_FLUSH_BYTES = 32 * 1024;
    /** Jetty 12 allocates about 190 bytes per flush (callbacks, invoker links, the chunk's buffer array); room above. */
    private static final long HEAP_PER_FLUSH_BUDGET = 512;
    /** Noise between two requests: lazily grown buffers, JIT deoptimisation, Jetty's bookkeeping. */
    private static final long HEAP_SLACK = 256 * 1024;
    /** What the heap in use after a GC may grow by across the two responses: nothing of them is kept. */
    private static final long RETAINED_SLACK = 16L << 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @TempDir
    Path dir;

    /** What one response took: rows, batches and bytes read by the client, heap allocated by the server's threads. */
    private record Served(long rows, int batches, long bytes, long serverAllocated)
    {
    }

    @Test
    void servingTenMillionBarsAsArrowAllocatesServerHeapPerRecordBatchNotPerBar() throws Exception
    {
        try (TestServer t = TestServer.start(dir.resolve("data"), config -> config.maxBarsPerResponse(LARGE)))
        {
            writeBars(t.store);
            t.store.maintain(Long.MAX_VALUE / 2); // seal the days and consolidate them into month segments
            final String small = "/v1/bars/SPY?timeframe=1s&format=arrow&end=" + IsoTime.toString(DAY + SMALL * SECOND);
            final String large = "/v1/bars/SPY?timeframe=1s&format=arrow";
            for (int i = 0; i < 3; i++) // warm up: class loading, JIT, Arrow's and Jetty's lazy state
            {
                serve(t, small);
                serve(t, large);
            }

            final long heapBefore = heapUsedAfterGc();
            final Served few = serve(t, small);
            final Served many = serve(t, large);
            final long heapAfter = heapUsedAfterGc();

            assertEquals(SMALL, few.rows);
            assertEquals(LARGE, many.rows);
            final long extraFlushes = (many.bytes - few.bytes) / JETTY_FLUSH_BYTES;
            final long allowed = HEAP_SLACK + (many.batches - few.batches) * HEAP_PER_BATCH_BUDGET +
                extraFlushes * HEAP_PER_FLUSH_BUDGET;
            final long difference = many.serverAllocated - few.serverAllocated;
            final String report = String.format(
                "server heap allocated serving %,d bars (%,d bytes) as Arrow in %d record batch(es): %,d B; %,d bars " +
                "(%,d bytes) in %d batches: %,d B; difference %,d B = %.3f B a bar = %.0f B per 32 KiB flush, " +
                "allowed %,d B (%d extra batches, %,d extra flushes); heap in use after GC before and after: " +
                "%,d B, %,d B", SMALL, few.bytes, few.batches, few.serverAllocated, LARGE, many.bytes, many.batches,
                many.serverAllocated, difference, (double)difference / (LARGE - SMALL),
                (double)difference / extraFlushes, allowed, many.batches - few.batches, extraFlushes, heapBefore,
                heapAfter);
            System.out.println("ArrowResponseHeapTest: " + report);
            assertTrue(difference <= allowed, report);
            assertTrue(heapAfter - heapBefore <= RETAINED_SLACK, report);
            assertEquals(0, t.serverArrowMemory(), "the server still holds Arrow memory after the responses");
        }
    }

    /** GETs {@code pathAndQuery}, reading the Arrow stream batch by batch and checking every ts on the way. */
    private static Served serve(final TestServer t, final String pathAndQuery) throws IOException, InterruptedException
    {
        final ServerThreads before = ServerThreads.quiet();
        final HttpResponse<InputStream> response = t.getStream(pathAndQuery);
        assertEquals(200, response.statusCode());
        long rows = 0;
        int batches = 0;
        try (CountingInputStream body = new CountingInputStream(response.body());
             ArrowStreamReader reader = new ArrowStreamReader(body, t.allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            final TimeStampNanoTZVector ts = (TimeStampNanoTZVector)root.getVector("ts");
            final BigIntVector trades = (BigIntVector)root.getVector("trades");
            while (reader.loadNextBatch())
            {
                final int n = root.getRowCount();
                // The first and last row of each batch: enough to see that batches come whole and in order.
                assertEquals(DAY + rows * SECOND, ts.get(0), "first ts of batch " + batches);
                assertEquals(DAY + (rows + n - 1) * SECOND, ts.get(n - 1), "last ts of batch " + batches);
                assertEquals(TestBars.trades((int)(rows + n - 1)), trades.get(n - 1), "trades of batch " + batches);
                rows += n;
                batches++;
            }
            body.transferTo(OutputStream.nullOutputStream()); // to the end of the HTTP body, past Arrow's end marker
            final ServerThreads after = ServerThreads.quiet();
            return new Served(rows, batches, body.bytes, after.allocatedSince(before));
        }
    }

    /** Bars 0 to 9,999,999 of SPY, one second apart from 2025-01-02, in batches of 10,000 as a loader would write. */
    private static void writeBars(final BarStore store)
    {
        final BarBatch batch = new BarBatch(WRITE_BATCH);
        for (int i = 0; i < LARGE; i++)
        {
            batch.add(DAY + i * SECOND, TestBars.open(i), TestBars.high(i), TestBars.low(i), TestBars.close(i),
                TestBars.volume(i), TestBars.vwap(i), TestBars.trades(i));
            if (batch.size() == WRITE_BATCH)
            {
                store.write(SPY, batch);
                batch.clear();
            }
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream
    {
        long bytes;

        CountingInputStream(final InputStream in)
        {
            super(in);
        }

        public int read() throws IOException
        {
            final int b = super.read();
            bytes += b < 0 ? 0 : 1;
            return b;
        }

        public int read(final byte[] b, final int off, final int len) throws IOException
        {
            final int n = super.read(b, off, len);
            bytes += Math.max(n, 0);
            return n;
        }
    }

    private static long heapUsedAfterGc()
    {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}

package io.barstore.server.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-bar loops of the JSON and CSV writers and parsers allocate nothing: the bytes a thread allocates to handle
 * 100,000 bars are those it allocates for 1,000, give or take less than a byte a bar.
 */
class NoAllocationPerBarTest
{
    private static final int FEW = 1_000;
    private static final int MANY = 100_000;
    private static final SeriesKey SMALL = SeriesKey.of("SMALL", Timeframe.M1);
    private static final SeriesKey LARGE = SeriesKey.of("LARGE", Timeframe.M1);
    private static final long DAY = 1_735_776_000_000_000_000L; // 2025-01-02

    @TempDir
    static Path dir;
    static BarStore store;
    static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    @BeforeAll
    static void writeBars()
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
        write(SMALL, FEW);
        write(LARGE, MANY);
    }

    @AfterAll
    static void close()
    {
        store.close();
    }

    @Test
    void theJsonWriterAllocatesNothingPerBar() throws IOException
    {
        assertNoAllocationPerBar("JsonBarWriter", key -> write(key, new JsonBarWriter(OutputStream.nullOutputStream())));
    }

    @Test
    void theCsvWriterAllocatesNothingPerBar() throws IOException
    {
        assertNoAllocationPerBar("CsvBarWriter", key -> write(key, new CsvBarWriter(OutputStream.nullOutputStream())));
    }

    @Test
    void theJsonParserAllocatesNothingPerBar() throws IOException
    {
        final byte[] few = render(SMALL, false);
        final byte[] many = render(LARGE, false);
        final BarBatch batch = new BarBatch(MANY);
        assertNoAllocationPerBar("JsonBatchParser",
            key -> parse(new JsonBatchParser(JSON), key == SMALL ? few : many, batch));
    }

    @Test
    void theCsvParserAllocatesNothingPerBar() throws IOException
    {
        final byte[] few = render(SMALL, true);
        final byte[] many = render(LARGE, true);
        final BarBatch batch = new BarBatch(MANY);
        assertNoAllocationPerBar("CsvBatchParser", key -> parse(new CsvBatchParser(), key == SMALL ? few : many, batch));
    }

    private interface Run
    {
        void run(SeriesKey key) throws IOException;
    }

    private static void assertNoAllocationPerBar(final String what, final Run run) throws IOException
    {
        for (int i = 0; i < 3; i++) // warm up: class loading, thread-local buffers, JIT
        {
            run.run(SMALL);
            run.run(LARGE);
        }
        final long few = allocated(run, SMALL);
        final long many = allocated(run, LARGE);
        final double perBar = (double)(many - few) / (MANY - FEW);
        assertTrue(perBar < 1.0, what + " allocated " + perBar + " bytes a bar (" + few + " bytes for " + FEW +
            " bars, " + many + " for " + MANY + ")");
    }

    private static long allocated(final Run run, final SeriesKey key) throws IOException
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        run.run(key);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void write(final SeriesKey key, final BarWriter writer) throws IOException
    {
        final BarCursor cursor = store.newCursor();
        try
        {
            writer.startSeries(key);
            store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            writer.writeBars(key, cursor);
            writer.end();
        }
        finally
        {
            cursor.release();
        }
    }

    private static void parse(final BatchParser parser, final byte[] body, final BarBatch batch) throws IOException
    {
        batch.clear();
        final RowErrors errors = new RowErrors();
        parser.parse(new ByteArrayInputStream(body), batch, errors);
        assertTrue(errors.total() == 0 && batch.size() > 0);
    }

    private static byte[] render(final SeriesKey key, final boolean csv) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (csv)
        {
            write(key, new CsvBarWriter(out));
            return out.toByteArray();
        }
        write(key, new JsonBarWriter(out));
        // POST takes the bars array alone: cut it out of {"symbol":...,"bars":[...]}.
        final String json = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        return json.substring(json.indexOf('['), json.lastIndexOf(']') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void write(final SeriesKey key, final int count)
    {
        final BarBatch batch = new BarBatch(count);
        for (int i = 0; i < count; i++)
        {
            final double open = 100 + (i % 500) * 0.01;
            batch.add(DAY + i * Timeframe.M1.nanos(), open, open + 1, open - 1, open + 0.5, 1000 + i,
                i % 10 == 3 ? Double.NaN : open + 0.25, i % 7 == 5 ? -1 : i);
        }
        store.write(key, batch);
    }
}

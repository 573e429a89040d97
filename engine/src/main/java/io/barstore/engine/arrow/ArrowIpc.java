package io.barstore.engine.arrow;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes bars as an Arrow IPC stream (CONTRACT.md: {@value #STREAM_MIME_TYPE}) straight from the mapped files: each
 * record batch is written from the partition memory, with no heap copy of the bars.
 */
public final class ArrowIpc
{
    public static final String STREAM_MIME_TYPE = "application/vnd.apache.arrow.stream";

    private ArrowIpc()
    {
    }

    /**
     * Writes the bars of a cursor positioned by {@code store.range(...)} as an IPC stream of
     * {@link BarArrowSchema#SINGLE_SERIES}, releasing the cursor at the end. {@code out} is flushed, not closed: a
     * stream that gathers what it is given sends it when the caller closes it.
     *
     * @return the number of bars written.
     */
    public static long writeStream(final BufferAllocator allocator, final BarCursor cursor, final OutputStream out)
        throws IOException
    {
        try (BarArrowReader reader = new BarArrowReader(allocator, cursor))
        {
            return writeStream(reader, out);
        }
    }

    /**
     * Writes the bars in {@code [start, end)} of several series as an IPC stream of
     * {@link BarArrowSchema#MULTI_SERIES}; see {@link BarArrowReader#multi}. {@code out} is flushed, not closed: a
     * stream that gathers what it is given sends it when the caller closes it.
     *
     * @return the number of bars written.
     */
    public static long writeStream(
        final BufferAllocator allocator,
        final BarStore store,
        final List<SeriesKey> keys,
        final long start,
        final long end,
        final long limit,
        final OutputStream out) throws IOException
    {
        try (BarArrowReader reader = BarArrowReader.multi(allocator, store, keys, start, end, limit))
        {
            return writeStream(reader, out);
        }
    }

    /**
     * Writes every batch of {@code reader} (which provides the dictionaries) as an IPC stream; the caller closes the
     * reader. {@code out} is flushed, not closed: a stream that gathers what it is given sends it when the caller
     * closes it.
     *
     * @return the number of rows written.
     */
    public static long writeStream(final ArrowReader reader, final OutputStream out) throws IOException
    {
        final VectorSchemaRoot root = reader.getVectorSchemaRoot();
        long rows = 0;
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, reader, new OutputStreamChannel(out)))
        {
            writer.start();
            while (reader.loadNextBatch())
            {
                writer.writeBatch();
                rows += root.getRowCount();
            }
            writer.end();
        }
        return rows;
    }
}

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;
import io.barstore.engine.Column;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Physical reference for ingest: the 64 bytes of each bar (its eight column values) appended raw to a Chronicle Queue,
 * one document per symbol-day, with the roll cycle and the column-by-column native copy of barstore's journal but no
 * header, validation or partition files. What writing the same bytes through a memory-mapped log costs; ingest only.
 */
final class ChronicleRawPeer implements BarPeer
{
    private static final Column[] COLUMNS = Column.values();

    private final PeerDataset data;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;

    ChronicleRawPeer(final PeerDataset data, final Path dir)
    {
        this.data = data;
        queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.FAST_HOURLY).build();
        appender = queue.createAppender();
    }

    @Override
    public void ingest() throws Exception
    {
        data.replay(new PeerDataset.Feed()
        {
            public void bars(final int symbol, final BarBatch batch)
            {
                final int columnBytes = batch.size() * Column.VALUE_BYTES;
                try (DocumentContext dc = appender.writingDocument())
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    for (final Column column : COLUMNS)
                    {
                        bytes.unsafeWrite(batch.columnAddress(column), columnBytes);
                    }
                }
            }

            public void endOfDay(final int day)
            {
            }
        });
    }

    /** Bars in the queue: every document's length over 64 bytes. */
    @Override
    public long count()
    {
        long bytes = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    bytes += dc.wire().bytes().readRemaining();
                }
            }
        }
        return bytes / (Column.COUNT * Column.VALUE_BYTES);
    }

    @Override
    public void range(final int symbol, final long startNanos, final long endNanos, final BarSums sums)
    {
        throw new UnsupportedOperationException("the raw Chronicle reference is for ingest only");
    }

    @Override
    public void latest(final BarSums sums)
    {
        throw new UnsupportedOperationException("the raw Chronicle reference is for ingest only");
    }

    @Override
    public double closeSum()
    {
        throw new UnsupportedOperationException("the raw Chronicle reference is for ingest only");
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
    }
}

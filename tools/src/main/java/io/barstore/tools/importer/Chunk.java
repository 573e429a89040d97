package io.barstore.tools.importer;

import io.barstore.engine.BarBatch;

import java.util.Arrays;

/** Up to {@link ChunkPool#CHUNK_ROWS} parsed bars of one series (off-heap) and the line each came from. */
final class Chunk
{
    final BarBatch bars;
    long[] lines;

    Chunk(final int capacity)
    {
        bars = new BarBatch(capacity);
        lines = new long[capacity];
    }

    int size()
    {
        return bars.size();
    }

    void add(
        final long ts, final double open, final double high, final double low, final double close, final double volume,
        final double vwap, final long trades, final long line)
    {
        final int row = bars.size();
        if (row == lines.length)
        {
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        bars.add(ts, open, high, low, close, volume, vwap, trades);
        lines[row] = line;
    }

    /** Copies row {@code row} of {@code from} to the end of this chunk. */
    void addRow(final Chunk from, final int row)
    {
        final BarBatch b = from.bars;
        add(b.ts(row), b.open(row), b.high(row), b.low(row), b.close(row), b.volume(row), b.vwap(row), b.trades(row),
            from.lines[row]);
    }

    boolean isFullSize()
    {
        return lines.length >= ChunkPool.CHUNK_ROWS;
    }
}

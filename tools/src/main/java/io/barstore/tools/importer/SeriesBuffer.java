package io.barstore.tools.importer;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.BatchRejectedException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.WriteResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Every valid bar of one series from one file, held until the whole file has been read and checked, then written in
 * batches of up to {@link ChunkPool#CHUNK_ROWS}. Rows in time order (the usual case) are written straight from the
 * chunks they were parsed into. Otherwise they are sorted first, so a newest-first file appends rather than
 * upserting every batch, and two rows with one ts are found: the later one is a bad row ("duplicate ts").
 */
final class SeriesBuffer
{
    private final SeriesKey key;
    private final ChunkPool pool;
    private final List<Chunk> chunks = new ArrayList<>();
    private Chunk current;
    private long rows;
    private long lastTs = Long.MIN_VALUE;
    private boolean increasing = true;
    /** When not increasing: the rows to write, in ts order, duplicates left out. */
    private int[] order;
    private int orderCount;
    /** Trades waiting to become bars, when the file holds trades. */
    final TradeBars trades;

    SeriesBuffer(final SeriesKey key, final ChunkPool pool, final boolean aggregateTrades)
    {
        this.key = key;
        this.pool = pool;
        this.trades = aggregateTrades ? new TradeBars() : null;
    }

    SeriesKey key()
    {
        return key;
    }

    void add(
        final long ts, final double open, final double high, final double low, final double close, final double volume,
        final double vwap, final long trades, final long line)
    {
        Chunk chunk = current;
        if (chunk == null || chunk.size() == ChunkPool.CHUNK_ROWS)
        {
            chunk = newChunk();
        }
        chunk.add(ts, open, high, low, close, volume, vwap, trades, line);
        rows++;
        if (ts <= lastTs)
        {
            increasing = false;
        }
        lastTs = ts;
    }

    private Chunk newChunk()
    {
        if (chunks.size() >= Integer.MAX_VALUE / ChunkPool.CHUNK_ROWS - 1)
        {
            throw new IllegalStateException("more than 2^31 bars of one series in one file");
        }
        current = chunks.isEmpty() ? pool.first() : pool.full();
        chunks.add(current);
        return current;
    }

    /** The chunks as filled, for tests. */
    List<Chunk> chunks()
    {
        return java.util.Collections.unmodifiableList(chunks);
    }

    /** Rows added. */
    long rows()
    {
        return rows;
    }

    /** Adds every row of this buffer, in the order added, to {@code target}. */
    void copyTo(final SeriesBuffer target)
    {
        for (final Chunk chunk : chunks)
        {
            final BarBatch b = chunk.bars;
            for (int r = 0; r < chunk.size(); r++)
            {
                target.add(b.ts(r), b.open(r), b.high(r), b.low(r), b.close(r), b.volume(r), b.vwap(r), b.trades(r),
                    chunk.lines[r]);
            }
        }
    }

    /** Bars to write: the rows read, less duplicates once {@link #finish} has run. */
    long bars()
    {
        return increasing ? rows : orderCount;
    }

    /**
     * Ends the file: turns trades into bars, and for rows out of time order sorts them and reports each row whose ts
     * an earlier line already had (strict: the first one throws).
     */
    void finish(final RowErrors errors)
    {
        if (trades != null)
        {
            trades.emit(this);
        }
        if (!increasing)
        {
            sort(errors);
        }
    }

    private void sort(final RowErrors errors)
    {
        final int n = (int)rows;
        final long[] ts = new long[n];
        for (int r = 0; r < n; r++)
        {
            ts[r] = chunk(r).bars.ts(r & (ChunkPool.CHUNK_ROWS - 1));
        }
        final int[] sorted = new int[n];
        for (int r = 0; r < n; r++)
        {
            sorted[r] = r;
        }
        mergeSort(sorted, new int[n], ts, n);
        order = new int[n];
        orderCount = 0;
        List<long[]> duplicates = null;
        for (int i = 0; i < n; i++)
        {
            final int r = sorted[i];
            if (orderCount > 0 && ts[order[orderCount - 1]] == ts[r])
            {
                if (duplicates == null)
                {
                    duplicates = new ArrayList<>();
                }
                duplicates.add(new long[] {line(r), line(order[orderCount - 1]), ts[r]});
                continue;
            }
            order[orderCount++] = r;
        }
        if (duplicates != null)
        {
            duplicates.sort((a, b) -> Long.compare(a[0], b[0]));
            for (final long[] d : duplicates)
            {
                errors.add(d[0], 0, "duplicate ts " + CivilTime.iso(d[2]) + " of " + key.symbol() + ": line " + d[1] +
                    " has the same bar open time (a file must hold one bar per ts; the later line is left out)");
            }
        }
    }

    /** Stable bottom-up merge sort of row indexes by ts (equal ts keep file order). */
    private static void mergeSort(final int[] a, final int[] scratch, final long[] ts, final int n)
    {
        int[] from = a;
        int[] to = scratch;
        for (int width = 1; width < n; width *= 2)
        {
            for (int lo = 0; lo < n; lo += 2 * width)
            {
                final int mid = Math.min(lo + width, n);
                final int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi)
                {
                    to[k++] = ts[from[j]] < ts[from[i]] ? from[j++] : from[i++];
                }
                while (i < mid)
                {
                    to[k++] = from[i++];
                }
                while (j < hi)
                {
                    to[k++] = from[j++];
                }
            }
            final int[] t = from;
            from = to;
            to = t;
        }
        if (from != a)
        {
            System.arraycopy(from, 0, a, 0, n);
        }
    }

    private Chunk chunk(final int row)
    {
        return chunks.get(row / ChunkPool.CHUNK_ROWS);
    }

    private long line(final int row)
    {
        return chunk(row).lines[row & (ChunkPool.CHUNK_ROWS - 1)];
    }

    /**
     * Writes the bars in batches, adding what each did to {@code counts}. A batch the store rejects (it should not:
     * every rule was checked as the rows were read) is reported naming its first bad line.
     */
    void write(final BarStore store, final WriteResult result, final WriteCounts counts, final String file)
    {
        if (increasing)
        {
            for (final Chunk chunk : chunks)
            {
                write(store, chunk, result, counts, file);
            }
            return;
        }
        final Chunk batch = pool.full();
        try
        {
            for (int i = 0; i < orderCount; i++)
            {
                final int r = order[i];
                batch.addRow(chunk(r), r & (ChunkPool.CHUNK_ROWS - 1));
                if (batch.size() == ChunkPool.CHUNK_ROWS || i == orderCount - 1)
                {
                    write(store, batch, result, counts, file);
                    batch.bars.clear();
                }
            }
        }
        finally
        {
            pool.give(batch);
        }
    }

    private void write(
        final BarStore store, final Chunk chunk, final WriteResult result, final WriteCounts counts, final String file)
    {
        if (chunk.size() == 0)
        {
            return;
        }
        try
        {
            store.write(key, chunk.bars, result);
        }
        catch (final BatchRejectedException ex)
        {
            final BatchRejectedException.RowError first = ex.errors().get(0);
            throw new ImportException(file, chunk.lines[first.row()], 0,
                "the store rejected the bar of " + key.symbol() + ": " + first.field() + " " + first.rule());
        }
        counts.add(result);
    }

    void release()
    {
        for (final Chunk chunk : chunks)
        {
            pool.give(chunk);
        }
        chunks.clear();
        current = null;
    }
}

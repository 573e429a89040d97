package io.barstore.server.format;

import io.barstore.engine.Column;
import io.barstore.engine.storage.Partition;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON text of sealed partitions' bars, rendered once and then served as bytes. Formatting is most of what a JSON
 * response costs (six shortest-decimal numbers and a timestamp a bar, about 250 ns), and sealed partitions, the bulk
 * of any history, never change: a sealed file is immutable, and a rewrite of its period (an upsert, a deletion, a
 * compaction) makes a new generation, which the engine hands out as a new {@link Partition} object. So the text is
 * kept by partition object, and a stale entry is never served, only left to age out.
 * <p>
 * Text is kept in blocks of {@value #BLOCK_ROWS} rows. Only reads that take a good share of a block render it (see
 * {@link #MIN_ROWS_TO_RENDER}): a poll of the newest bar of a thousand quiet symbols must not render a thousand
 * blocks. Blocks are evicted least recently used first
 * once they pass the byte budget, one block at a time, so one huge partition cannot flush everything else. Lookups
 * take a lock once per block, never per bar; two threads missing the same block both render it, and the first one
 * kept wins.
 */
public final class SealedJsonCache
{
    static final int BLOCK_SHIFT = 11;
    /** Rows per block: about 300 KB of text for typical bars, handed to the response in one write. */
    static final int BLOCK_ROWS = 1 << BLOCK_SHIFT;
    /** A read renders a block it does not find only when it takes this many of its rows, or all of a shorter one. */
    static final int MIN_ROWS_TO_RENDER = BLOCK_ROWS / 4;
    /** What a block costs beyond its text: its row offsets (counted exactly) and objects, roughly. */
    private static final int BLOCK_OVERHEAD = 96;

    /** Render scratch, one per thread: grown to the largest block seen, then reused. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1][]);

    private final long budgetBytes;
    private final Map<Partition, Block[]> partitions = new HashMap<>();
    /** Least recently used first: a list threaded through the blocks themselves, so a hit allocates nothing. */
    private final Block lru = new Block(null, null, null, 0);
    private long bytes;
    private long blocksServed;
    private long blocksRendered;

    /** A cache holding at most about {@code budgetBytes} of text; 0 keeps nothing (every read renders). */
    public SealedJsonCache(final long budgetBytes)
    {
        if (budgetBytes < 0)
        {
            throw new IllegalArgumentException("the JSON cache budget must be 0 (off) or more bytes, not " +
                budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        lru.newer = lru;
        lru.older = lru;
    }

    /**
     * Block {@code index} of sealed partition {@code partition}, whose row 0 has its ts at {@code tsAddress} and whose
     * columns lie {@code stride} bytes apart (the caller holds the mapping), for a read of {@code rowsRead} of its
     * rows. When it is not held, it is rendered and kept if the read takes {@link #MIN_ROWS_TO_RENDER} rows or the
     * whole block; else null is returned and the caller renders the rows it reads itself.
     */
    Block block(
        final Partition partition, final int index, final long tsAddress, final long stride, final int rowsRead)
    {
        final long first = (long)index << BLOCK_SHIFT;
        final int rows = (int)Math.min(BLOCK_ROWS, partition.rowCountHint() - first);
        synchronized (this)
        {
            final Block[] held = partitions.get(partition);
            if (held != null && held[index] != null)
            {
                blocksServed++;
                final Block block = held[index];
                unlink(block);
                linkNewest(block);
                return block;
            }
            if (rowsRead < Math.min(MIN_ROWS_TO_RENDER, rows))
            {
                return null;
            }
        }
        final Block block = Block.render(partition, index, tsAddress + first * Column.VALUE_BYTES, stride, rows);
        synchronized (this)
        {
            blocksServed++;
            blocksRendered++;
            if (block.sizeInBytes() > budgetBytes || partition.superseded())
            {
                return block; // served once, not kept: nothing will read a superseded generation for long
            }
            Block[] held = partitions.get(partition);
            if (held == null)
            {
                held = new Block[(int)((partition.rowCountHint() + BLOCK_ROWS - 1) >>> BLOCK_SHIFT)];
                partitions.put(partition, held);
            }
            if (held[index] != null)
            {
                return held[index];
            }
            held[index] = block;
            linkNewest(block);
            bytes += block.sizeInBytes();
            while (bytes > budgetBytes)
            {
                evict(lru.newer);
            }
            return block;
        }
    }

    /** Bytes of text and offsets held now. */
    public synchronized long bytes()
    {
        return bytes;
    }

    /** Partitions with at least one block held now. */
    public synchronized int partitions()
    {
        return partitions.size();
    }

    /** Blocks served since start, held or rendered. */
    public synchronized long blocksServed()
    {
        return blocksServed;
    }

    /** Blocks rendered since start because they were not held. */
    public synchronized long blocksRendered()
    {
        return blocksRendered;
    }

    /** The budget given at construction. */
    public long budgetBytes()
    {
        return budgetBytes;
    }

    private void evict(final Block block)
    {
        unlink(block);
        bytes -= block.sizeInBytes();
        final Block[] held = partitions.get(block.partition);
        held[block.index] = null;
        for (final Block other : held)
        {
            if (other != null)
            {
                return;
            }
        }
        partitions.remove(block.partition);
    }

    private void linkNewest(final Block block)
    {
        block.older = lru.older;
        block.newer = lru;
        lru.older.newer = block;
        lru.older = block;
    }

    private static void unlink(final Block block)
    {
        block.older.newer = block.newer;
        block.newer.older = block.older;
    }

    /**
     * Consecutive rows as JSON objects separated by commas, {@code {...},{...},{...}}: row {@code i} starts at
     * {@code starts[i]}, and {@code starts[rows]} is one past the text (where the next comma would be), so rows
     * {@code [i, j)} are the {@code starts[j] - 1 - starts[i]} bytes from {@code starts[i]}. Immutable once made; the
     * links are the cache's, under its lock.
     */
    static final class Block
    {
        private final Partition partition;
        private final byte[] text;
        private final int[] starts;
        private final int index;
        // Toward the least (older) and the most (newer) recently used; the cache's sentinel closes the ring.
        private Block older;
        private Block newer;

        private Block(final Partition partition, final byte[] text, final int[] starts, final int index)
        {
            this.partition = partition;
            this.text = text;
            this.starts = starts;
            this.index = index;
        }

        /** Renders {@code rows} rows, the first with its ts at {@code tsAddress}, columns {@code stride} apart. */
        static Block render(
            final Partition partition, final int index, final long tsAddress, final long stride, final int rows)
        {
            final JsonBarText bar = new JsonBarText();
            final int[] starts = new int[rows + 1];
            final byte[][] scratch = SCRATCH.get();
            byte[] text = scratch[0] == null ? new byte[rows * 160] : scratch[0];
            int p = 0;
            for (int i = 0; i < rows; i++)
            {
                bar.ofRow(tsAddress + (long)i * Column.VALUE_BYTES, stride);
                if (p + bar.length() + 1 > text.length)
                {
                    text = Arrays.copyOf(text, Math.max(text.length * 2, p + bar.length() + 1));
                }
                starts[i] = p;
                p = bar.copyTo(text, p);
                text[p++] = ',';
            }
            starts[rows] = p;
            scratch[0] = text;
            return new Block(partition, Arrays.copyOf(text, Math.max(0, p - 1)), starts, index);
        }

        byte[] text()
        {
            return text;
        }

        /** Where row {@code i} starts in {@link #text()}; for {@code i == rows()}, one past the text. */
        int start(final int i)
        {
            return starts[i];
        }

        int rows()
        {
            return starts.length - 1;
        }

        long sizeInBytes()
        {
            return text.length + 4L * starts.length + BLOCK_OVERHEAD;
        }
    }
}

package io.barstore.tools.importer;

import java.util.ArrayDeque;

/**
 * Full-size chunks kept from one file to the next, so importing many files does not allocate and zero new off-heap
 * memory for each. A series starts with a small chunk that grows (a multi-symbol file can hold thousands of series of
 * a few rows each) and continues with full-size ones.
 */
final class ChunkPool
{
    /** Rows a chunk holds, and so the rows of one write: 2 MiB of bars. */
    static final int CHUNK_ROWS = 32_768;
    static final int FIRST_CHUNK_ROWS = 64;
    /** At most this many chunks (64 MiB) are kept between files. */
    static final int MAX_POOLED = 32;

    private final ArrayDeque<Chunk> free = new ArrayDeque<>();

    /** A chunk for the start of a series: a pooled full-size one if there is one, else a small one. */
    Chunk first()
    {
        final Chunk pooled = free.poll();
        return pooled != null ? pooled : new Chunk(FIRST_CHUNK_ROWS);
    }

    Chunk full()
    {
        final Chunk pooled = free.poll();
        return pooled != null ? pooled : new Chunk(CHUNK_ROWS);
    }

    void give(final Chunk chunk)
    {
        if (chunk.isFullSize() && free.size() < MAX_POOLED)
        {
            chunk.bars.clear();
            free.push(chunk);
        }
    }
}

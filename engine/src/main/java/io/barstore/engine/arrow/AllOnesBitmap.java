package io.barstore.engine.arrow;

import org.agrona.BufferUtil;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

import java.nio.ByteBuffer;

/**
 * One process-wide off-heap region of 0xFF bytes, the validity bitmap of every exported column: bars are never null,
 * so every vector of every batch slices the same bytes instead of Arrow allocating and filling a bitmap per vector.
 * <p>
 * The region is allocated once and never freed (it is reachable from a static field), so wrapping it needs no
 * release. Nothing may write to it: exported vectors are read-only.
 */
final class AllOnesBitmap
{
    /** 128 KiB covers 1,048,576 rows, which is also the most rows a record batch carries (64 MiB of bar data). */
    static final int BYTES = 128 * 1024;
    static final int ROWS = BYTES * Byte.SIZE;

    private static final ByteBuffer MEMORY = allocate();
    private static final long ADDRESS = BufferUtil.address(MEMORY);

    private AllOnesBitmap()
    {
    }

    /**
     * The shared bitmap as a buffer of {@code allocator}, accounted to it (Arrow counts foreign memory); the caller
     * closes it. Slices of it live on in vectors for as long as they are referenced.
     */
    static ArrowBuf wrap(final BufferAllocator allocator)
    {
        return allocator.wrapForeignAllocation(new ForeignAllocation(BYTES, ADDRESS)
        {
            protected void release0()
            {
                // Shared and static: nothing to free.
            }
        });
    }

    /** Bytes of bitmap that {@code rows} rows need. */
    static int bytesFor(final int rows)
    {
        return (rows + Byte.SIZE - 1) / Byte.SIZE;
    }

    static long address()
    {
        return ADDRESS;
    }

    private static ByteBuffer allocate()
    {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(BYTES, 64);
        MemoryUtil.setMemory(BufferUtil.address(memory), BYTES, (byte)0xFF);
        return memory;
    }
}

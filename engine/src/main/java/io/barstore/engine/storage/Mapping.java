package io.barstore.engine.storage;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One memory-mapped partition file with a reference count: the mapping cache holds one reference while the file is
 * mapped, every reader, writer and exported Arrow buffer holds one while it uses the memory, and the last release
 * unmaps it. So an evicted, rewritten or deleted partition stays readable for whoever still holds it.
 */
public final class Mapping
{
    private static final VarHandle REF_COUNT;

    static
    {
        try
        {
            REF_COUNT = MethodHandles.lookup().findVarHandle(Mapping.class, "refCount", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path path;
    private final MappedByteBuffer buffer;
    private final long address;
    private final long length;
    /** Mappings of the owning cache not yet unmapped, or null for one-off mappings outside any cache. */
    private final AtomicInteger live;
    @SuppressWarnings("unused")
    private volatile int refCount = 1;

    Mapping(final Path path, final MappedByteBuffer buffer)
    {
        this(path, buffer, null);
    }

    Mapping(final Path path, final MappedByteBuffer buffer, final AtomicInteger live)
    {
        this.live = live;
        this.path = path;
        this.buffer = buffer;
        this.address = BufferUtil.address(buffer);
        this.length = buffer.capacity();
    }

    /** Takes a reference unless the mapping has already been released for good. */
    public boolean tryRetain()
    {
        int count;
        do
        {
            count = (int)REF_COUNT.getVolatile(this);
            if (count <= 0)
            {
                return false;
            }
        }
        while (!REF_COUNT.compareAndSet(this, count, count + 1));
        return true;
    }

    /** Gives a reference back; the last one unmaps the file. */
    public void release()
    {
        final int count = (int)REF_COUNT.getAndAdd(this, -1) - 1;
        if (count == 0)
        {
            unmap();
        }
        else if (count < 0)
        {
            throw new IllegalStateException("mapping released more often than retained: " + path);
        }
    }

    /**
     * Unmaps the file now if the only reference left is the cache's; once this returns true {@link #tryRetain()}
     * fails for everyone. A mapping someone still holds is left alone: evicting it would not unmap anything.
     */
    boolean unmapIfIdle()
    {
        if (REF_COUNT.compareAndSet(this, 1, 0))
        {
            unmap();
            return true;
        }
        return false;
    }

    private void unmap()
    {
        IoUtil.unmap(buffer);
        if (live != null)
        {
            live.decrementAndGet();
        }
    }

    /** A view of the mapped bytes, for bulk work such as checksums; position and limit are the caller's. */
    public java.nio.ByteBuffer byteBuffer()
    {
        return buffer.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    public long address()
    {
        return address;
    }

    public long length()
    {
        return length;
    }

    public Path path()
    {
        return path;
    }
}

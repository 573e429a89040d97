package io.barstore.engine.arrow;

import io.barstore.engine.storage.Mapping;
import org.apache.arrow.memory.ForeignAllocation;

/**
 * A column slice of a mapped partition file handed to Arrow as foreign memory: it holds one reference on the
 * {@link Mapping}, so the file stays mapped until Arrow frees the last buffer over the slice, however long after the
 * cursor moved on, the partition was rewritten or the store was closed.
 */
final class MappedColumnAllocation extends ForeignAllocation
{
    private final Mapping mapping;
    private boolean released;

    /** The caller has already retained {@code mapping} once for this allocation. */
    MappedColumnAllocation(final Mapping mapping, final long address, final long size)
    {
        super(size, address);
        this.mapping = mapping;
    }

    protected void release0()
    {
        releaseOnce();
    }

    /**
     * Gives the reference back at most once: Arrow calls {@link #release0()} itself when wrapping fails part way,
     * but not when it fails before, so the caller releases too on failure and one of the two wins.
     */
    void releaseOnce()
    {
        if (!released)
        {
            released = true;
            mapping.release();
        }
    }
}

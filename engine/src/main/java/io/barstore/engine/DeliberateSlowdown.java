package io.barstore.engine;

/**
 * A switchable delay in the write and range-read paths that exists only to prove the performance regression gate
 * (bench/) fails when those paths get slower: {@code -Dbarstore.slowdown.nanos=N} busy-waits N ns per write call and
 * per range positioning. Off (0) unless set; the field is a static final, so the JIT folds the check away.
 */
final class DeliberateSlowdown
{
    static final String PROPERTY = "barstore.slowdown.nanos";
    static final long NANOS = Long.getLong(PROPERTY, 0L);

    private DeliberateSlowdown()
    {
    }

    static void apply()
    {
        if (NANOS > 0)
        {
            // Busy, not sleeping: a regression is CPU spent on the caller's thread, and sleeps are far coarser.
            final long until = System.nanoTime() + NANOS;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}

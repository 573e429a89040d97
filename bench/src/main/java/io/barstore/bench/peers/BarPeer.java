package io.barstore.bench.peers;

import io.barstore.bench.BarSums;

/**
 * One system under comparison, holding the bars of a {@link PeerDataset} in its own directory, set up as its users
 * set it up. Not thread-safe: one benchmark thread per peer. The physical references (Chronicle raw append, memory
 * copy) implement only what they can.
 */
public interface BarPeer extends AutoCloseable
{
    /** Writes every bar of the dataset in {@link PeerDataset#replay} order, committing as the system's users do. */
    void ingest() throws Exception;

    /**
     * After {@link #ingest()} of a read fixture: brings the data to the state a long-running store settles in (for
     * barstore, what its background agent does: closed days sealed, closed months consolidated). Not timed.
     */
    default void settle() throws Exception
    {
    }

    /** Bars held, as counted by the system itself. */
    long count() throws Exception;

    /** Every bar of {@code symbol} with ts in {@code [startNanos, endNanos)}, in ts order, summed into {@code sums}. */
    void range(int symbol, long startNanos, long endNanos, BarSums sums) throws Exception;

    /** The newest bar of every symbol, summed into {@code sums}. */
    void latest(BarSums sums) throws Exception;

    /** Sum of the close column over every bar. */
    double closeSum() throws Exception;

    @Override
    void close() throws Exception;
}

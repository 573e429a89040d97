package io.barstore.engine.storage;

/**
 * An immutable, sorted, non-overlapping list of a series' partitions. The writer publishes a new table for every
 * change of the partition set (a new period, a rewrite, a consolidation); readers take the table once per query,
 * so a partition swapped out under them stays in their view until they finish.
 */
public final class PartitionTable
{
    public static final PartitionTable EMPTY = new PartitionTable(new Partition[0]);

    private final Partition[] partitions;

    PartitionTable(final Partition[] partitions)
    {
        this.partitions = partitions;
    }

    public int size()
    {
        return partitions.length;
    }

    public Partition get(final int index)
    {
        return partitions[index];
    }

    public Partition newest()
    {
        return partitions.length == 0 ? null : partitions[partitions.length - 1];
    }

    /** Index of the partition whose period holds {@code ts}, or {@code -(insertion point) - 1}. */
    public int find(final long ts)
    {
        int lo = 0;
        int hi = partitions.length - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final Partition p = partitions[mid];
            if (ts < p.periodStart)
            {
                hi = mid - 1;
            }
            else if (ts >= p.periodEnd)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Index of the first partition whose period ends after {@code ts}. */
    public int firstEndingAfter(final long ts)
    {
        int lo = 0;
        int hi = partitions.length;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (partitions[mid].periodEnd <= ts)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first partition whose period starts at or after {@code ts}. */
    public int firstStartingAtOrAfter(final long ts)
    {
        int lo = 0;
        int hi = partitions.length;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (partitions[mid].periodStart < ts)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * A table with {@code removed} taken out (by identity) and {@code added} (sorted, not overlapping any kept
     * partition) merged in: one pass, no sort, since the common case is one new partition at the end.
     */
    PartitionTable replace(final Partition[] removed, final Partition[] added)
    {
        final int n0 = partitions.length;
        if (removed.length == 0 && added.length == 1 && (n0 == 0 || partitions[n0 - 1].periodStart < added[0].periodStart))
        {
            final Partition[] appended = java.util.Arrays.copyOf(partitions, n0 + 1);
            appended[n0] = added[0];
            return new PartitionTable(appended);
        }
        final Partition[] next = new Partition[partitions.length - removed.length + added.length];
        int n = 0;
        int a = 0;
        for (final Partition p : partitions)
        {
            if (isRemoved(p, removed))
            {
                continue;
            }
            while (a < added.length && added[a].periodStart < p.periodStart)
            {
                next[n++] = added[a++];
            }
            next[n++] = p;
        }
        while (a < added.length)
        {
            next[n++] = added[a++];
        }
        return new PartitionTable(next);
    }

    private static boolean isRemoved(final Partition p, final Partition[] removed)
    {
        for (final Partition r : removed)
        {
            if (r == p)
            {
                return true;
            }
        }
        return false;
    }
}

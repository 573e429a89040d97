package io.barstore.server.format;

import io.barstore.engine.BatchRejectedException;
import io.barstore.engine.BatchRejectedException.RowError;
import io.barstore.engine.SeriesKey;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an ingest body that could not be read as bars, in the engine's shape ({@link RowError}: row index in
 * the body, field, rule), so a body that cannot be parsed and a batch the engine rejects read the same to a client.
 * The first {@link BatchRejectedException#MAX_LISTED} are kept; all are counted.
 */
public final class RowErrors
{
    private final List<RowError> listed = new ArrayList<>();
    private int total;

    /** Records that field {@code field} of row {@code row} (0-based, in body order) breaks {@code rule}. */
    public void add(final int row, final String field, final String rule)
    {
        total++;
        if (listed.size() < BatchRejectedException.MAX_LISTED)
        {
            listed.add(new RowError(row, field, rule));
        }
    }

    /** How many rule breaks there were, listed or not. */
    public int total()
    {
        return total;
    }

    /** The rejection to throw when {@link #total()} is above zero. */
    public BatchRejectedException rejection(final SeriesKey key)
    {
        return new BatchRejectedException(key, listed, total);
    }
}

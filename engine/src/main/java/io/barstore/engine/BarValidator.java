package io.barstore.engine;

import java.util.ArrayList;
import java.util.List;

/** Applies the validation rules of CONTRACT.md to every row of a batch before anything is written. */
final class BarValidator
{
    private BarValidator()
    {
    }

    /** @throws BatchRejectedException naming every bad row when any rule is broken. */
    static void validate(final SeriesKey key, final BarBatch batch)
    {
        List<BatchRejectedException.RowError> errors = null;
        int total = 0;
        final Timeframe tf = key.timeframe();
        for (int i = 0, n = batch.size(); i < n; i++)
        {
            final long ts = batch.ts(i);
            final double open = batch.open(i);
            final double high = batch.high(i);
            final double low = batch.low(i);
            final double close = batch.close(i);
            final double volume = batch.volume(i);
            final double vwap = batch.vwap(i);
            final long trades = batch.trades(i);
            // The common case: every rule holds; only on a failure do we find out which, and allocate.
            final boolean ok = tf.isAligned(ts) && ts >= 0 &&
                Double.isFinite(open) && Double.isFinite(high) && Double.isFinite(low) && Double.isFinite(close) &&
                Double.isFinite(volume) && (Double.isNaN(vwap) || Double.isFinite(vwap)) &&
                low <= Math.min(open, close) && high >= Math.max(open, close) && low <= high &&
                volume >= 0 && trades >= -1;
            if (!ok)
            {
                if (errors == null)
                {
                    errors = new ArrayList<>();
                }
                total += explain(tf, i, ts, open, high, low, close, volume, vwap, trades, errors);
            }
        }
        if (total > 0)
        {
            throw new BatchRejectedException(key, errors, total);
        }
    }

    private static int explain(
        final Timeframe tf, final int row, final long ts, final double open, final double high, final double low,
        final double close, final double volume, final double vwap, final long trades,
        final List<BatchRejectedException.RowError> errors)
    {
        final int before = errors.size();
        if (ts < 0)
        {
            add(errors, row, "ts", "must not be before 1970-01-01T00:00:00Z");
        }
        else if (!tf.isAligned(ts))
        {
            add(errors, row, "ts", "must be aligned to the " + tf.label() + " timeframe" +
                (tf == Timeframe.W1 ? " (weekly bars open Monday 00:00 UTC)" : ""));
        }
        checkFinite(errors, row, "open", open);
        checkFinite(errors, row, "high", high);
        checkFinite(errors, row, "low", low);
        checkFinite(errors, row, "close", close);
        checkFinite(errors, row, "volume", volume);
        if (Double.isInfinite(vwap))
        {
            add(errors, row, "vwap", "must be finite, or NaN when unknown");
        }
        if (Double.isFinite(open) && Double.isFinite(high) && Double.isFinite(low) && Double.isFinite(close))
        {
            if (low > high)
            {
                add(errors, row, "low", "must be <= high");
            }
            if (low > Math.min(open, close))
            {
                add(errors, row, "low", "must be <= min(open, close)");
            }
            if (high < Math.max(open, close))
            {
                add(errors, row, "high", "must be >= max(open, close)");
            }
        }
        if (volume < 0)
        {
            add(errors, row, "volume", "must be >= 0");
        }
        if (trades < -1)
        {
            add(errors, row, "trades", "must be >= 0, or -1 when unknown");
        }
        final int added = errors.size() - before;
        if (errors.size() > BatchRejectedException.MAX_LISTED)
        {
            errors.subList(BatchRejectedException.MAX_LISTED, errors.size()).clear();
        }
        return added;
    }

    private static void checkFinite(
        final List<BatchRejectedException.RowError> errors, final int row, final String field, final double value)
    {
        if (!Double.isFinite(value))
        {
            add(errors, row, field, "must be a finite number");
        }
    }

    private static void add(
        final List<BatchRejectedException.RowError> errors, final int row, final String field, final String rule)
    {
        errors.add(new BatchRejectedException.RowError(row, field, rule));
    }
}

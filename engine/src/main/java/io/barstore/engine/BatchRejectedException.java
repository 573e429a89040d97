package io.barstore.engine;

import java.util.List;

/** A batch broke the validation rules; it was rejected whole and every bad row is listed with the rule it broke. */
public final class BatchRejectedException extends BarStoreException
{
    /** One broken rule: the row's index in the batch, the field and the rule in words. */
    public record RowError(int row, String field, String rule)
    {
        public String toString()
        {
            return "row " + row + " " + field + ": " + rule;
        }
    }

    /** How many row errors are kept; the total is still counted. */
    public static final int MAX_LISTED = 100;

    private final List<RowError> errors;
    private final int totalErrors;

    public BatchRejectedException(final SeriesKey key, final List<RowError> errors, final int totalErrors)
    {
        super(Category.BAD_INPUT, "batch rejected, nothing was written: " + summary(errors, totalErrors));
        with("series", key);
        with("badRows", totalErrors);
        this.errors = List.copyOf(errors);
        this.totalErrors = totalErrors;
    }

    /** The first {@link #MAX_LISTED} broken rules, in row order. */
    public List<RowError> errors()
    {
        return errors;
    }

    public int totalErrors()
    {
        return totalErrors;
    }

    private static String summary(final List<RowError> errors, final int total)
    {
        final StringBuilder sb = new StringBuilder();
        final int shown = Math.min(errors.size(), 5);
        for (int i = 0; i < shown; i++)
        {
            sb.append(i == 0 ? "" : "; ").append(errors.get(i));
        }
        if (total > shown)
        {
            sb.append("; and ").append(total - shown).append(" more");
        }
        return sb.toString();
    }
}

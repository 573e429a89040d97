package io.barstore.tools.importer;

import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.util.ArrayList;
import java.util.List;

/** What importing one file did, or why it was rejected. */
public final class FileResult
{
    private final String name;
    ImportFormat format;
    Timeframe timeframe;
    final List<SeriesKey> series = new ArrayList<>();
    String layout = "";
    long rowsRead;
    long rowsRejected;
    long otherSymbolRows;
    long bars;
    long appended;
    long replaced;
    long upserted;
    List<RowError> rejectedRows = List.of();
    ImportException failure;
    long elapsedNanos;
    boolean dryRun;

    FileResult(final String name)
    {
        this.name = name;
    }

    /** The file as the user named it ({@code stdin} for {@code -}). */
    public String name()
    {
        return name;
    }

    /** The format it was read as; null when it could not be opened. */
    public ImportFormat format()
    {
        return format;
    }

    public Timeframe timeframe()
    {
        return timeframe;
    }

    /** The series it holds bars of, in the order they first appear. */
    public List<SeriesKey> series()
    {
        return List.copyOf(series);
    }

    /** How it was read: the columns used and the timestamps' unit, for the summary. */
    public String layout()
    {
        return layout;
    }

    /** Data rows (trades for a file of trades), good or bad; not the header or blank lines. */
    public long rowsRead()
    {
        return rowsRead;
    }

    /** Rows skipped as bad by {@code --lenient}. */
    public long rowsRejected()
    {
        return rowsRejected;
    }

    /** Rows of symbols that {@code --symbol} left out of a multi-symbol file. */
    public long otherSymbolRows()
    {
        return otherSymbolRows;
    }

    /** The bars checked and (unless a dry run or rejected) written. */
    public long bars()
    {
        return bars;
    }

    public long appended()
    {
        return appended;
    }

    public long replaced()
    {
        return replaced;
    }

    public long upserted()
    {
        return upserted;
    }

    /** The first {@link RowErrors#MAX_LISTED} rows {@code --lenient} skipped, in line order. */
    public List<RowError> rejectedRows()
    {
        return rejectedRows;
    }

    /** Why the file was rejected; null when it was imported. */
    public ImportException failure()
    {
        return failure;
    }

    public boolean ok()
    {
        return failure == null;
    }

    public long elapsedNanos()
    {
        return elapsedNanos;
    }

    /** One line: what the file was and what it did. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(name).append(": ");
        if (failure != null)
        {
            sb.append("REJECTED, ").append(failure.partiallyWritten() ?
                "some batches were written before the failure (importing the file again is safe): " :
                "nothing was written from it: ");
            final String message = failure.getMessage();
            sb.append(message.startsWith(name + " ") || message.startsWith(name + ":") ?
                message.substring(name.length()).replaceFirst("^:? ?", "") : message);
            return sb.toString();
        }
        sb.append(format).append(", ");
        if (series.size() == 1)
        {
            sb.append(series.get(0).symbol());
        }
        else
        {
            sb.append(series.size()).append(" symbols");
        }
        if (timeframe != null)
        {
            sb.append(' ').append(timeframe.label());
        }
        if (!series.isEmpty() && !SeriesKey.DEFAULT_SOURCE.equals(series.get(0).source()))
        {
            sb.append(" (source ").append(series.get(0).source()).append(')');
        }
        sb.append(": ").append(count(rowsRead, format == ImportFormat.TRADES ? "trade" : "row"))
            .append(" -> ").append(count(bars, "bar"));
        if (dryRun)
        {
            sb.append(" checked, nothing written (--dry-run)");
        }
        else
        {
            sb.append(": ").append(count(appended)).append(" appended, ").append(count(replaced))
                .append(" replaced, ").append(count(upserted)).append(" upserted");
        }
        if (rowsRejected > 0)
        {
            sb.append(", ").append(count(rowsRejected, "row")).append(" rejected");
        }
        if (otherSymbolRows > 0)
        {
            sb.append(", ").append(count(otherSymbolRows)).append(" rows of other symbols skipped");
        }
        sb.append(" in ").append(ImportSummary.duration(elapsedNanos));
        return sb.toString();
    }

    /** {@code 1 bar}, {@code 12,345 bars} */
    static String count(final long n, final String noun)
    {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    static String count(final long n)
    {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}

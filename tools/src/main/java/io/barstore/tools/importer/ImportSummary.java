package io.barstore.tools.importer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results of every file of one import, and the closing line: rows, bars, rejections and bars/s. */
public final class ImportSummary
{
    private final List<FileResult> files = new ArrayList<>();
    private final long started = System.nanoTime();
    private long elapsedNanos = -1;

    public void add(final FileResult result)
    {
        files.add(result);
    }

    public List<FileResult> files()
    {
        return List.copyOf(files);
    }

    /** Stops the clock for bars/s (else it runs until {@link #describe()}). */
    public void finish()
    {
        elapsedNanos = System.nanoTime() - started;
    }

    /** The first file rejected, or null. */
    public FileResult firstRejected()
    {
        for (final FileResult f : files)
        {
            if (!f.ok())
            {
                return f;
            }
        }
        return null;
    }

    public long rejectedFiles()
    {
        return files.stream().filter(f -> !f.ok()).count();
    }

    public long barsWritten()
    {
        return files.stream().filter(FileResult::ok).mapToLong(f -> f.appended() + f.replaced() + f.upserted()).sum();
    }

    /** One file's line, and under it the rows {@code --lenient} skipped (the first 20, then a count). */
    public static void print(final FileResult result, final PrintWriter out)
    {
        out.println(result.describe());
        if (result.rowsRejected() > 0)
        {
            out.println("  rows rejected" + (result.rowsRejected() > result.rejectedRows().size() ?
                " (the first " + result.rejectedRows().size() + " of " + FileResult.count(result.rowsRejected()) + ")" :
                "") + ":");
            for (final RowError e : result.rejectedRows())
            {
                out.println("    " + e);
            }
            if (result.rowsRejected() > result.rejectedRows().size())
            {
                out.println("    and " + FileResult.count(result.rowsRejected() - result.rejectedRows().size()) +
                    " more");
            }
        }
    }

    /**
     * {@code imported 3 files: 12,345 rows read, 12,000 bars written (11,000 appended, 1,000 replaced, 0 upserted),
     * 17 rows rejected, 0 files rejected in 1.23 s (9,756 bars/s)}
     */
    public String describe()
    {
        long rows = 0;
        long bars = 0;
        long appended = 0;
        long replaced = 0;
        long upserted = 0;
        long rowsRejected = 0;
        boolean dryRun = false;
        for (final FileResult f : files)
        {
            rows += f.rowsRead();
            rowsRejected += f.rowsRejected();
            dryRun |= f.dryRun;
            if (f.ok())
            {
                bars += f.bars();
                appended += f.appended();
                replaced += f.replaced();
                upserted += f.upserted();
            }
        }
        final long nanos = elapsedNanos >= 0 ? elapsedNanos : System.nanoTime() - started;
        final long written = appended + replaced + upserted;
        final long rate = nanos > 0 ? (long)((dryRun ? bars : written) * 1e9 / nanos) : 0;
        final long rejected = rejectedFiles();
        return (dryRun ? "checked " : "imported ") + files.size() + (files.size() == 1 ? " file: " : " files: ") +
            FileResult.count(rows, "row") + " read, " +
            (dryRun ? FileResult.count(bars, "bar") + " checked, none written (--dry-run)" :
                FileResult.count(written, "bar") + " written (" + FileResult.count(appended) + " appended, " +
                FileResult.count(replaced) + " replaced, " + FileResult.count(upserted) + " upserted)") + ", " +
            FileResult.count(rowsRejected, "row") + " rejected" +
            (rejected > 0 ? ", " + rejected + (rejected == 1 ? " file" : " files") + " rejected" : "") +
            " in " + duration(nanos) + " (" + FileResult.count(rate) + " bars/s)";
    }

    static String duration(final long nanos)
    {
        return nanos >= 1_000_000_000L ?
            String.format(Locale.ROOT, "%.2f s", nanos / 1e9) :
            String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }
}

package io.barstore.tools;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.Timeframe;
import io.barstore.server.archive.ArchiveLayout;
import io.barstore.server.archive.ArchiveRun;
import io.barstore.server.archive.Archiver;
import io.barstore.server.format.IsoTime;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Deletes bars: retention.",
        "",
        "Applies to every series of each SYMBOL unless --timeframe or --source narrow it. With --before, deletes the "
            + "bars that open before that time and keeps the rest; without it, deletes the whole series, which needs "
            + "--yes. Every symbol is checked before anything is deleted. The files of deleted partitions go at once; "
            + "'barstore compact' removes the directories of series deleted entirely.",
        "",
        "Example: barstore delete AAPL MSFT --before 2024-01-01 --dry-run"})
final class DeleteCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "SYMBOL", description = "The symbols, e.g. AAPL BRK.B.")
    List<String> symbols;

    @Option(names = {"--timeframe", "-t"}, paramLabel = "TF",
        description = "Only the series of this timeframe: 1s ... 1w, or 5Min, 1Hour, 1Day, ... (default: all).")
    String timeframe;

    @Option(names = "--source", paramLabel = "NAME", description = "Only the series of this source (default: all).")
    String source;

    @Option(names = "--before", paramLabel = "TIME",
        description = "Delete the bars that open before this time, exclusive: an ISO-8601 instant (UTC unless an "
            + "offset is given) or a date (UTC midnight), e.g. 2025-01-02 or 2025-01-02T14:30:00Z. Without it the "
            + "whole series goes.")
    String before;

    @Option(names = {"--dry-run", "-n"}, description = "Count what would be deleted; change nothing.")
    boolean dryRun;

    @Option(names = {"--yes", "-y"}, description = "Confirm deleting whole series (needed without --before).")
    boolean yes;

    public Integer call()
    {
        final long cutoff = cutoff();
        final Timeframe tf = timeframe == null ? null : Timeframe.parse(timeframe);
        if (source != null)
        {
            SeriesKey.validateSource(source);
        }
        for (final String symbol : symbols)
        {
            SeriesKey.validateSymbol(symbol);
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (BarStore store = Stores.open(common.dataDir(), false))
        {
            final List<SeriesKey> keys = resolve(store, tf);
            if (before == null && !yes && !dryRun)
            {
                throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                    "without --before every bar of " + keys.size() + " series" +
                        " of " + String.join(", ", symbols) + " would be deleted; add --yes to confirm, or " +
                        "--dry-run to see what would go");
            }
            final TextTable table = new TextTable("symbol", "timeframe", "source",
                dryRun ? "would delete>" : "deleted>", dryRun ? "would keep>" : "kept>");
            long total = 0;
            int touched = 0;
            final BarCursor cursor = store.newCursor();
            try
            {
                for (final SeriesKey key : keys)
                {
                    final SeriesStats stats = store.stats(key);
                    final long bars = stats == null ? 0 : stats.barCount();
                    final long deleted = dryRun ? countBefore(store, key, cutoff, cursor) : store.delete(key, cutoff);
                    table.row(key.symbol(), key.timeframe().label(), key.source(), Format.count(deleted),
                        Format.count(Math.max(0, bars - deleted)));
                    total += deleted;
                    if (deleted > 0)
                    {
                        touched++;
                    }
                }
            }
            finally
            {
                cursor.release();
            }
            out.println("data: " + common.dataDir());
            out.println((dryRun ? "dry run, nothing changed: bars " : "bars ") +
                (before == null ? "of the whole series" : "before " + Format.ts(cutoff)));
            table.print(out, "");
            out.println("total: " + (dryRun ? "would delete " : "deleted ") + Format.count(total) + " bars from " +
                touched + " of " + keys.size() + " series");
            if (!dryRun && before == null && total > 0)
            {
                out.println("run 'barstore compact' to remove the directories of the deleted series");
            }
            if (!dryRun && total > 0 && Files.isDirectory(new ArchiveLayout(common.dataDir()).root()))
            {
                // Deleted bars must not live on in the archive: drop its files of deleted partitions and re-archive
                // the partitions the cut went through. Nothing new is archived (that is 'barstore archive').
                try (RootAllocator allocator = new RootAllocator(); Archiver archiver = new Archiver(store, allocator))
                {
                    final ArchiveRun run = archiver.run(Long.MIN_VALUE);
                    out.println("archive: " + Format.count(run.removed()) + " files of deleted bars removed, " +
                        Format.count(run.written()) + " partitions re-archived");
                }
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** Epoch nanoseconds of {@code --before}; {@link Long#MAX_VALUE} (everything) without it. */
    private long cutoff()
    {
        if (before == null)
        {
            return Long.MAX_VALUE;
        }
        final long nanos = IsoTime.parse(before);
        if (nanos == IsoTime.INVALID)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "--before must be " + IsoTime.EXPECTED + " (UTC unless an offset is given)").with("--before", before);
        }
        return nanos;
    }

    /**
     * Every stored series of the symbols matching {@code --timeframe} and {@code --source}, in symbol order as given.
     *
     * @throws BarStoreException NOT_FOUND naming the first symbol with no such series, before anything is deleted.
     */
    private List<SeriesKey> resolve(final BarStore store, final Timeframe tf)
    {
        final List<SeriesKey> all = Stores.sortedKeys(store);
        final LinkedHashSet<SeriesKey> keys = new LinkedHashSet<>();
        for (final String symbol : symbols)
        {
            final List<SeriesKey> ofSymbol = new ArrayList<>();
            final List<SeriesKey> matching = new ArrayList<>();
            for (final SeriesKey key : all)
            {
                if (key.symbol().equals(symbol))
                {
                    ofSymbol.add(key);
                    if ((tf == null || key.timeframe() == tf) && (source == null || key.source().equals(source)))
                    {
                        matching.add(key);
                    }
                }
            }
            if (ofSymbol.isEmpty())
            {
                throw new BarStoreException(BarStoreException.Category.NOT_FOUND,
                    "no series of " + symbol + " is stored; nothing was deleted ('barstore symbols' lists the symbols)");
            }
            if (matching.isEmpty())
            {
                final StringJoiner has = new StringJoiner(", ");
                ofSymbol.forEach(k -> has.add(k.timeframe().label() + " " + k.source()));
                throw new BarStoreException(BarStoreException.Category.NOT_FOUND,
                    "no series " + symbol + (tf == null ? "" : " " + tf.label()) + (source == null ? "" : " " + source) +
                        " is stored; nothing was deleted; " + symbol + " has " + has);
            }
            keys.addAll(matching);
        }
        return new ArrayList<>(keys);
    }

    /** The bars of {@code key} with ts below {@code cutoff}, counted from a range read. */
    private static long countBefore(final BarStore store, final SeriesKey key, final long cutoff, final BarCursor cursor)
    {
        if (!store.range(key, Long.MIN_VALUE, cutoff, cursor))
        {
            return 0;
        }
        long n = 0;
        while (cursor.nextChunk())
        {
            n += cursor.chunkRows();
        }
        return n;
    }
}

package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.server.archive.ArchiveRun;
import io.barstore.server.archive.Archiver;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "archive", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes sealed partitions to Parquet (zstd) under DATA/archive, in a Hive-style tree "
            + "(timeframe=/source=/symbol=/year=) that DuckDB, pyarrow, polars and Spark read directly.",
        "",
        "Archives every sealed partition whose period ended more than --older-than days ago, re-archives partitions "
            + "rewritten since they were archived (upserts, deletions, consolidation), and removes archive files no "
            + "partition stands behind any more. When no server has the store open, it first seals the periods that "
            + "have ended; while 'barstore serve' runs it archives what the server has sealed. 'barstore serve "
            + "--archive-after DAYS' does the same in the background."})
final class ArchiveCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--older-than", paramLabel = "DAYS", defaultValue = "0",
        description = "Only periods that ended at least this many days ago (default: ${DEFAULT-VALUE}: everything "
            + "sealed).")
    int olderThanDays;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (olderThanDays < 0)
        {
            spec.commandLine().getErr().println("barstore: --older-than must be 0 or more days: " + olderThanDays);
            return Main.EXIT_BAD_INPUT;
        }
        final long now = Stores.nowNanos();
        BarStore store;
        try
        {
            store = Stores.open(common.dataDir(), false);
            store.maintain(now); // seal what has ended, so there is something to archive
        }
        catch (final BarStoreException ex)
        {
            if (ex.category() != BarStoreException.Category.UNAVAILABLE)
            {
                throw ex;
            }
            out.println("the store is open in another process (a server?): archiving what it has sealed");
            store = BarStore.openReadOnly(common.dataDir());
        }
        try (BarStore opened = store; RootAllocator allocator = new RootAllocator();
             Archiver archiver = new Archiver(opened, allocator))
        {
            final ArchiveRun run = archiver.run(now - olderThanDays * 86_400_000_000_000L);
            out.println("archived " + Format.count(run.written()) + " partitions (" + Format.count(run.rows()) +
                " bars, " + Format.bytes(run.bytes()) + "), " + Format.count(run.upToDate()) + " already current, " +
                Format.count(run.removed()) + " stale files removed, in " + Format.duration(run.nanos()));
            out.println("archive: " + archiver.layout().root());
        }
        return Main.EXIT_OK;
    }
}

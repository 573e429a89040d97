package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.StoreStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "compact", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Reclaims space left by rewrites and deletes.",
        "",
        "Seals and consolidates every closed period now (days into months), however recently written, deletes "
            + "superseded files and old journal files, and removes the directories of series deleted entirely. "
            + "Prints the files and bytes of the series before and after, and the time it took.",
        "",
        "Example: barstore compact --data ./barstore-data"})
final class CompactCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (BarStore store = Stores.open(common.dataDir(), false))
        {
            final StoreStats before = store.totals();
            final long started = System.nanoTime();
            final int removed = store.compact(Stores.nowNanos());
            final long took = System.nanoTime() - started;
            final StoreStats after = store.totals();
            out.println("data: " + common.dataDir());
            out.println("series: " + after.series() + ", " + Format.count(after.bars()) + " bars");
            out.println("files: " + Format.count(before.files()) + " -> " + Format.count(after.files()));
            out.println("bytes: " + Format.count(before.bytesOnDisk()) + " (" + Format.bytes(before.bytesOnDisk()) +
                ") -> " + Format.count(after.bytesOnDisk()) + " (" + Format.bytes(after.bytesOnDisk()) + ")" +
                saved(before.bytesOnDisk(), after.bytesOnDisk()));
            out.println("series directories removed: " + removed);
            out.println("compacted in " + Format.duration(took));
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** {@code , 1.2 MiB reclaimed}, when anything was. */
    private static String saved(final long before, final long after)
    {
        return after < before ? ", " + Format.bytes(before - after) + " reclaimed" : "";
    }
}

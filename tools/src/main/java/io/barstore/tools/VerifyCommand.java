package io.barstore.tools;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.storage.StoreVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Checks every partition file of the store and reports each problem as '<file>: offset N: <problem>'.",
        "",
        "Reads the files without opening the store, so it works while a server has the store open and on a store "
            + "that refuses to open. Checks each file's header (magic, version, length against capacity: a truncated "
            + "file), the checksum of sealed files, and every bar: ts strictly increasing, aligned and inside the "
            + "file's period; finite numbers; low <= min(open, close), high >= max(open, close); volume >= 0; "
            + "trades >= -1. Also the checkpoint file.",
        "",
        "Leftovers of interrupted or superseded writes (older generations, unfinished or temporary files), which the "
            + "next open deletes, are listed as notes, not problems.",
        "",
        "Exit status: 0 when no problem is found, 1 when any is (the reason on stderr), 3 when there is no data "
            + "directory."})
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = {"--quiet", "-q"}, description = "Print only the problems (no notes, no summary).")
    boolean quiet;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (Files.exists(common.dataDir()) && !Files.isDirectory(common.dataDir()))
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "the data directory is a file")
                .with("data", common.dataDir());
        }
        if (!Files.isDirectory(common.dataDir()))
        {
            throw new BarStoreException(BarStoreException.Category.NOT_FOUND, "no data directory to verify; give " +
                "--data DIR").with("data", common.dataDir());
        }
        if (!quiet)
        {
            out.println("data: " + common.dataDir());
            out.flush();
        }
        final long started = System.nanoTime();
        final StoreVerifier.Report report = StoreVerifier.verify(common.dataDir());
        final long took = System.nanoTime() - started;
        report.problems().forEach(out::println);
        if (!quiet)
        {
            report.notes().forEach(note -> out.println("note: " + note));
            out.println("checked " + Format.count(report.files()) + " files of " + Format.count(report.series()) +
                " series (" + Format.count(report.bars()) + " bars, " + Format.bytes(report.bytes()) + ") in " +
                Format.duration(took) + ": " + (report.healthy() ? "no problems" :
                Format.count(report.problems().size(), "problem")) +
                (report.notes().isEmpty() ? "" : ", " + Format.count(report.notes().size(), "note")));
        }
        out.flush();
        if (report.healthy())
        {
            return Main.EXIT_OK;
        }
        final Set<String> files = new LinkedHashSet<>();
        for (final String problem : report.problems())
        {
            final int colon = problem.indexOf(": offset ");
            files.add(colon < 0 ? problem : problem.substring(0, colon));
        }
        err.println("barstore: the store is damaged: " + Format.count(report.problems().size(), "problem") + " in " +
            (files.size() == 1 ? "1 file, " + files.iterator().next() : Format.count(files.size(), "file")) +
            " (listed above); restore the files from a backup, or re-import the bars");
        return Main.EXIT_FAILURE;
    }
}

package io.barstore.bench;

import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs JMH as {@code org.openjdk.jmh.Main} does, taking the same arguments, but hands every forked JVM the
 * repository's {@code jvm.options} argfile (the one place the JVM options live) and turns Agrona's bounds checks off
 * there. JSON results: {@code -rf json -rff results.json}.
 * <p>
 * The repository root comes from {@code -Dbarstore.root}, else the nearest directory holding {@code jvm.options}
 * walking up from the working directory, else from where this jar lies ({@code bench/target/benchmarks.jar}).
 * <p>
 * Running {@code org.openjdk.jmh.Main} directly also works; pass {@code -jvmArgsAppend @<root>/jvm.options} then.
 */
public final class BenchMain
{
    public static final String ROOT_PROP = "barstore.root";
    public static final String ARGFILE_NAME = "jvm.options";
    static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final CommandLineOptions cmd;
        try
        {
            cmd = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException ex)
        {
            System.err.println("Error parsing command line:");
            System.err.println(" " + ex.getMessage());
            System.exit(1);
            return;
        }

        final Path root;
        try
        {
            root = findRoot();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ERROR: " + ex.getMessage());
            System.exit(1);
            return;
        }
        final Runner runner = new Runner(options(cmd, root));
        if (cmd.shouldHelp())
        {
            cmd.showHelp();
        }
        else if (cmd.shouldList())
        {
            runner.list();
        }
        else if (cmd.shouldListWithParams())
        {
            runner.listWithParams(cmd);
        }
        else if (cmd.shouldListProfilers())
        {
            cmd.listProfilers();
        }
        else if (cmd.shouldListResultFormats())
        {
            cmd.listResultFormats();
        }
        else
        {
            if (root == null)
            {
                System.err.println("WARNING: " + ARGFILE_NAME + " not found (set -D" + ROOT_PROP +
                    "=<repository root>); forks run without the project's JVM options");
            }
            try
            {
                runner.run();
            }
            catch (final NoBenchmarksException ex)
            {
                System.err.println("No matching benchmarks. Miss-spelled regexp? Use -l to list them.");
                System.exit(1);
            }
            catch (final RunnerException ex)
            {
                System.err.print("ERROR: ");
                ex.printStackTrace(System.err);
                System.exit(1);
            }
        }
    }

    /** The command-line options with the argfile and bounds-check flag appended to the forks' JVM arguments. */
    static Options options(final CommandLineOptions cmd, final Path root)
    {
        return new OptionsBuilder()
            .parent(cmd)
            .jvmArgsAppend(forkJvmArgs(cmd.getJvmArgsAppend().orElse(List.of()), root).toArray(String[]::new))
            .build();
    }

    /** The user's own {@code -jvmArgsAppend} values first, then ours (a later -D wins, so ours are the defaults). */
    public static List<String> forkJvmArgs(final Iterable<String> userArgs, final Path root)
    {
        final List<String> args = new ArrayList<>();
        if (root != null)
        {
            args.add("@" + root.resolve(ARGFILE_NAME));
            args.add("-D" + ROOT_PROP + "=" + root);
        }
        args.add(NO_BOUNDS_CHECKS);
        userArgs.forEach(args::add);
        return args;
    }

    /** The repository root: the directory holding {@code jvm.options}, or null when none is found. */
    public static Path findRoot()
    {
        final String prop = System.getProperty(ROOT_PROP);
        if (prop != null && !prop.isBlank())
        {
            final Path root = Path.of(prop).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve(ARGFILE_NAME)))
            {
                throw new IllegalArgumentException("-D" + ROOT_PROP + "=" + prop + " holds no " + ARGFILE_NAME);
            }
            return root;
        }
        final Path fromWorkDir = walkUp(Path.of("").toAbsolutePath());
        return fromWorkDir != null ? fromWorkDir : walkUp(jarDirectory());
    }

    static Path walkUp(final Path start)
    {
        for (Path dir = start; dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(ARGFILE_NAME)))
            {
                return dir;
            }
        }
        return null;
    }

    private static Path jarDirectory()
    {
        try
        {
            final var source = BenchMain.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
        }
        catch (final URISyntaxException | SecurityException ex)
        {
            return null;
        }
    }
}

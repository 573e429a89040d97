package io.barstore.tools;

import io.barstore.engine.BarStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code barstore} command line. Exit status: 0 on success; on failure a one-line reason on stderr and
 * {@link #EXIT_FAILURE}, {@link #EXIT_BAD_INPUT} (a bad option or argument, or input the store rejects) or
 * {@link #EXIT_NOT_FOUND}. {@code --verbose} adds the stack trace.
 */
@Command(name = "barstore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A column store of market-data bars.",
    subcommands = {DemoCommand.class, StatsCommand.class, ServeCommand.class, GenerateCommand.class,
        SymbolsCommand.class, QueryCommand.class, ExportCommand.class, VerifyCommand.class,
        DeleteCommand.class, CompactCommand.class, ImportCommand.class, ArchiveCommand.class, SqlCommand.class},
    footer = "%nRun 'barstore COMMAND --help' for a command's options.")
public final class Main implements Callable<Integer>
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_NOT_FOUND = 3;

    @Spec
    CommandSpec spec;

    /** {@code barstore} alone: the usage, on stderr, as a usage error. */
    public Integer call()
    {
        final CommandLine cl = spec.commandLine();
        cl.usage(cl.getErr());
        return EXIT_BAD_INPUT;
    }

    public static void main(final String[] args)
    {
        final Charset charset = Charset.defaultCharset();
        final PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        final PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        System.exit(run(out, err, args));
    }

    /** Runs one command in this process, writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::onBadArguments);
        cl.setExecutionExceptionHandler(Main::onFailure);
        try
        {
            return cl.execute(args);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /** A bad option or argument: one line naming it and where to look, never the whole usage. */
    private static int onBadArguments(final ParameterException ex, final String[] args)
    {
        final CommandLine cl = ex.getCommandLine();
        cl.getErr().println("barstore: " + oneLine(ex.getMessage()) +
            " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_BAD_INPUT;
    }

    private static int onFailure(final Exception ex, final CommandLine cl, final ParseResult parsed)
    {
        final PrintWriter err = cl.getErr();
        if (ex instanceof BarStoreException bse)
        {
            err.println("barstore: " + oneLine(bse.getMessage()));
        }
        else
        {
            err.println("barstore: unexpected " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage()) +
                (isVerbose(parsed) ? "" : " (--verbose shows the stack trace)"));
        }
        if (isVerbose(parsed))
        {
            ex.printStackTrace(err);
        }
        return exitCode(ex);
    }

    /** BAD_INPUT 2, NOT_FOUND 3, any other failure 1. */
    static int exitCode(final Throwable ex)
    {
        if (ex instanceof BarStoreException bse)
        {
            return switch (bse.category())
            {
                case BAD_INPUT -> EXIT_BAD_INPUT;
                case NOT_FOUND -> EXIT_NOT_FOUND;
                default -> EXIT_FAILURE;
            };
        }
        return EXIT_FAILURE;
    }

    private static boolean isVerbose(final ParseResult parsed)
    {
        for (ParseResult p = parsed; p != null; p = p.subcommand())
        {
            if (p.hasMatchedOption("--verbose"))
            {
                return true;
            }
        }
        return false;
    }

    static String oneLine(final String message)
    {
        if (message == null || message.isBlank())
        {
            return "(no message)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** {@code barstore 0.1.0}, and the Java running it. */
    static final class Version implements IVersionProvider
    {
        public String[] getVersion()
        {
            return new String[] {
                "barstore " + projectVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), " +
                    System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }

        static String projectVersion()
        {
            try (InputStream in = Main.class.getResourceAsStream("version.properties"))
            {
                if (in != null)
                {
                    final Properties p = new Properties();
                    p.load(in);
                    return p.getProperty("version", "unknown");
                }
            }
            catch (final IOException ignored)
            {
                // fall through: the version is not worth failing for
            }
            return "unknown";
        }
    }
}

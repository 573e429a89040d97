package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.StoreConfig;
import io.barstore.server.BarServer;
import io.barstore.server.ServerConfig;
import io.barstore.server.ServerConfigException;
import io.barstore.server.ServerStartException;
import io.barstore.server.sql.SqlLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serves the store over HTTP until stopped (Ctrl-C or SIGTERM), then closes it cleanly.",
        "",
        "Routes: GET /v1/bars/{symbol}, /v1/bars?symbols=, /v1/latest, /v1/symbols, /v1/series/{symbol}, /v1/stats, "
            + "/health, /metrics, /openapi.json; POST /v1/bars/{symbol} to write; POST /v1/sql for read-only DuckDB "
            + "SQL over the bars view, run in a separate, sandboxed worker process. Bars as JSON, CSV or Arrow.",
        "",
        "Listens on 127.0.0.1 unless --bind says otherwise. Writes need 'Authorization: Bearer <token>' when a token "
            + "is given (--token-file, else the " + ServeCommand.TOKEN_ENV + " environment variable); the server "
            + "refuses to listen beyond loopback without one unless --insecure."})
final class ServeCommand implements Callable<Integer>
{
    static final String TOKEN_ENV = "BARSTORE_TOKEN";

    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    public Integer call() throws InterruptedException
    {
        final CommandLine cl = spec.commandLine();
        return serve(common.dataDir(), server, cl.getOut(), cl.getErr(), started -> { });
    }

    /**
     * Opens the store in {@code dataDir} with background maintenance on, serves it until SIGINT or SIGTERM (or the JVM
     * shuts down), then stops taking requests and closes the store. Once listening it prints the "serving" line and
     * calls {@code onStarted}, whose output follows it.
     *
     * @return {@link Main#EXIT_OK} after a clean stop; {@link Main#EXIT_BAD_INPUT} for bad options,
     * {@link Main#EXIT_FAILURE} when the address cannot be had.
     */
    static int serve(
        final Path dataDir,
        final ServerOptions options,
        final PrintWriter out,
        final PrintWriter err,
        final Consumer<BarServer> onStarted) throws InterruptedException
    {
        final ServerConfig config;
        try
        {
            config = options.config();
        }
        catch (final ServerConfigException ex)
        {
            err.println("barstore: " + Main.oneLine(ex.getMessage()));
            return Main.EXIT_BAD_INPUT;
        }
        // Not Stores.open: it turns background maintenance off, right for a command that runs briefly. A server runs
        // for days, so it keeps the engine's default: seal, consolidate and checkpoint in the background.
        final BarStore store = BarStore.open(StoreConfig.builder(dataDir).build());
        final BarServer server = new BarServer(store, config);
        try
        {
            server.start();
        }
        catch (final ServerStartException ex)
        {
            server.stop();
            store.close();
            err.println("barstore: " + Main.oneLine(ex.getMessage()));
            return Main.EXIT_FAILURE;
        }
        final Runnable stop = new Runnable()
        {
            private boolean done;

            public synchronized void run()
            {
                if (!done)
                {
                    done = true;
                    // Stop taking requests first: the store closes only once no request can reach it.
                    server.stop();
                    store.close();
                    err.println("barstore: stopped; the store is closed");
                    err.flush();
                }
            }
        };
        final StopSignal signal = StopSignal.install(stop);
        try
        {
            out.println("barstore: serving " + dataDir + " at " + server.url() + " (" +
                (config.token() == null ? "writes open to anyone who can connect" : "writes need the bearer token") +
                "); Ctrl-C stops");
            onStarted.accept(server);
            out.flush();
            signal.await();
        }
        finally
        {
            stop.run();
            signal.close();
        }
        return Main.EXIT_OK;
    }

    /** The options of the HTTP server, shared by {@code serve} and {@code demo}. */
    static final class ServerOptions
    {
        @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServerConfig.PORT_DEFAULT,
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServerConfig.BIND_DEFAULT,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                + "interface, which needs a token or --insecure).")
        String bind;

        @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token writes need (surrounding white space ignored). Without it, "
                + "the " + TOKEN_ENV + " environment variable; without either, writes are open.")
        Path tokenFile;

        @Option(names = "--insecure",
            description = "Listen beyond loopback without a token: anyone who reaches the port can write.")
        boolean insecure;

        @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "64MiB", converter = ByteSize.class,
            description = "Largest request body (default: ${DEFAULT-VALUE}); bytes, or with K, M, G (KiB, MiB, GiB).")
        long maxBody;

        @Option(names = "--max-bars", paramLabel = "N", defaultValue = "" + ServerConfig.MAX_BARS_PER_RESPONSE_DEFAULT,
            description = "Most bars in one response (default: ${DEFAULT-VALUE}); a longer read ends with a "
                + "'Link: <...>; rel=\"next\"' header to the next page.")
        long maxBars;

        @Option(names = "--archive-after", paramLabel = "DAYS", defaultValue = "0",
            description = "Archive sealed periods that ended this many days ago to Parquet under DATA/archive, in the "
                + "background, and re-archive ones rewritten since (default: ${DEFAULT-VALUE}, off; see 'barstore "
                + "archive').")
        int archiveAfterDays;

        @Option(names = "--no-sql", description = "Turn POST /v1/sql off (no SQL worker process is started).")
        boolean noSql;

        @Option(names = "--sql-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "A SQL query running longer is stopped with 408 (default: ${DEFAULT-VALUE}).")
        long sqlTimeoutSeconds;

        @Option(names = "--sql-max-rows", paramLabel = "N", defaultValue = "" + SqlLimits.MAX_ROWS_DEFAULT,
            description = "A SQL result with more rows is refused with 400 (default: ${DEFAULT-VALUE}).")
        long sqlMaxRows;

        @Option(names = "--sql-memory", paramLabel = "SIZE", defaultValue = SqlLimits.MEMORY_LIMIT_DEFAULT,
            description = "DuckDB's memory limit in the SQL worker, e.g. 512MB or 2GB (default: ${DEFAULT-VALUE}).")
        String sqlMemory;

        @Option(names = "--json-cache", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Memory for the JSON text of sealed partitions, rendered once and served again; bytes, or "
                + "with K, M, G (KiB, MiB, GiB); 0 turns it off (default: an eighth of the heap).")
        Long jsonCache;

        /** @throws ServerConfigException for a combination the server refuses, or an unreadable token file. */
        ServerConfig config()
        {
            final SqlLimits sql;
            try
            {
                sql = noSql ? null : SqlLimits.defaults().withTimeoutMillis(Math.multiplyExact(sqlTimeoutSeconds, 1000L))
                    .withMaxRows(sqlMaxRows).withMemoryLimit(sqlMemory);
            }
            catch (final IllegalArgumentException | ArithmeticException ex)
            {
                throw new ServerConfigException("bad SQL limit: " + ex.getMessage());
            }
            final ServerConfig.Builder config = ServerConfig.builder().bind(bind).port(port).token(token())
                .insecure(insecure).maxBodyBytes(maxBody).maxBarsPerResponse(maxBars).sqlLimits(sql)
                .archiveAfterDays(archiveAfterDays);
            if (jsonCache != null)
            {
                config.jsonCacheBytes(jsonCache);
            }
            return config.build();
        }

        private String token()
        {
            if (tokenFile != null)
            {
                return ServerConfig.readTokenFile(tokenFile);
            }
            final String fromEnvironment = System.getenv(TOKEN_ENV);
            return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
        }
    }

    /** {@code 1048576}, {@code 512K}, {@code 64M}, {@code 64MiB}, {@code 1g}: binary multiples, case ignored. */
    static final class ByteSize implements CommandLine.ITypeConverter<Long>
    {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|K|KB|KIB|M|MB|MIB|G|GB|GIB)");

        public Long convert(final String value)
        {
            final Matcher m = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
            if (!m.matches())
            {
                throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a size; give bytes, or a number with K, M or G, e.g. 64MiB");
            }
            final long number = Long.parseLong(m.group(1));
            final int shift = switch (m.group(2).isEmpty() ? 'B' : m.group(2).charAt(0))
            {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                default -> 0;
            };
            if (number > (Long.MAX_VALUE >> shift))
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return number << shift;
        }
    }
}

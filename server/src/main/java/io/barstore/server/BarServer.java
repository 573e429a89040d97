package io.barstore.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.barstore.engine.BarStore;
import io.barstore.server.archive.BackgroundArchiver;
import io.barstore.server.auth.BearerAuth;
import io.barstore.server.format.SealedJsonCache;
import io.barstore.server.http.Route;
import io.barstore.server.http.Routes;
import io.barstore.server.metrics.ServerMetrics;
import io.barstore.server.sql.SqlWorker;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.util.JavalinBindException;
import org.apache.arrow.memory.RootAllocator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP API of a {@link BarStore} (CONTRACT.md, "HTTP"): bars as JSON, CSV or Arrow, ingest, the catalogue,
 * health and Prometheus metrics, on Javalin (Jetty). {@link #start()} listens, {@link #port()} tells where,
 * {@link #stop()} stops listening. The store stays the caller's: stop the server first, then close the store.
 * <pre>
 *   try (BarServer server = new BarServer(store, ServerConfig.builder().port(0).build()).start())
 *   {
 *       URI bars = URI.create(server.url() + "/v1/bars/AAPL?timeframe=5m&amp;format=arrow");
 *   }
 * </pre>
 */
public final class BarServer implements AutoCloseable
{
    /** Every server thread's name starts with this (Jetty's pool): thread dumps and allocation checks find them. */
    public static final String THREAD_NAME_PREFIX = "barstore-http";

    private static final Logger LOG = LoggerFactory.getLogger(BarServer.class);
    /** Jetty's defaults: a streaming response holds its thread, so the pool must outnumber slow clients. */
    private static final int MAX_THREADS = 200;
    private static final int MIN_THREADS = 8;

    private final ServerConfig config;
    private final RootAllocator allocator = new RootAllocator();
    private final ServerMetrics metrics;
    private final Routes routes;
    private final SqlWorker sqlWorker;
    private final BackgroundArchiver archiver;
    private final List<String> registeredHandlers = new CopyOnWriteArrayList<>();
    private final Javalin app;
    private boolean started;
    private boolean stopped;

    /** A server for {@code store}, not yet listening. */
    public BarServer(final BarStore store, final ServerConfig config)
    {
        this.config = config;
        final SealedJsonCache jsonCache = new SealedJsonCache(config.jsonCacheBytes());
        this.metrics = new ServerMetrics(store, jsonCache);
        // The fast double parser reads numbers from Jackson's own buffer: ingest allocates nothing per number.
        final JsonFactory jsonFactory = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
        final ObjectMapper mapper = JsonMapper.builder(jsonFactory).build();
        this.sqlWorker = config.sqlLimits() == null ? null :
            new SqlWorker(store.config().dataDir(), config.sqlLimits());
        this.archiver = config.archiveAfterDays() > 0 ?
            new BackgroundArchiver(store, allocator, config.archiveAfterDays()) : null;
        this.routes = new Routes(store, new BearerAuth(config.token()), metrics, allocator, jsonFactory, jsonCache,
            config.maxBodyBytes(), config.maxBarsPerResponse(), sqlWorker,
            archiver == null ? () -> { } : archiver::soon);
        this.app = Javalin.create(cfg ->
        {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            cfg.jetty.threadPool = threadPool();
            cfg.jetty.modifyServer(BarServer::withoutStatisticsHandler);
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(mapper, false));
            cfg.events.handlerAdded(info -> registeredHandlers.add(info.getHttpMethod().name() + " " + info.getPath()));
            cfg.requestLogger.http(this::requestDone);
            routes.registerOn(cfg.routes);
        });
    }

    /**
     * Starts listening.
     *
     * @throws ServerStartException when the address or port cannot be had.
     */
    public synchronized BarServer start()
    {
        if (started)
        {
            throw new IllegalStateException("the server was started before; make a new one");
        }
        started = true;
        try
        {
            app.start();
        }
        catch (final JavalinBindException ex)
        {
            throw new ServerStartException("cannot listen on " + config.bind() + ":" + config.port() +
                ": the port is in use or the address is not this machine's; stop the other server or give another " +
                "--port or --bind", ex);
        }
        catch (final RuntimeException ex)
        {
            throw new ServerStartException("cannot start the HTTP server on " + config.bind() + ":" + config.port() +
                ": " + ex.getMessage(), ex);
        }
        if (archiver != null)
        {
            archiver.start();
        }
        LOG.info("barstore HTTP API on {} ({})", url(), config);
        return this;
    }

    /** The port listened on: the configured one, or the one picked for port 0. */
    public int port()
    {
        return app.port();
    }

    /** {@code http://127.0.0.1:8080}: where to send requests. */
    public String url()
    {
        final String host = config.bind().indexOf(':') >= 0 ? "[" + config.bind() + "]" : config.bind();
        return "http://" + host + ":" + port();
    }

    public ServerConfig config()
    {
        return config;
    }

    /** The supervisor of the SQL worker process; null when SQL is off. */
    public SqlWorker sqlWorker()
    {
        return sqlWorker;
    }

    /** Stops listening and frees the server's memory; the store is left open. Safe to call twice. */
    public synchronized void stop()
    {
        if (stopped)
        {
            return;
        }
        stopped = true;
        app.stop();
        if (archiver != null)
        {
            archiver.close();
        }
        if (sqlWorker != null)
        {
            sqlWorker.close();
        }
        metrics.close();
        try
        {
            allocator.close();
        }
        catch (final IllegalStateException ex)
        {
            LOG.warn("Arrow memory was still held when the server stopped: {}", ex.getMessage());
        }
    }

    public void close()
    {
        stop();
    }

    /** The route table the server was built from. */
    List<Route> routes()
    {
        return routes.all();
    }

    /** Every handler Javalin registered, as "METHOD path" in Javalin's path syntax. */
    List<String> registeredHandlers()
    {
        return List.copyOf(registeredHandlers);
    }

    /** Bytes of Arrow memory held now: zero between requests, or a response leaked. */
    long arrowMemoryHeld()
    {
        return allocator.getAllocatedMemory();
    }

    private static QueuedThreadPool threadPool()
    {
        final QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        pool.setName(THREAD_NAME_PREFIX);
        return pool;
    }

    /**
     * Takes out the {@link StatisticsHandler} Javalin puts in front of every request. Nothing reads its counts (the
     * server's metrics are Micrometer's), and it wraps every write of a response (a read-only view of the buffer and
     * two callbacks per flush): half the heap a long Arrow response allocated, growing with its bytes.
     */
    private static void withoutStatisticsHandler(final Server server)
    {
        if (server.getHandler() instanceof StatisticsHandler statistics && statistics.getHandler() == null)
        {
            server.setHandler((Handler)null);
        }
    }

    /** Javalin's request logger: one metric sample and one debug line per request. */
    private void requestDone(final Context ctx, final Float millis)
    {
        final Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        final String route = endpoint == null ?
            ServerMetrics.UNMATCHED_ROUTE : endpoint.path.replace('<', '{').replace('>', '}');
        metrics.request(ctx.method().name(), route, ctx.statusCode(), (long)(millis * 1_000_000.0));
        if (LOG.isDebugEnabled())
        {
            final String query = ctx.queryString();
            LOG.debug("{} {}{} -> {} in {} ms", ctx.method(), ctx.path(), query == null ? "" : "?" + query,
                ctx.statusCode(), String.format("%.2f", millis));
        }
    }
}

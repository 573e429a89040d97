package io.barstore.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.barstore.engine.BarStore;
import io.barstore.server.auth.BearerAuth;
import io.barstore.server.format.SealedJsonCache;
import io.barstore.server.metrics.ServerMetrics;
import io.barstore.server.sql.SqlWorker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.barstore.server.http.QueryParam.END;
import static io.barstore.server.http.QueryParam.FORMAT;
import static io.barstore.server.http.QueryParam.LIMIT;
import static io.barstore.server.http.QueryParam.SOURCE;
import static io.barstore.server.http.QueryParam.START;
import static io.barstore.server.http.QueryParam.SYMBOLS;
import static io.barstore.server.http.QueryParam.TIMEFRAME;

/**
 * Every route of the API in one table, registered on Javalin from it. {@code openapi.json} (a hand-written resource,
 * served at {@code /openapi.json}) documents exactly these routes and parameters; a test holds the two together.
 */
public final class Routes
{
    /** Where the OpenAPI document lives on the classpath. */
    public static final String OPENAPI_RESOURCE = "/io/barstore/server/openapi.json";

    private final BearerAuth auth;
    private final List<Route> routes;

    public Routes(
        final BarStore store,
        final BearerAuth auth,
        final ServerMetrics metrics,
        final BufferAllocator allocator,
        final JsonFactory jsonFactory,
        final SealedJsonCache jsonCache,
        final long maxBodyBytes,
        final long maxBarsPerResponse,
        final SqlWorker sql,
        final Runnable afterOlderBarsChanged)
    {
        this.auth = auth;
        final BarReads reads = new BarReads(store, allocator, jsonCache, metrics, maxBarsPerResponse);
        final BarIngest ingest = new BarIngest(store, allocator, jsonFactory, metrics, maxBodyBytes,
            afterOlderBarsChanged);
        final Catalogue catalogue = new Catalogue(store);
        final byte[] openApi = openApiDocument();
        routes = List.of(
            Route.read("/v1/bars/{symbol}", EnumSet.of(TIMEFRAME, START, END, LIMIT, SOURCE, FORMAT), reads::series),
            Route.read("/v1/bars", EnumSet.of(SYMBOLS, TIMEFRAME, START, END, LIMIT, SOURCE, FORMAT), reads::multi),
            Route.read("/v1/latest", EnumSet.of(SYMBOLS, TIMEFRAME, SOURCE, FORMAT), reads::latest),
            Route.write("/v1/bars/{symbol}", EnumSet.of(TIMEFRAME, SOURCE), ingest::handle),
            Route.read("/v1/symbols", Route.noParams(), catalogue::symbols),
            Route.read("/v1/series/{symbol}", Route.noParams(), catalogue::series),
            Route.read("/v1/stats", Route.noParams(), catalogue::stats),
            Route.query("/v1/sql", EnumSet.of(FORMAT), new SqlQueries(sql)::handle),
            Route.read("/health", Route.noParams(), (ctx, query) -> ctx.json(Map.of("status", "ok"))),
            Route.read("/metrics", Route.noParams(),
                (ctx, query) -> ctx.contentType(ServerMetrics.contentType()).result(metrics.scrape())),
            Route.read("/openapi.json", Route.noParams(),
                (ctx, query) -> ctx.contentType("application/json").result(openApi)));
    }

    /** The table. */
    public List<Route> all()
    {
        return routes;
    }

    /**
     * Registers every route, each checking the token first when it writes and its query parameters next, and the
     * error mapping that turns whatever a route throws into a JSON error.
     */
    public void registerOn(final RoutesConfig config)
    {
        for (final Route route : routes)
        {
            config.addHttpHandler(route.handlerType(), route.javalinPath(), ctx ->
            {
                if (route.write())
                {
                    auth.check(ctx.header("Authorization"));
                }
                route.handler.handle(ctx, QueryParams.of(ctx, route.params()));
            });
        }
        config.exception(Exception.class, ErrorResponses::handle);
        // Javalin answers its own 404 and 405 unless this type has a handler of its own.
        config.exception(HttpResponseException.class, ErrorResponses::handle);
    }

    private static byte[] openApiDocument()
    {
        try (InputStream in = Routes.class.getResourceAsStream(OPENAPI_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the build left out " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}

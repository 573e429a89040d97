package io.barstore.server.http;

import io.javalin.http.HandlerType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One route of the API: method, path in OpenAPI form ({@code /v1/bars/{symbol}}), the query parameters it takes and
 * whether it writes (writes need the bearer token when one is configured).
 */
public final class Route
{
    private final HandlerType method;
    private final String path;
    private final Set<QueryParam> params;
    private final boolean write;
    final RouteHandler handler;

    private Route(
        final HandlerType method, final String path, final Set<QueryParam> params, final boolean write,
        final RouteHandler handler)
    {
        this.method = method;
        this.path = path;
        this.params = Collections.unmodifiableSet(params);
        this.write = write;
        this.handler = handler;
    }

    static Route read(final String path, final Set<QueryParam> params, final RouteHandler handler)
    {
        return new Route(HandlerType.GET, path, params, false, handler);
    }

    /** A POST that only reads (SQL): no token needed, like any other read. */
    static Route query(final String path, final Set<QueryParam> params, final RouteHandler handler)
    {
        return new Route(HandlerType.POST, path, params, false, handler);
    }

    static Route write(final String path, final Set<QueryParam> params, final RouteHandler handler)
    {
        return new Route(HandlerType.POST, path, params, true, handler);
    }

    static Set<QueryParam> noParams()
    {
        return EnumSet.noneOf(QueryParam.class);
    }

    /** {@code GET} or {@code POST}. */
    public String method()
    {
        return method.name();
    }

    HandlerType handlerType()
    {
        return method;
    }

    /** The path as OpenAPI writes it, {@code /v1/bars/{symbol}}. */
    public String path()
    {
        return path;
    }

    /**
     * The path as Javalin matches it: {@code {symbol}} becomes {@code <symbol>}, which also matches a slash, since
     * symbols such as {@code ETH/USD} hold one (sent as {@code ETH/USD} or {@code ETH%2FUSD}).
     */
    String javalinPath()
    {
        return path.replace('{', '<').replace('}', '>');
    }

    public Set<QueryParam> params()
    {
        return params;
    }

    public boolean write()
    {
        return write;
    }

    public String toString()
    {
        return method() + " " + path;
    }
}

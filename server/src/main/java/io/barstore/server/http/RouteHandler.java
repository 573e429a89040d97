package io.barstore.server.http;

import io.javalin.http.Context;

/** The body of a route, called with the request's query parameters already checked against the route's list. */
@FunctionalInterface
interface RouteHandler
{
    void handle(Context ctx, QueryParams query) throws Exception;
}

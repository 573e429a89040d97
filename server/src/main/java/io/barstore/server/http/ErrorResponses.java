package io.barstore.server.http;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.BatchRejectedException;
import io.barstore.server.auth.UnauthorizedException;
import io.barstore.server.format.MalformedBodyException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a failure becomes a response: {@code {"error": "...", "detail": ...}} (CONTRACT.md) with its status,
 * so handlers only throw. 400 bad input, 401 no or wrong token, 404 no such series or route, 405, 406, 413 body too
 * large, 415 unknown body type; 503 store unavailable, 507 disk full, 500 anything else, whose cause goes to the log
 * and never into the response. Every error is logged once, at warn.
 * <p>
 * A failure after the response started (a read that broke mid-stream) cannot change the status any more: the
 * connection is closed instead, so the client sees a cut-short body rather than one that looks complete.
 */
final class ErrorResponses
{
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    /** A status, the {@code error} sentence and the {@code detail} (null, a map or a list). */
    record Failure(int status, String error, Object detail)
    {
    }

    /** The JSON body of an error. */
    record ErrorBody(String error, Object detail)
    {
    }

    private ErrorResponses()
    {
    }

    /** Javalin's exception handler for every exception a route throws. */
    static void handle(final Exception ex, final Context ctx)
    {
        if (ctx.res().isCommitted())
        {
            abort(ex, ctx);
            return;
        }
        final Failure failure = failureOf(ex, ctx);
        if (failure.status() >= 500)
        {
            LOG.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), failure.status(), failure.error(), ex);
        }
        else
        {
            LOG.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), failure.status(), failure.error());
        }
        if (ex instanceof UnauthorizedException unauthorized)
        {
            ctx.header("WWW-Authenticate", unauthorized.challenge());
        }
        ctx.status(failure.status()).json(new ErrorBody(failure.error(), failure.detail()));
    }

    /** What to answer for {@code ex}. */
    static Failure failureOf(final Throwable ex, final Context ctx)
    {
        final BodyTooLargeException tooLarge = find(ex, BodyTooLargeException.class);
        if (tooLarge != null)
        {
            return new Failure(413, tooLarge.getMessage(), ApiException.facts("limitBytes", tooLarge.limitBytes()));
        }
        if (ex instanceof ApiException api)
        {
            return new Failure(api.status(), api.getMessage(), api.detail());
        }
        if (ex instanceof UnauthorizedException)
        {
            return new Failure(401, ex.getMessage(), null);
        }
        if (ex instanceof MalformedBodyException)
        {
            return new Failure(400, ex.getMessage(), null);
        }
        if (ex instanceof BatchRejectedException rejected)
        {
            return rejection(rejected);
        }
        if (ex instanceof BarStoreException store)
        {
            return new Failure(status(store.category()), messageWithoutFacts(store), facts(store));
        }
        if (ex instanceof HttpResponseException http)
        {
            if (http.getStatus() == 404)
            {
                return new Failure(404, "no route " + ctx.method() + " " + ctx.path() +
                    "; GET /openapi.json lists the routes", null);
            }
            if (http.getStatus() == 405)
            {
                return new Failure(405, "method " + ctx.method() + " is not allowed on " + ctx.path() +
                    "; GET /openapi.json lists the routes", null);
            }
            return new Failure(http.getStatus(), http.getMessage(), http.getDetails().isEmpty() ? null : http.getDetails());
        }
        return new Failure(500, "internal error (" + ex.getClass().getSimpleName() + "); the server log has the details",
            null);
    }

    private static Failure rejection(final BatchRejectedException rejected)
    {
        final List<Map<String, Object>> rows = new ArrayList<>(rejected.errors().size());
        for (final BatchRejectedException.RowError error : rejected.errors())
        {
            rows.add(ApiException.facts("row", error.row(), "field", error.field(), "rule", error.rule()));
        }
        final Object series = rejected.facts().get("series");
        return new Failure(400, "batch rejected, nothing was written: " + rejected.totalErrors() + " broken rule" +
            (rejected.totalErrors() == 1 ? "" : "s") + (rows.size() < rejected.totalErrors() ?
            ", the first " + rows.size() + " listed" : "") + " in detail.rows (row = 0-based index of the bar in the body)",
            ApiException.facts("series", series == null ? null : series.toString(),
                "total", rejected.totalErrors(), "listed", rows.size(), "rows", rows));
    }

    private static int status(final BarStoreException.Category category)
    {
        switch (category)
        {
            case BAD_INPUT:
                return 400;
            case NOT_FOUND:
                return 404;
            case DISK_FULL:
                return 507;
            case UNAVAILABLE:
                return 503;
            default:
                return 500;
        }
    }

    /** The engine's sentence without the {@code [key=value]} facts it appends: those go into {@code detail}. */
    private static String messageWithoutFacts(final BarStoreException ex)
    {
        final String message = ex.getMessage();
        final StringBuilder suffix = new StringBuilder();
        ex.facts().forEach((k, v) -> suffix.append(" [").append(k).append('=').append(v).append(']'));
        return message.endsWith(suffix.toString()) ? message.substring(0, message.length() - suffix.length()) : message;
    }

    private static Map<String, Object> facts(final BarStoreException ex)
    {
        if (ex.facts().isEmpty())
        {
            return null;
        }
        final Map<String, Object> facts = new LinkedHashMap<>();
        ex.facts().forEach((k, v) -> facts.put(k, v instanceof Number || v == null ? v : v.toString()));
        return facts;
    }

    private static void abort(final Exception ex, final Context ctx)
    {
        if (find(ex, EofException.class) != null) // Jetty's word for a write to a connection the client closed
        {
            LOG.debug("{} {}: the client went away mid-response: {}", ctx.method(), ctx.path(), ex.toString());
        }
        else
        {
            LOG.warn("{} {} failed after the response started; closing the connection so the client sees a " +
                "cut-short body", ctx.method(), ctx.path(), ex);
        }
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
            .getEndPoint().close(ex);
    }

    private static <T extends Throwable> T find(final Throwable ex, final Class<T> type)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return type.cast(t);
            }
            if (t.getCause() == t)
            {
                break;
            }
        }
        return null;
    }
}

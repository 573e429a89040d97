package io.barstore.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.server.format.BarFormat;
import io.barstore.server.sql.SqlException;
import io.barstore.server.sql.SqlFormat;
import io.barstore.server.sql.SqlWorker;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/sql}: {@code {"sql": "SELECT ..."}} (or the SQL itself as {@code text/plain}) run by the sandboxed
 * SQL worker over the {@code bars} view; the result as JSON, or as an Arrow IPC stream when {@code format=arrow} or
 * the {@code Accept} header asks for Arrow.
 */
final class SqlQueries
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SQL_BYTES = 1 << 20;

    private final SqlWorker worker;

    /** {@code worker} null: SQL is turned off on this server. */
    SqlQueries(final SqlWorker worker)
    {
        this.worker = worker;
    }

    void handle(final Context ctx, final QueryParams query) throws IOException
    {
        if (worker == null)
        {
            throw new ApiException(503, "SQL is turned off on this server", null);
        }
        final BarFormat format = query.format(ctx.header("Accept"));
        if (format == BarFormat.CSV)
        {
            throw ApiException.badRequest("SQL results come as JSON or Arrow, not CSV",
                ApiException.facts("parameter", "format"));
        }
        final String sql = sqlOf(ctx);
        final byte[] result;
        try
        {
            result = worker.query(sql, format == BarFormat.ARROW ? SqlFormat.ARROW : SqlFormat.JSON);
        }
        catch (final SqlException ex)
        {
            throw new ApiException(ex.kind().httpStatus(), ex.getMessage(), ApiException.facts(
                "reason", ex.kind().name().toLowerCase(java.util.Locale.ROOT),
                "timeoutMillis", worker.limits().timeoutMillis(),
                "maxRows", worker.limits().maxRows(),
                "memoryLimit", worker.limits().memoryLimit()));
        }
        ctx.status(200).contentType(format.contentType());
        if (format == BarFormat.ARROW)
        {
            ctx.res().getOutputStream().write(result); // binary: not through the compressing wrapper
        }
        else
        {
            ctx.result(result);
        }
    }

    private static String sqlOf(final Context ctx)
    {
        final byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_SQL_BYTES)
        {
            throw new ApiException(413, "the SQL is longer than " + MAX_SQL_BYTES + " bytes", null);
        }
        final String type = String.valueOf(ctx.contentType());
        if (type.startsWith("text/plain") || type.startsWith("application/sql"))
        {
            return new String(body, StandardCharsets.UTF_8);
        }
        final JsonNode node;
        try
        {
            node = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw ApiException.badRequest("the body is not JSON; send {\"sql\": \"SELECT ...\"} (or the SQL itself " +
                "as text/plain)", ApiException.facts("error", ex.getMessage()));
        }
        final JsonNode sql = node == null ? null : node.get("sql");
        if (sql == null || !sql.isTextual())
        {
            throw ApiException.badRequest("the body needs a string field \"sql\": {\"sql\": \"SELECT ...\"}", null);
        }
        return sql.asText();
    }
}

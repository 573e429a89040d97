package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.server.BarServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests to a real {@link BarServer} on a loopback port: {@code POST /v1/sql} and the bar routes beside it. */
final class SqlHttp
{
    static final ObjectMapper JSON = new ObjectMapper();

    private final BarServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    SqlHttp(final BarServer server)
    {
        this.server = server;
    }

    /** {@code POST /v1/sql} with {@code {"sql": sql}}; {@code query} goes after the path ("" or "?format=arrow"). */
    HttpResponse<byte[]> sql(final String sql, final String query, final String... headers)
    {
        final byte[] body = JSON.createObjectNode().put("sql", sql).toString().getBytes(StandardCharsets.UTF_8);
        return post("/v1/sql" + query, "application/json", body, headers);
    }

    HttpResponse<byte[]> sql(final String sql)
    {
        return sql(sql, "");
    }

    /** The JSON result of a query that must succeed. */
    JsonNode rows(final String sql)
    {
        final HttpResponse<byte[]> response = sql(sql);
        assertEquals(200, response.statusCode(), () -> sql + " -> " + text(response));
        return json(response);
    }

    HttpResponse<byte[]> get(final String pathAndQuery)
    {
        return send(HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).GET());
    }

    HttpResponse<byte[]> post(final String pathAndQuery, final String contentType, final byte[] body,
        final String... headers)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null)
        {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    HttpResponse<byte[]> post(final String pathAndQuery, final String contentType, final String body)
    {
        return post(pathAndQuery, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> send(final HttpRequest.Builder request)
    {
        try
        {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static String text(final HttpResponse<byte[]> response)
    {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(final HttpResponse<byte[]> response)
    {
        return json(response.body());
    }

    static JsonNode json(final byte[] body)
    {
        try
        {
            return JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), ex);
        }
    }
}

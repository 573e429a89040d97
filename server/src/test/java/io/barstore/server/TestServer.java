package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.BarStore;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.arrow.BarArrowSchema;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real store in a directory and a real server on a free loopback port, spoken to with {@link HttpClient}. Closing
 * stops the server, closes the store and checks that neither the server nor the test's Arrow reading leaked memory.
 */
final class TestServer implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    final BarStore store;
    final BarServer server;
    final RootAllocator allocator = new RootAllocator();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(final Path dir, final Consumer<ServerConfig.Builder> settings)
    {
        store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
        final ServerConfig.Builder config = ServerConfig.builder().port(0);
        settings.accept(config);
        server = new BarServer(store, config.build()).start();
    }

    static TestServer start(final Path dir)
    {
        return start(dir, config -> { });
    }

    static TestServer start(final Path dir, final Consumer<ServerConfig.Builder> settings)
    {
        return new TestServer(dir, settings);
    }

    URI uri(final String pathAndQuery)
    {
        return URI.create(server.url() + pathAndQuery);
    }

    /** GET with optional header name/value pairs. */
    HttpResponse<byte[]> get(final String pathAndQuery, final String... headers)
    {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), headers);
    }

    /** GET whose body is read as it arrives, for responses too large to hold. */
    HttpResponse<InputStream> getStream(final String pathAndQuery)
    {
        try
        {
            return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
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

    String getText(final String pathAndQuery, final String... headers)
    {
        final HttpResponse<byte[]> response = get(pathAndQuery, headers);
        assertEquals(200, response.statusCode(), () -> text(response));
        return text(response);
    }

    JsonNode getJson(final String pathAndQuery, final String... headers)
    {
        final HttpResponse<byte[]> response = get(pathAndQuery, headers);
        assertEquals(200, response.statusCode(), () -> text(response));
        return json(response);
    }

    HttpResponse<byte[]> post(
        final String pathAndQuery, final String contentType, final byte[] body, final String... headers)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null)
        {
            request.header("Content-Type", contentType);
        }
        return send(request, headers);
    }

    HttpResponse<byte[]> post(final String pathAndQuery, final String contentType, final String body,
        final String... headers)
    {
        return post(pathAndQuery, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    HttpResponse<byte[]> send(final HttpRequest.Builder request, final String... headers)
    {
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
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
        try
        {
            return JSON.readTree(response.body());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + text(response), ex);
        }
    }

    /** Reads an Arrow IPC stream response whole and hands each batch to {@code batch}. */
    void readArrow(final byte[] body, final Consumer<VectorSchemaRoot> batch)
    {
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(body), allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch())
            {
                batch.accept(root);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The values of the {@code symbol} dictionary of a multi-series Arrow stream, in index order. */
    List<String> arrowSymbolDictionary(final byte[] body)
    {
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(body), allocator))
        {
            reader.loadNextBatch(); // dictionaries come before the first record batch
            final VarCharVector values = (VarCharVector)reader.getDictionaryVectors()
                .get(BarArrowSchema.SYMBOL_DICTIONARY_ID).getVector();
            final List<String> symbols = new ArrayList<>();
            for (int i = 0; i < values.getValueCount(); i++)
            {
                symbols.add(new String(values.get(i), StandardCharsets.UTF_8));
            }
            return symbols;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Arrow memory the server holds now; zero between requests. */
    long serverArrowMemory()
    {
        return server.arrowMemoryHeld();
    }

    public void close()
    {
        try
        {
            server.stop();
        }
        finally
        {
            store.close();
            assertEquals(0, allocator.getAllocatedMemory(), "the test leaked Arrow memory");
            allocator.close();
        }
    }
}

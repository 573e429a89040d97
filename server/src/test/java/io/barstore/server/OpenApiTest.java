package io.barstore.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.server.http.QueryParam;
import io.barstore.server.http.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /openapi.json describes exactly the routes the server registers, with exactly their query parameters. */
class OpenApiTest
{
    @TempDir
    static Path dir;
    static TestServer t;
    static JsonNode doc;

    @BeforeAll
    static void start()
    {
        t = TestServer.start(dir);
        doc = t.getJson("/openapi.json");
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @Test
    void documentsEveryRegisteredRouteAndNoOther()
    {
        final TreeSet<String> registered = new TreeSet<>();
        for (final String handler : t.server.registeredHandlers())
        {
            registered.add(handler.replace('<', '{').replace('>', '}'));
        }
        final TreeSet<String> table = new TreeSet<>();
        for (final Route route : t.server.routes())
        {
            table.add(route.toString());
        }
        assertEquals(table, registered, "every handler Javalin has comes from the route table");

        final TreeSet<String> documented = new TreeSet<>();
        final Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext())
        {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        assertEquals(registered, documented);
    }

    @Test
    void documentsExactlyTheQueryParametersEachRouteTakes()
    {
        for (final Route route : t.server.routes())
        {
            final JsonNode operation = doc.get("paths").get(route.path()).get(route.method().toLowerCase());
            final TreeSet<String> documented = new TreeSet<>();
            final TreeSet<String> pathParams = new TreeSet<>();
            if (operation.has("parameters"))
            {
                for (final JsonNode ref : operation.get("parameters"))
                {
                    final JsonNode param = resolve(ref);
                    (param.get("in").asText().equals("query") ? documented : pathParams).add(param.get("name").asText());
                }
            }
            final TreeSet<String> taken = new TreeSet<>();
            for (final QueryParam p : route.params())
            {
                taken.add(p.key());
            }
            assertEquals(taken, documented, route.toString());
            assertEquals(route.path().contains("{symbol}") ? 1 : 0, pathParams.size(), route.toString());
        }
    }

    @Test
    void documentsTheErrorShapeAndTheWriteSecurity()
    {
        final JsonNode error = doc.get("components").get("schemas").get("Error");
        assertEquals("[\"error\",\"detail\"]", error.get("required").toString());
        assertTrue(doc.get("paths").get("/v1/bars/{symbol}").get("post").has("security"));
        assertFalse(doc.get("paths").get("/v1/bars/{symbol}").get("get").has("security"));
        assertEquals("bearer", doc.get("components").get("securitySchemes").get("bearer").get("scheme").asText());
    }

    private static JsonNode resolve(final JsonNode node)
    {
        if (!node.has("$ref"))
        {
            return node;
        }
        JsonNode target = doc;
        for (final String part : node.get("$ref").asText().substring(2).split("/"))
        {
            target = target.get(part);
        }
        return target;
    }
}

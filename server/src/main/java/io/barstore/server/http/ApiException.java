package io.barstore.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the API refuses, with the status to answer and what to tell the client: handlers throw it and
 * {@link ErrorResponses} sends it as {@code {"error": message, "detail": detail}}.
 */
final class ApiException extends RuntimeException
{
    private final int status;
    private final Object detail;

    ApiException(final int status, final String message, final Object detail)
    {
        super(message);
        this.status = status;
        this.detail = detail;
    }

    static ApiException badRequest(final String message, final Object detail)
    {
        return new ApiException(400, message, detail);
    }

    static ApiException notFound(final String message, final Object detail)
    {
        return new ApiException(404, message, detail);
    }

    int status()
    {
        return status;
    }

    Object detail()
    {
        return detail;
    }

    /** An ordered map of alternating keys and values, for {@code detail}. */
    static Map<String, Object> facts(final Object... keysAndValues)
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            facts.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return facts;
    }
}

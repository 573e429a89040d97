package io.barstore.server.http;

import java.io.IOException;

/**
 * A request body above the configured limit. An {@link IOException}, so it travels out of any parser reading the
 * body the way a failing stream does; {@link ErrorResponses} answers 413.
 */
final class BodyTooLargeException extends IOException
{
    private final long limitBytes;

    BodyTooLargeException(final long limitBytes)
    {
        super("the request body is larger than this server's limit of " + limitBytes + " bytes (" +
            (limitBytes >> 20) + " MiB); send smaller batches, or start the server with a larger --max-body");
        this.limitBytes = limitBytes;
    }

    long limitBytes()
    {
        return limitBytes;
    }
}

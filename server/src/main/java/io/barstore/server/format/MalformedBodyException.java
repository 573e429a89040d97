package io.barstore.server.format;

/**
 * An ingest body that cannot be read at all (not JSON, no CSV header, not an Arrow stream, a column of the wrong
 * type): unlike a bad row, nothing after it can be trusted, so no row is named. The message says what was expected.
 */
public final class MalformedBodyException extends RuntimeException
{
    public MalformedBodyException(final String message)
    {
        super(message);
    }

    public MalformedBodyException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

package io.barstore.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception type of the engine: a category that callers map to a response (an HTTP status, an exit code)
 * and the facts of the failure as {@code [key=value]} pairs, so the message tells the user what to fix.
 */
public class BarStoreException extends RuntimeException
{
    /** What kind of failure this is; decides how a caller reports it. */
    public enum Category
    {
        /** The caller's input broke a rule; nothing was written. */
        BAD_INPUT,
        /** The series or store asked for does not exist. */
        NOT_FOUND,
        /** The disk is full; nothing was written, writes resume once space is freed. */
        DISK_FULL,
        /** A file operation failed; nothing unacknowledged was made visible. */
        IO,
        /** A file on disk is not what barstore wrote: wrong magic, checksum or invariant. */
        CORRUPT,
        /** The store is closed, or open in another process. */
        UNAVAILABLE
    }

    private final Category category;
    private final Map<String, Object> facts = new LinkedHashMap<>();

    public BarStoreException(final Category category, final String message)
    {
        super(message);
        this.category = category;
    }

    public BarStoreException(final Category category, final String message, final Throwable cause)
    {
        super(message, cause);
        this.category = category;
    }

    /** Adds a fact shown in the message as {@code [key=value]}. */
    public BarStoreException with(final String key, final Object value)
    {
        facts.put(key, value);
        return this;
    }

    public Category category()
    {
        return category;
    }

    public Map<String, Object> facts()
    {
        return facts;
    }

    public String getMessage()
    {
        if (facts.isEmpty())
        {
            return super.getMessage();
        }
        final StringBuilder sb = new StringBuilder(super.getMessage());
        facts.forEach((k, v) -> sb.append(" [").append(k).append('=').append(v).append(']'));
        return sb.toString();
    }
}

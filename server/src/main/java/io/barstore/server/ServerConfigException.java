package io.barstore.server;

/** A server setting that cannot work, or would be unsafe; the message says which and what to do instead. */
public final class ServerConfigException extends RuntimeException
{
    public ServerConfigException(final String message)
    {
        super(message);
    }

    public ServerConfigException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

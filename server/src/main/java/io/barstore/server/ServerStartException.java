package io.barstore.server;

/** The server could not start listening (the port is taken, the address is not this machine's). */
public final class ServerStartException extends RuntimeException
{
    public ServerStartException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

package io.barstore.server.auth;

/** A write without the right bearer token; answered 401 with a {@code WWW-Authenticate} challenge. */
public final class UnauthorizedException extends RuntimeException
{
    private final String challenge;

    UnauthorizedException(final String message, final String challenge)
    {
        super(message);
        this.challenge = challenge;
    }

    /** The value of the {@code WWW-Authenticate} header to send (RFC 6750). */
    public String challenge()
    {
        return challenge;
    }
}

package io.barstore.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The write check: when a token is configured, a write must carry {@code Authorization: Bearer <token>}. Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same time wherever two digests
 * differ; hashing first also hides the token's length, which a plain comparison of unequal lengths would give away.
 */
public final class BearerAuth
{
    private static final String SCHEME = "bearer ";
    private static final String REALM = "Bearer realm=\"barstore\"";

    private final byte[] tokenDigest;

    /** {@code token} null means writes are open to anyone who can reach the server. */
    public BearerAuth(final String token)
    {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    /** True when writes need a token. */
    public boolean enabled()
    {
        return tokenDigest != null;
    }

    /**
     * Lets a write through, or refuses it.
     *
     * @param authorization the request's {@code Authorization} header, null when absent.
     * @throws UnauthorizedException when a token is configured and the header does not carry it.
     */
    public void check(final String authorization)
    {
        if (tokenDigest == null)
        {
            return;
        }
        if (authorization == null || authorization.isBlank())
        {
            throw new UnauthorizedException("writes to this server need a bearer token: send the header " +
                "'Authorization: Bearer <token>' with the token the server was started with", REALM);
        }
        if (authorization.length() <= SCHEME.length() ||
            !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
        {
            throw new UnauthorizedException("the Authorization header must use the Bearer scheme: " +
                "'Authorization: Bearer <token>'", REALM + ", error=\"invalid_request\"");
        }
        final String given = authorization.substring(SCHEME.length()).strip();
        if (!MessageDigest.isEqual(tokenDigest, sha256(given)))
        {
            throw new UnauthorizedException("the bearer token is wrong: it is not the one the server was started with",
                REALM + ", error=\"invalid_token\"");
        }
    }

    private static byte[] sha256(final String token)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }
}

package io.barstore.server;

import io.barstore.server.sql.SqlLimits;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a {@link BarServer} listens and what it allows, each setting with a default; {@link Builder#build()} checks
 * them once. The defaults are the safe ones: listen on loopback only, and refuse to listen anywhere else without a
 * bearer token for writes unless told {@link Builder#insecure(boolean) insecure}.
 */
public final class ServerConfig
{
    public static final String BIND_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 8080;
    /** 64 MiB: about 500,000 bars of JSON or 900,000 of Arrow in one request. */
    public static final long MAX_BODY_BYTES_DEFAULT = 64L << 20;
    /**
     * One million bars, about 64 MB of Arrow or 130 MB of JSON: a year and more of 1-minute bars in one response,
     * while a client cannot make the server stream without end. Longer reads page on with the {@code Link} header.
     */
    public static final long MAX_BARS_PER_RESPONSE_DEFAULT = 1_000_000;

    private final String bind;
    private final InetAddress address;
    private final int port;
    private final String token;
    private final boolean insecure;
    private final long maxBodyBytes;
    private final long maxBarsPerResponse;
    private final SqlLimits sqlLimits;
    private final int archiveAfterDays;
    private final long jsonCacheBytes;

    private ServerConfig(final Builder b, final InetAddress address)
    {
        this.bind = b.bind;
        this.address = address;
        this.port = b.port;
        this.token = b.token;
        this.insecure = b.insecure;
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxBarsPerResponse = b.maxBarsPerResponse;
        this.sqlLimits = b.sqlLimits;
        this.archiveAfterDays = b.archiveAfterDays;
        this.jsonCacheBytes = b.jsonCacheBytes < 0 ? jsonCacheDefault() : b.jsonCacheBytes;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The address to listen on, as given ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, a host name). */
    public String bind()
    {
        return bind;
    }

    /** True when only this machine can connect. */
    public boolean loopback()
    {
        return address.isLoopbackAddress();
    }

    /** The port; 0 picks a free one (see {@link BarServer#port()}). */
    public int port()
    {
        return port;
    }

    /** The bearer token writes need; null when writes are open. */
    public String token()
    {
        return token;
    }

    public boolean insecure()
    {
        return insecure;
    }

    public long maxBodyBytes()
    {
        return maxBodyBytes;
    }

    public long maxBarsPerResponse()
    {
        return maxBarsPerResponse;
    }

    /** The limits user SQL runs under; null when {@code POST /v1/sql} is off. */
    public SqlLimits sqlLimits()
    {
        return sqlLimits;
    }

    /**
     * Sealed partitions whose period ended this many days ago are archived to Parquet in the background (and ones
     * rewritten since are archived again); 0 leaves archiving to {@code barstore archive}.
     */
    public int archiveAfterDays()
    {
        return archiveAfterDays;
    }

    /**
     * Bytes of sealed partitions' JSON text kept to serve again (see {@code SealedJsonCache}); 0 renders every
     * response. By default an eighth of the JVM's maximum heap.
     */
    public long jsonCacheBytes()
    {
        return jsonCacheBytes;
    }

    /** An eighth of the heap: a 1 GiB heap keeps 128 MiB of JSON, about a million bars. */
    public static long jsonCacheDefault()
    {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    /** The settings, the token shown only as set or not. */
    public String toString()
    {
        return "bind=" + bind + " port=" + port + " token=" + (token == null ? "none" : "set") +
            " insecure=" + insecure + " maxBodyBytes=" + maxBodyBytes + " maxBarsPerResponse=" + maxBarsPerResponse +
            " sql=" + (sqlLimits == null ? "off" : sqlLimits) + " archiveAfterDays=" + archiveAfterDays +
            " jsonCacheBytes=" + jsonCacheBytes;
    }

    /**
     * Reads a token file: its content with surrounding white space (a trailing newline) removed.
     *
     * @throws ServerConfigException when the file cannot be read or holds no token.
     */
    public static String readTokenFile(final Path file)
    {
        final String token;
        try
        {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw new ServerConfigException("cannot read the token file " + file + ": " + ex, ex);
        }
        if (token.isEmpty())
        {
            throw new ServerConfigException("the token file " + file + " is empty; put the token in it");
        }
        return token;
    }

    /** Collects settings; unset ones keep their defaults. */
    public static final class Builder
    {
        private String bind = BIND_DEFAULT;
        private int port = PORT_DEFAULT;
        private String token;
        private boolean insecure;
        private long maxBodyBytes = MAX_BODY_BYTES_DEFAULT;
        private long maxBarsPerResponse = MAX_BARS_PER_RESPONSE_DEFAULT;
        private SqlLimits sqlLimits = SqlLimits.defaults();
        private int archiveAfterDays;
        private long jsonCacheBytes = -1;

        private Builder()
        {
        }

        public Builder bind(final String bind)
        {
            this.bind = bind;
            return this;
        }

        public Builder port(final int port)
        {
            this.port = port;
            return this;
        }

        /** The bearer token writes need; null leaves writes open. */
        public Builder token(final String token)
        {
            this.token = token;
            return this;
        }

        /** Allows listening beyond loopback without a token: anyone who reaches the port can then write. */
        public Builder insecure(final boolean insecure)
        {
            this.insecure = insecure;
            return this;
        }

        public Builder maxBodyBytes(final long maxBodyBytes)
        {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder maxBarsPerResponse(final long maxBarsPerResponse)
        {
            this.maxBarsPerResponse = maxBarsPerResponse;
            return this;
        }

        /** The limits of user SQL (default {@link SqlLimits#defaults()}); null turns {@code POST /v1/sql} off. */
        public Builder sqlLimits(final SqlLimits sqlLimits)
        {
            this.sqlLimits = sqlLimits;
            return this;
        }

        /** Archive in the background what ended this many days ago; 0 (the default) does not. */
        public Builder archiveAfterDays(final int archiveAfterDays)
        {
            this.archiveAfterDays = archiveAfterDays;
            return this;
        }

        /** Bytes of sealed partitions' JSON text to keep; 0 keeps none. Default {@link #jsonCacheDefault()}. */
        public Builder jsonCacheBytes(final long jsonCacheBytes)
        {
            if (jsonCacheBytes < 0)
            {
                throw new ServerConfigException("the JSON cache must be 0 (off) or a number of bytes: " +
                    jsonCacheBytes);
            }
            this.jsonCacheBytes = jsonCacheBytes;
            return this;
        }

        /** @throws ServerConfigException naming the setting that cannot work or is unsafe. */
        public ServerConfig build()
        {
            if (port < 0 || port > 65_535)
            {
                throw new ServerConfigException("the port must be 0 to 65535 (0 picks a free one): " + port);
            }
            if (token != null && token.isBlank())
            {
                throw new ServerConfigException("the token is empty; give a token or none");
            }
            if (archiveAfterDays < 0)
            {
                throw new ServerConfigException("--archive-after must be 0 (off) or a number of days: " +
                    archiveAfterDays);
            }
            if (maxBodyBytes < 1 || maxBarsPerResponse < 1)
            {
                throw new ServerConfigException("the body limit and the bars per response must be at least 1: " +
                    "maxBodyBytes=" + maxBodyBytes + " maxBarsPerResponse=" + maxBarsPerResponse);
            }
            final InetAddress address;
            try
            {
                address = InetAddress.getByName(bind);
            }
            catch (final UnknownHostException ex)
            {
                throw new ServerConfigException("cannot resolve the address to listen on, " + bind +
                    "; give an IP address such as 127.0.0.1", ex);
            }
            if (!address.isLoopbackAddress() && token == null && !insecure)
            {
                throw new ServerConfigException("refusing to listen on " + bind + " without a token: anyone who " +
                    "can reach it could write bars. Give a token (--token-file FILE or the BARSTORE_TOKEN " +
                    "environment variable), listen on 127.0.0.1, or pass --insecure to accept the risk");
            }
            return new ServerConfig(this, address);
        }
    }
}

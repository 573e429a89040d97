package io.barstore.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that fails with {@link BodyTooLargeException} once more than {@code limit} bytes came through.
 * Javalin's {@code maxRequestSize} covers only {@code ctx.body()}; the streaming parsers read the raw stream, so they
 * read it through this, and a chunked upload with no Content-Length is capped as well.
 */
final class LimitedInputStream extends FilterInputStream
{
    private final long limit;
    private long remaining;

    LimitedInputStream(final InputStream in, final long limit)
    {
        super(in);
        this.limit = limit;
        this.remaining = limit;
    }

    public int read() throws IOException
    {
        final int b = in.read();
        if (b >= 0)
        {
            count(1);
        }
        return b;
    }

    public int read(final byte[] b, final int off, final int len) throws IOException
    {
        // Ask for at most one byte past the limit: enough to tell an exact fit from an overflow.
        final int n = in.read(b, off, (int)Math.min(len, remaining + 1));
        if (n > 0)
        {
            count(n);
        }
        return n;
    }

    public long skip(final long n) throws IOException
    {
        final long skipped = in.skip(Math.min(n, remaining + 1));
        count(skipped);
        return skipped;
    }

    private void count(final long bytes) throws BodyTooLargeException
    {
        remaining -= bytes;
        if (remaining < 0)
        {
            throw new BodyTooLargeException(limit);
        }
    }
}

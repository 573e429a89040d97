package io.barstore.tools.importer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read from a file as stored, for the progress of a compressed file too. */
final class CountingInputStream extends FilterInputStream
{
    private final Progress.File progress;
    private long count;

    CountingInputStream(final InputStream in, final Progress.File progress)
    {
        super(in);
        this.progress = progress;
    }

    long count()
    {
        return count;
    }

    public int read() throws IOException
    {
        final int b = super.read();
        if (b >= 0)
        {
            count++;
        }
        return b;
    }

    public int read(final byte[] b, final int off, final int len) throws IOException
    {
        final int n = super.read(b, off, len);
        if (n > 0)
        {
            count += n;
            progress.bytes(count);
        }
        return n;
    }

    public long skip(final long n) throws IOException
    {
        final long skipped = super.skip(n);
        count += skipped;
        return skipped;
    }

    public boolean markSupported()
    {
        return false;
    }
}

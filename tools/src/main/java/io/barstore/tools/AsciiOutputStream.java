package io.barstore.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * The bytes of the server's bar writers (CSV, JSON), which are ASCII, as chars on a command's {@link Writer}: so
 * {@code query} prints through picocli's writer, which tests capture. Every symbol and source is ASCII by the
 * validation rules, and numbers and timestamps are too, so one byte is one char; a byte above 127 would be a bug,
 * and is refused rather than passed on garbled.
 */
final class AsciiOutputStream extends OutputStream
{
    private static final int CHUNK = 8192;

    private final Writer out;
    private final char[] chars = new char[CHUNK];

    AsciiOutputStream(final Writer out)
    {
        this.out = out;
    }

    public void write(final int b) throws IOException
    {
        out.write(ascii((byte)b));
    }

    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        for (int done = 0; done < len; )
        {
            final int n = Math.min(CHUNK, len - done);
            for (int i = 0; i < n; i++)
            {
                chars[i] = ascii(b[off + done + i]);
            }
            out.write(chars, 0, n);
            done += n;
        }
    }

    public void flush() throws IOException
    {
        out.flush();
    }

    /** Flushes; the writer stays open, as it belongs to the command line. */
    public void close() throws IOException
    {
        flush();
    }

    private static char ascii(final byte b)
    {
        if (b < 0)
        {
            throw new IllegalStateException("non-ASCII byte 0x" + Integer.toHexString(b & 0xFF) + " in bar output");
        }
        return (char)b;
    }
}

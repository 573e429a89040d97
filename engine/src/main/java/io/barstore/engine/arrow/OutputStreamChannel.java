package io.barstore.engine.arrow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * A channel over an {@link OutputStream} the caller keeps: closing the channel flushes the stream but leaves it open,
 * because {@code ArrowStreamWriter.close()} closes its channel and must be called (it frees its dictionary copies).
 * A stream that is a channel itself takes the buffers as they are, so mapped columns reach it with no copy on the way;
 * it must take (copy or send) every byte before its {@code write} returns, since the memory may be unmapped after.
 * For any other stream off-heap buffers go through one reused heap chunk, so writing allocates nothing per call.
 */
final class OutputStreamChannel implements WritableByteChannel
{
    // Allocated once per stream: 8 KiB keeps a small response cheap (64 KiB was most of its heap), and the stream
    // underneath (a socket buffer, Jetty's response buffer) is where larger writes get batched anyway.
    private static final int CHUNK_BYTES = 8 * 1024;

    private final OutputStream out;
    /** {@code out} when it is a channel too, else null. */
    private final WritableByteChannel direct;
    private final byte[] chunk;
    private long bytesWritten;
    private boolean open = true;

    OutputStreamChannel(final OutputStream out)
    {
        this.out = out;
        this.direct = out instanceof WritableByteChannel channel ? channel : null;
        this.chunk = direct != null ? null : new byte[CHUNK_BYTES];
    }

    public int write(final ByteBuffer src) throws IOException
    {
        if (!open)
        {
            throw new ClosedChannelException();
        }
        final int length = src.remaining();
        if (direct != null)
        {
            while (src.hasRemaining())
            {
                if (direct.write(src) == 0)
                {
                    throw new IOException("the stream took none of " + src.remaining() + " bytes; a stream that is " +
                        "a channel must take every byte before it returns");
                }
            }
        }
        else if (src.hasArray())
        {
            out.write(src.array(), src.arrayOffset() + src.position(), length);
            src.position(src.limit());
        }
        else
        {
            while (src.hasRemaining())
            {
                final int n = Math.min(CHUNK_BYTES, src.remaining());
                src.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
        bytesWritten += length;
        return length;
    }

    public boolean isOpen()
    {
        return open;
    }

    public void close() throws IOException
    {
        if (open)
        {
            open = false;
            out.flush();
        }
    }

    long bytesWritten()
    {
        return bytesWritten;
    }
}

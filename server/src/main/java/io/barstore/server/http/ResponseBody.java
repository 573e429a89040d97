package io.barstore.server.http;

import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A response body (JSON, CSV or Arrow) gathered into one direct buffer of up to 512 KiB and handed to Jetty in one
 * write.
 * Jetty sends a heap array 32 KiB at a time through its own buffer, so a 300 KB response went out in ten socket
 * writes, each waking the client; gathered, it goes in one, and a direct buffer needs no copy to native memory on the
 * way (bench/RESULTS.md, 2026-12-07, has the side-by-side figures). A body that fits one buffer is sent with its
 * {@code Content-Length}, so it goes unchunked and the response completes with that write instead of a second one for
 * the last chunk; a longer body is chunked. The staging buffers come from a small pool and go
 * back to it on {@link #close()}, which the route calls once at the end, or on {@link #release()} when the response
 * failed, so the memory they hold stays bounded whatever the number of server threads.
 */
final class ResponseBody extends OutputStream implements WritableByteChannel
{
    private static final int STAGE_BYTES = 512 * 1024;
    private static final ArrayBlockingQueue<ByteBuffer> STAGES = new ArrayBlockingQueue<>(16);

    private final HttpServletResponse response;
    private final HttpOutput out;
    private ByteBuffer stage;
    private boolean sent;
    private boolean closed;

    ResponseBody(final HttpServletResponse response, final HttpOutput out)
    {
        this.response = response;
        this.out = out;
    }

    public void write(final int b) throws IOException
    {
        room().put((byte)b);
    }

    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        int done = 0;
        while (done < len)
        {
            final ByteBuffer to = room();
            final int n = Math.min(len - done, to.remaining());
            to.put(b, off + done, n);
            done += n;
        }
    }

    /** Copies {@code src} in: an Arrow column straight from the mapped file, with no heap copy between. */
    public int write(final ByteBuffer src) throws IOException
    {
        final int length = src.remaining();
        while (src.hasRemaining())
        {
            final ByteBuffer to = room();
            final int n = Math.min(src.remaining(), to.remaining());
            to.put(to.position(), src, src.position(), n).position(to.position() + n);
            src.position(src.position() + n);
        }
        return length;
    }

    public boolean isOpen()
    {
        return !closed;
    }

    /** Nothing: gathered bytes go when the buffer is full or on {@link #close()}, so that one write carries them. */
    public void flush()
    {
    }

    /**
     * Sends what is gathered, with the body's length when that is all of it, and gives the staging buffer back to the
     * pool. The response stays open: completing it is Jetty's.
     */
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (stage != null)
        {
            if (!sent)
            {
                // All of it is here: with its length known the body goes out unchunked, complete with this write.
                response.setContentLengthLong(stage.position());
            }
            try
            {
                send();
            }
            finally
            {
                release();
            }
        }
    }

    /**
     * Gives the staging buffer back to the pool without sending what it holds: for a response that failed part way,
     * or whose client left. Nothing after {@link #close()}.
     */
    void release()
    {
        closed = true;
        if (stage != null)
        {
            STAGES.offer(stage.clear());
            stage = null;
        }
    }

    /** The staging buffer with room in it, sending it first when full. */
    private ByteBuffer room() throws IOException
    {
        if (closed)
        {
            throw new ClosedChannelException();
        }
        if (stage == null)
        {
            final ByteBuffer pooled = STAGES.poll();
            stage = pooled != null ? pooled : ByteBuffer.allocateDirect(STAGE_BYTES);
        }
        else if (!stage.hasRemaining())
        {
            send();
        }
        return stage;
    }

    private void send() throws IOException
    {
        stage.flip();
        if (stage.hasRemaining())
        {
            out.write(stage); // blocking: returns once the buffer is written
            sent = true;
        }
        stage.clear();
    }
}

package io.barstore.server.http;

import org.eclipse.jetty.ee10.servlet.HttpOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A JSON or CSV response body gathered into one direct buffer of up to 512 KiB and handed to Jetty in one write.
 * Jetty sends a heap array 32 KiB at a time through its own buffer, so a 300 KB response went out in ten socket
 * writes, each waking the client; gathered, it goes in one, and a direct buffer needs no copy to native memory on the
 * way (bench/RESULTS.md, 2026-12-07, has the side-by-side figures). The staging buffers come from a small pool and go
 * back to it on {@link #flush()}, which the writer calls once at the end, so the memory they hold stays bounded
 * whatever the number of server threads.
 */
final class ResponseBody extends OutputStream
{
    private static final int STAGE_BYTES = 512 * 1024;
    private static final ArrayBlockingQueue<ByteBuffer> STAGES = new ArrayBlockingQueue<>(16);

    private final HttpOutput out;
    private ByteBuffer stage;

    ResponseBody(final HttpOutput out)
    {
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

    /** Sends what is gathered and gives the staging buffer back to the pool. */
    public void flush() throws IOException
    {
        if (stage != null)
        {
            send();
            STAGES.offer(stage);
            stage = null;
        }
        out.flush();
    }

    /** As {@link #flush()}; the response stays open, completing it is Jetty's. */
    public void close() throws IOException
    {
        flush();
    }

    /** The staging buffer with room in it, sending it first when full. */
    private ByteBuffer room() throws IOException
    {
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
        }
        stage.clear();
    }
}

package io.barstore.server.format;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;

/**
 * Arrow's IPC message reader with a bound on each message's metadata. Arrow allocates a heap buffer of whatever
 * length a message's prefix claims before it reads a byte of it, so a body that is not Arrow (its first four bytes
 * read as a length of up to 2 GiB) made the server allocate up to 2 GiB. This peeks at the prefix first and refuses
 * a length above {@link #MAX_METADATA_BYTES}. Message bodies need no such guard: they come from the allocator, which
 * has a limit.
 * <p>
 * The stream format, per message: an optional continuation marker {@code 0xFFFFFFFF}, a little-endian int32
 * metadata length (0 ends the stream), the metadata flatbuffer, then the body.
 */
final class BoundedMessageReader extends MessageChannelReader
{
    /** A bar stream's schema takes well under 1 KiB and a record batch's less; 1 MiB is no real stream's limit. */
    static final int MAX_METADATA_BYTES = 1 << 20;
    private static final int CONTINUATION = 0xFFFFFFFF;

    private final PushbackInputStream body;
    private final byte[] prefix = new byte[8];

    private BoundedMessageReader(final PushbackInputStream body, final BufferAllocator allocator)
    {
        super(new ReadChannel(Channels.newChannel(body)), allocator);
        this.body = body;
    }

    /** A reader of {@code body}, which it closes when closed. */
    static BoundedMessageReader of(final InputStream body, final BufferAllocator allocator)
    {
        return new BoundedMessageReader(new PushbackInputStream(body, 8), allocator);
    }

    public MessageResult readNext() throws IOException
    {
        final int n = body.readNBytes(prefix, 0, prefix.length);
        body.unread(prefix, 0, n);
        if (n >= 4)
        {
            final int first = intAt(0);
            final long length = first != CONTINUATION ? first : n == 8 ? intAt(4) : 0;
            if (length < 0 || length > MAX_METADATA_BYTES)
            {
                throw new MalformedBodyException("not an Arrow IPC stream: a message claims " +
                    Integer.toUnsignedString((int)length) + " bytes of metadata, where a bar stream's take under 1 " +
                    "KiB (limit " + MAX_METADATA_BYTES + "); send the IPC stream format, " +
                    BarFormat.ARROW.mediaType() + ", not the file format or another encoding");
            }
        }
        return super.readNext();
    }

    private int intAt(final int offset)
    {
        return (prefix[offset] & 0xFF) | (prefix[offset + 1] & 0xFF) << 8 | (prefix[offset + 2] & 0xFF) << 16 |
            (prefix[offset + 3] & 0xFF) << 24;
    }
}

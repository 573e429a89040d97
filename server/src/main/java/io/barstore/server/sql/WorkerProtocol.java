package io.barstore.server.sql;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The frames between the server and its SQL worker, over the worker's stdin and stdout, big-endian
 * ({@link DataOutputStream}):
 * <pre>
 * ready     (worker, once)  i32 READY
 * request   (server)        i32 REQUEST, u8 format (0 JSON, 1 Arrow), i32 length, UTF-8 SQL
 * response  (worker)        u8 status (0 ok, else 1 + SqlException.Kind ordinal), i32 length, then the result
 *                           bytes (ok) or a UTF-8 message (error)
 * </pre>
 * One request at a time; the worker exits when its stdin closes.
 */
final class WorkerProtocol
{
    static final int READY = 0x42534B52; // "BSKR"
    static final int REQUEST = 0x42535152; // "BSQR"
    static final int OK = 0;
    /** Largest SQL text accepted: 1 MiB. */
    static final int MAX_SQL_BYTES = 1 << 20;
    /**
     * Largest result the worker sends, 64 MiB: the row limit alone does not bound bytes (a row can hold a long
     * string), and the server holds a result in its heap while the client reads it.
     */
    static final int MAX_RESULT_BYTES = 64 << 20;

    private WorkerProtocol()
    {
    }

    static void writeRequest(final DataOutputStream out, final String sql, final SqlFormat format) throws IOException
    {
        final byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        out.writeInt(REQUEST);
        out.writeByte(format.ordinal());
        out.writeInt(text.length);
        out.write(text);
        out.flush();
    }

    static void writeResult(final DataOutputStream out, final byte[] result) throws IOException
    {
        out.writeByte(OK);
        out.writeInt(result.length);
        out.write(result);
        out.flush();
    }

    static void writeError(final DataOutputStream out, final SqlException error) throws IOException
    {
        final byte[] message = String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8);
        out.writeByte(1 + error.kind().ordinal());
        out.writeInt(message.length);
        out.write(message);
        out.flush();
    }

    /** Reads a response: the result bytes, or throws the worker's error. */
    static byte[] readResponse(final DataInputStream in) throws IOException
    {
        final int status = in.readUnsignedByte();
        final int length = in.readInt();
        if (length < 0 || length > MAX_RESULT_BYTES + (1 << 16))
        {
            throw new IOException("the worker sent a reply of " + length + " bytes: out of step");
        }
        final byte[] body = new byte[length];
        in.readFully(body);
        if (status == OK)
        {
            return body;
        }
        final SqlException.Kind[] kinds = SqlException.Kind.values();
        final SqlException.Kind kind = status - 1 < kinds.length ? kinds[status - 1] : SqlException.Kind.FAILED;
        throw new SqlException(kind, new String(body, StandardCharsets.UTF_8));
    }
}

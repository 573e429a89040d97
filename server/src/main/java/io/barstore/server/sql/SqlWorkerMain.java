package io.barstore.server.sql;

import io.barstore.engine.BarStore;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The SQL worker process, started by {@link SqlWorker}: opens the store read-only (the server keeps it open for
 * writing) and answers queries from stdin on stdout ({@link WorkerProtocol}) until stdin closes.
 * <p>
 * Arguments: data directory, memory limit, threads, timeout in ms, max rows, heap in MB.
 */
public final class SqlWorkerMain
{
    private SqlWorkerMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        // stdout carries the protocol: anything else printing there (a library's banner) goes to stderr instead.
        final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            new FileOutputStream(FileDescriptor.out), 64 * 1024));
        System.setOut(System.err);
        final DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        final SqlLimits limits = new SqlLimits(Long.parseLong(args[3]), Long.parseLong(args[4]), args[1],
            Integer.parseInt(args[2]), Integer.parseInt(args[5]));
        try (BufferAllocator allocator = new RootAllocator();
             BarStore store = BarStore.openReadOnly(Path.of(args[0]));
             SqlSession session = new SqlSession(store, limits, allocator))
        {
            out.writeInt(WorkerProtocol.READY);
            out.flush();
            while (true)
            {
                final int magic;
                try
                {
                    magic = in.readInt();
                }
                catch (final EOFException ex)
                {
                    return; // the server closed our stdin: it is stopping
                }
                if (magic != WorkerProtocol.REQUEST)
                {
                    throw new IOException("not a request frame: " + Integer.toHexString(magic));
                }
                final SqlFormat format = SqlFormat.values()[in.readUnsignedByte()];
                final int length = in.readInt();
                if (length < 0 || length > WorkerProtocol.MAX_SQL_BYTES)
                {
                    throw new IOException("SQL of " + length + " bytes");
                }
                final byte[] text = new byte[length];
                in.readFully(text);
                try
                {
                    final byte[] result = session.execute(new String(text, StandardCharsets.UTF_8), format);
                    if (result.length > WorkerProtocol.MAX_RESULT_BYTES)
                    {
                        throw new SqlException(SqlException.Kind.TOO_MANY_ROWS, "the result is " +
                            (result.length >> 20) + " MiB, more than the limit of " +
                            (WorkerProtocol.MAX_RESULT_BYTES >> 20) + " MiB; select fewer columns or rows");
                    }
                    WorkerProtocol.writeResult(out, result);
                }
                catch (final SqlException ex)
                {
                    WorkerProtocol.writeError(out, ex);
                }
                catch (final OutOfMemoryError ex)
                {
                    WorkerProtocol.writeError(out, SqlSession.resultTooLarge(limits));
                }
                catch (final RuntimeException ex)
                {
                    WorkerProtocol.writeError(out, new SqlException(SqlException.Kind.FAILED,
                        "the query failed in the SQL worker: " + ex));
                }
            }
        }
    }
}

package io.barstore.engine.journal;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.fs.FileOps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The journal position up to which every batch is durable in the partition files; replay starts after it.
 * File {@code <data>/checkpoint}, 24 bytes little-endian: magic "BSCKPT01" (u64), journal index (i64), CRC32C of
 * the first 16 bytes (u64). Written whole under a temporary name, forced, renamed.
 */
public final class Checkpoint
{
    public static final String FILE_NAME = "checkpoint";
    private static final long MAGIC = 0x31305450_4B435342L; // "BSCKPT01" little-endian
    private static final int LENGTH = 24;

    private Checkpoint()
    {
    }

    /** The recorded index, or -1 when there is none yet. */
    public static long read(final FileOps fileOps, final Path dataDir)
    {
        final Path path = dataDir.resolve(FILE_NAME);
        if (!Files.exists(path))
        {
            return -1;
        }
        try
        {
            final byte[] bytes = fileOps.read(path, 0, LENGTH);
            final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length != LENGTH || buffer.getLong(0) != MAGIC || buffer.getLong(16) != crc(bytes))
            {
                throw new BarStoreException(BarStoreException.Category.CORRUPT,
                    "checkpoint file is damaged; delete it to replay the whole journal").with("file", path);
            }
            return buffer.getLong(8);
        }
        catch (final IOException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO, "cannot read checkpoint", ex)
                .with("file", path).with("cause", ex.toString());
        }
    }

    public static void write(final FileOps fileOps, final Path dataDir, final long index) throws IOException
    {
        final byte[] bytes = new byte[LENGTH];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(0, MAGIC).putLong(8, index);
        buffer.putLong(16, crc(bytes));
        fileOps.writeAtomically(dataDir.resolve(FILE_NAME), bytes);
    }

    private static long crc(final byte[] bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 16);
        return crc.getValue();
    }
}

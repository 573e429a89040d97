package io.barstore.engine.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link FileOps} on the real file system. */
final class SystemFileOps implements FileOps
{
    private static final int ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    public void createReserved(
        final Path path, final byte[] head, final long size, final long[] rangeStarts, final long rangeLength)
        throws IOException
    {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer headBuffer = ByteBuffer.wrap(head, 0, (int)Math.min(head.length, size));
            long position = 0;
            while (headBuffer.hasRemaining())
            {
                position += ch.write(headBuffer, position);
            }
            writeZeros(ch, rangeStarts, rangeLength, size);
            if (ch.size() < size)
            {
                // One byte at the end sets the length; everything not written above stays a hole.
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
        }
        catch (final IOException ex)
        {
            Files.deleteIfExists(path);
            throw ex;
        }
    }

    public void reserve(final Path path, final long[] rangeStarts, final long rangeLength) throws IOException
    {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            writeZeros(ch, rangeStarts, rangeLength, ch.size());
        }
    }

    private static void writeZeros(final FileChannel ch, final long[] starts, final long length, final long size)
        throws IOException
    {
        for (final long start : starts)
        {
            final long end = Math.min(size, start + length);
            long position = start;
            while (position < end)
            {
                final ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int)Math.min(ZERO_CHUNK, end - position));
                while (zeros.hasRemaining())
                {
                    position += ch.write(zeros, position);
                }
            }
        }
    }

    public MappedByteBuffer map(final Path path, final boolean writable) throws IOException
    {
        try (FileChannel ch = writable ?
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE) :
            FileChannel.open(path, StandardOpenOption.READ))
        {
            return ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
    }

    public byte[] read(final Path path, final long position, final int length) throws IOException
    {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate((int)Math.max(0, Math.min(length, ch.size() - position)));
            while (buffer.hasRemaining() && ch.read(buffer, position + buffer.position()) > 0)
            {
                // keep reading until the buffer is full or the file ends
            }
            return buffer.array();
        }
    }

    public long size(final Path path) throws IOException
    {
        return Files.size(path);
    }

    public void force(final Path path) throws IOException
    {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            ch.force(true);
        }
    }

    public void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ))
        {
            ch.force(true);
        }
    }

    public void writeAtomically(final Path path, final byte[] content) throws IOException
    {
        final Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                ch.write(buffer);
            }
            ch.force(true);
        }
        try
        {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(path.getParent());
    }

    public void delete(final Path path) throws IOException
    {
        Files.deleteIfExists(path);
    }

    public void createDirectories(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
    }

    public List<String> list(final Path dir) throws IOException
    {
        final List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir))
        {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        catch (final NoSuchFileException ex)
        {
            return names;
        }
        return names;
    }

    public long usableSpace(final Path path) throws IOException
    {
        return Files.getFileStore(path).getUsableSpace();
    }
}

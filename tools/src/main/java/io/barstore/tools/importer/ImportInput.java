package io.barstore.tools.importer;

import io.barstore.engine.BarStoreException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One input file opened for reading: a path or {@code -} for stdin, decompressed when its first bytes are gzip's or
 * zip's magic number (whatever its name), a UTF-8 byte order mark skipped, and its first 64 KiB looked at before
 * anything is parsed, so an empty file or binary data is reported as such rather than as a thousand bad rows.
 */
final class ImportInput implements Closeable
{
    static final String STDIN = "-";
    static final int HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;

    enum Compression
    {
        NONE, GZIP, ZIP
    }

    private final String name;
    private final long size;
    private final CountingInputStream counting;
    private final Compression compression;
    private final InputStream data;
    private final String head;
    private final boolean headIsWholeFile;

    private ImportInput(
        final String name, final long size, final CountingInputStream counting, final Compression compression,
        final InputStream data, final String head, final boolean headIsWholeFile)
    {
        this.name = name;
        this.size = size;
        this.counting = counting;
        this.compression = compression;
        this.data = data;
        this.head = head;
        this.headIsWholeFile = headIsWholeFile;
    }

    /** The name a user knows the file by: as given, or {@code stdin}. */
    static String displayName(final String arg)
    {
        return STDIN.equals(arg) ? "stdin" : arg;
    }

    /** The size on disk, or -1 for stdin; for the progress of a file before it is opened. */
    static long size(final String arg)
    {
        if (STDIN.equals(arg))
        {
            return -1;
        }
        try
        {
            return Files.size(Path.of(arg));
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * Opens {@code arg}; the caller closes.
     *
     * @throws ImportException when the file is missing, unreadable, empty, not text, or not valid compressed data.
     */
    static ImportInput open(final String arg, final Progress.File progress)
    {
        final String name = displayName(arg);
        final InputStream raw;
        final long size;
        if (STDIN.equals(arg))
        {
            raw = new FilterInputStream(System.in)
            {
                public void close()
                {
                    // stdin belongs to the process
                }
            };
            size = -1;
        }
        else
        {
            final Path path = Path.of(arg);
            if (Files.isDirectory(path))
            {
                throw new ImportException(name, "is a directory; give the files in it");
            }
            try
            {
                raw = Files.newInputStream(path);
                size = Files.size(path);
            }
            catch (final NoSuchFileException ex)
            {
                throw new ImportException(BarStoreException.Category.NOT_FOUND, name, "no such file", ex);
            }
            catch (final AccessDeniedException ex)
            {
                throw new ImportException(BarStoreException.Category.IO, name, "cannot be read: permission denied", ex);
            }
            catch (final IOException ex)
            {
                throw new ImportException(BarStoreException.Category.IO, name, "cannot be read: " + ex, ex);
            }
        }
        final CountingInputStream counting = new CountingInputStream(raw, progress);
        try
        {
            return open(name, size, counting);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(counting);
            throw ex;
        }
    }

    private static ImportInput open(final String name, final long size, final CountingInputStream counting)
    {
        try
        {
            final BufferedInputStream buffered = new BufferedInputStream(counting, BUFFER_BYTES);
            final byte[] magic = peek(buffered, 4);
            if (magic.length == 0)
            {
                throw new ImportException(name, "is empty");
            }
            final Compression compression;
            final InputStream decoded;
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b)
            {
                compression = Compression.GZIP;
                decoded = new BufferedInputStream(new GZIPInputStream(buffered, BUFFER_BYTES), BUFFER_BYTES);
            }
            else if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4)
            {
                compression = Compression.ZIP;
                final ZipInputStream zip = new ZipInputStream(buffered);
                ZipEntry entry = zip.getNextEntry();
                while (entry != null && entry.isDirectory())
                {
                    entry = zip.getNextEntry();
                }
                if (entry == null)
                {
                    throw new ImportException(name, "is a zip archive without a file in it");
                }
                decoded = new BufferedInputStream(zip, BUFFER_BYTES);
            }
            else
            {
                compression = Compression.NONE;
                decoded = buffered;
            }
            byte[] head = peek(decoded, HEAD_BYTES);
            if (head.length == 0)
            {
                throw new ImportException(name, "is empty (once decompressed)");
            }
            final boolean whole = head.length < HEAD_BYTES;
            if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf)
            {
                decoded.skipNBytes(3);
                head = java.util.Arrays.copyOfRange(head, 3, head.length);
            }
            else if (head.length >= 2 && ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe ||
                (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff))
            {
                throw new ImportException(name, "is UTF-16 text; save it as UTF-8 (or ASCII) and import that");
            }
            final int binaryAt = binaryAt(head);
            if (binaryAt >= 0)
            {
                throw new ImportException(name, "is not text (binary data at byte " + binaryAt +
                    (compression == Compression.NONE ? "" : " once decompressed") + "); expected CSV or JSON");
            }
            return new ImportInput(name, size, counting, compression, decoded,
                new String(head, StandardCharsets.UTF_8), whole);
        }
        catch (final IOException ex)
        {
            throw unreadable(name, ex, counting.count());
        }
    }

    /** The first {@code n} bytes (fewer at the end of the stream), leaving the stream where it was. */
    private static byte[] peek(final InputStream in, final int n) throws IOException
    {
        in.mark(n);
        final byte[] bytes = in.readNBytes(n);
        in.reset();
        return bytes;
    }

    /**
     * The offset of the first byte that text does not hold (NUL, or a control character other than tab, CR, LF and
     * form feed), or -1. Text does not hold them; binary data of any length almost surely does.
     */
    static int binaryAt(final byte[] head)
    {
        for (int i = 0; i < head.length; i++)
        {
            final int b = head[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7f)
            {
                return i;
            }
        }
        return -1;
    }

    /** An I/O failure part way through: a compressed stream that is corrupt or cut short, or the disk. */
    static ImportException unreadable(final String name, final IOException ex, final long bytesRead)
    {
        final String where = " after " + bytesRead + " bytes";
        if (ex instanceof java.util.zip.ZipException || ex instanceof java.io.EOFException)
        {
            return new ImportException(name, "the compressed data is corrupt or cut short" + where + " (" +
                ex.getMessage() + ")");
        }
        return new ImportException(BarStoreException.Category.IO, name, "cannot be read" + where + ": " + ex, ex);
    }

    String name()
    {
        return name;
    }

    /** Bytes on disk, -1 when unknown (stdin). */
    long size()
    {
        return size;
    }

    long bytesRead()
    {
        return counting.count();
    }

    Compression compression()
    {
        return compression;
    }

    /** The first 64 KiB, decoded as UTF-8, without a byte order mark. */
    String head()
    {
        return head;
    }

    /** True when {@link #head()} is the whole file. */
    boolean headIsWholeFile()
    {
        return headIsWholeFile;
    }

    /** The decompressed bytes, from the start (after any byte order mark). */
    InputStream stream()
    {
        return data;
    }

    Reader reader()
    {
        return new InputStreamReader(data, StandardCharsets.UTF_8);
    }

    public void close()
    {
        closeQuietly(data);
        closeQuietly(counting);
    }

    private static void closeQuietly(final Closeable c)
    {
        try
        {
            c.close();
        }
        catch (final IOException ignored)
        {
            // reading is over; nothing to do about a failed close of an input
        }
    }
}

package io.barstore.engine.journal;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.fs.FileOps;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The write-ahead journal: every accepted batch is appended to a Chronicle Queue before the write returns, and
 * replayed on open for whatever the partitions had not yet made durable. Single writer; callers serialise.
 */
public final class Journal implements AutoCloseable
{
    /** Receives replayed records, in journal order. */
    public interface RecordHandler
    {
        void onBatch(long index, SeriesKey key, BarBatch batch);

        void onDelete(long index, SeriesKey key, long before);
    }

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final FileOps fileOps;
    private final Path directory;
    private final ConcurrentSkipListMap<Integer, File> cycleFiles = new ConcurrentSkipListMap<>();
    private final byte[] nameScratch = new byte[64];
    private static final Column[] COLUMNS = Column.values();
    private final java.util.HashMap<SeriesKey, byte[]> headers = new java.util.HashMap<>();
    private SeriesKey lastKey;
    private byte[] lastHeader;
    private int currentCycle = Integer.MIN_VALUE;
    // Read by the sync agent without the writer lock; the file a cycle maps to never changes.
    private volatile Path currentPath;
    private volatile Path previousPath;
    private volatile Path forcedDirectoryFor;

    /** A roll cycle by its name in Chronicle's {@code RollCycles} or {@code TestRollCycles}. */
    public static RollCycle rollCycle(final String name)
    {
        try
        {
            return net.openhft.chronicle.queue.RollCycles.valueOf(name);
        }
        catch (final IllegalArgumentException ex)
        {
            try
            {
                return net.openhft.chronicle.queue.rollcycles.TestRollCycles.valueOf(name);
            }
            catch (final IllegalArgumentException ex2)
            {
                throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                    "unknown journal roll cycle; use a name from Chronicle's RollCycles such as FAST_HOURLY")
                    .with("rollCycle", name);
            }
        }
    }

    public Journal(final Path directory, final RollCycle rollCycle, final FileOps fileOps)
    {
        this.directory = directory;
        this.fileOps = fileOps;
        this.queue = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(rollCycle)
            .timeoutMS(2_000)
            .storeFileListener(new StoreFileListener()
            {
                public void onAcquired(final int cycle, final File file)
                {
                    cycleFiles.put(cycle, file);
                }

                public void onReleased(final int cycle, final File file)
                {
                }
            })
            .build();
        this.appender = queue.createAppender();
        // Callers serialise writes under one lock, but not always on one thread.
        this.appender.singleThreadedCheckDisabled(true);
    }

    /** Appends one batch and returns its index; the bytes are in the page cache when this returns. */
    public long append(final SeriesKey key, final BarBatch batch)
    {
        final int rows = batch.size();
        try (DocumentContext dc = appender.writingDocument())
        {
            try
            {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.write(recordHeader(key));
                bytes.writeInt(rows);
                final int columnBytes = rows * Column.VALUE_BYTES;
                for (final Column column : COLUMNS)
                {
                    // Native memory to native memory: Chronicle copies heap arrays value by value, this in one go.
                    bytes.unsafeWrite(batch.columnAddress(column), columnBytes);
                }
            }
            catch (final RuntimeException ex)
            {
                dc.rollbackOnClose(); // else closing the context commits a record the caller was told failed
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "journal append failed; the batch was not written", ex)
                .with("journal", directory).with("series", key).with("cause", ex.toString());
        }
        noteCycle();
        return appender.lastIndexAppended();
    }

    private void noteCycle()
    {
        if (appender.cycle() != currentCycle)
        {
            currentCycle = appender.cycle();
            final File file = appender.currentFile();
            final Path next = file == null ? null : file.toPath();
            if (currentPath != null && !currentPath.equals(next))
            {
                previousPath = currentPath; // the next force() covers the rest of the old file and the new name
            }
            currentPath = next;
        }
    }

    /** Appends a deletion of every bar of the series with ts below {@code before}; returns its index. */
    public long appendDelete(final SeriesKey key, final long before)
    {
        final byte[] header = recordHeader(key).clone();
        header[0] = JournalRecordDescriptor.KIND_DELETE;
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.write(header);
            bytes.writeLong(before);
        }
        catch (final RuntimeException ex)
        {
            throw new BarStoreException(BarStoreException.Category.IO,
                "journal append failed; nothing was deleted", ex)
                .with("journal", directory).with("series", key).with("cause", ex.toString());
        }
        noteCycle();
        return appender.lastIndexAppended();
    }

    /** fsync of the journal's current file: after it, appended batches survive a power loss. */
    public void force() throws IOException
    {
        final Path previous = previousPath;
        if (previous != null)
        {
            fileOps.force(previous);
            fileOps.forceDirectory(directory);
            previousPath = null;
        }
        final Path path = currentPath;
        if (path != null)
        {
            if (!path.equals(forcedDirectoryFor))
            {
                fileOps.forceDirectory(directory); // a new journal file's name must survive a power loss too
                forcedDirectoryFor = path;
            }
            fileOps.force(path);
        }
    }

    /** Replays every batch after {@code afterIndex} (all of them when it is negative), in order. */
    public long replay(final long afterIndex, final RecordHandler handler)
    {
        long last = afterIndex;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (afterIndex >= 0)
            {
                if (tailer.moveToIndex(afterIndex))
                {
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        // skip the checkpointed batch itself
                    }
                }
                else
                {
                    tailer.toStart();
                }
            }
            final BarBatch batch = new BarBatch(1024);
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final long index = dc.index();
                    if (index <= afterIndex)
                    {
                        continue;
                    }
                    read(index, dc.wire().bytes(), batch, handler);
                    last = index;
                }
            }
        }
        return last;
    }

    /**
     * Deletes whole journal files older than the file holding {@code index}; their batches are durable elsewhere.
     * Files are found by listing the directory (one roll cycle's file names sort by time), so files left by an
     * earlier process are deleted too.
     */
    public void deleteCyclesBefore(final long index)
    {
        if (index < 0)
        {
            return;
        }
        final File keep = cycleFiles.get(queue.rollCycle().toCycle(index));
        if (keep == null)
        {
            return; // not known in this process yet: tried again at the next checkpoint
        }
        final String keepName = keep.getName();
        final Path current = currentPath;
        try
        {
            for (final String name : fileOps.list(directory))
            {
                if (name.endsWith(".cq4") && name.length() == keepName.length() && name.compareTo(keepName) < 0 &&
                    (current == null || !name.equals(current.getFileName().toString())))
                {
                    fileOps.delete(directory.resolve(name));
                }
            }
        }
        catch (final IOException ignore)
        {
            // tried again at the next checkpoint
        }
        queue.refreshDirectoryListing();
    }

    public long lastIndex()
    {
        return queue.lastIndex();
    }

    public void close()
    {
        appender.close();
        queue.close();
    }

    private void read(final long index, final Bytes<?> bytes, final BarBatch batch, final RecordHandler handler)
    {
        final int kind = bytes.readUnsignedByte();
        if (kind != JournalRecordDescriptor.KIND_WRITE_BATCH && kind != JournalRecordDescriptor.KIND_DELETE)
        {
            return;
        }
        final Timeframe timeframe = Timeframe.byOrdinal(bytes.readUnsignedByte());
        final String source = readAscii(bytes);
        final String symbol = readAscii(bytes);
        final SeriesKey key = SeriesKey.of(symbol, timeframe, source);
        if (kind == JournalRecordDescriptor.KIND_DELETE)
        {
            handler.onDelete(index, key, bytes.readLong());
            return;
        }
        final int rows = bytes.readInt();
        batch.resize(rows);
        for (final Column column : COLUMNS)
        {
            bytes.unsafeRead(batch.columnAddress(column), rows * Column.VALUE_BYTES);
        }
        handler.onBatch(index, key, batch);
    }

    /** Kind, timeframe, source and symbol of a record: the same bytes for every batch of a series, so kept. */
    private byte[] recordHeader(final SeriesKey key)
    {
        if (key.equals(lastKey))
        {
            return lastHeader;
        }
        byte[] header = headers.get(key);
        if (header == null)
        {
            final String source = key.source();
            final String symbol = key.symbol();
            header = new byte[4 + source.length() + symbol.length()];
            int i = 0;
            header[i++] = JournalRecordDescriptor.KIND_WRITE_BATCH;
            header[i++] = (byte)key.timeframe().ordinal();
            header[i++] = (byte)source.length();
            for (int c = 0; c < source.length(); c++)
            {
                header[i++] = (byte)source.charAt(c);
            }
            header[i++] = (byte)symbol.length();
            for (int c = 0; c < symbol.length(); c++)
            {
                header[i++] = (byte)symbol.charAt(c);
            }
            headers.put(key, header);
        }
        lastKey = key;
        lastHeader = header;
        return header;
    }

    private String readAscii(final Bytes<?> bytes)
    {
        final int length = bytes.readUnsignedByte();
        bytes.read(nameScratch, 0, length);
        return new String(nameScratch, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }
}

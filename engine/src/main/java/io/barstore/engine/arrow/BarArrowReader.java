package io.barstore.engine.arrow;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.storage.Mapping;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports bars as Arrow record batches whose column buffers point straight into the memory-mapped partition files.
 * <p>
 * Each {@link #loadNextBatch()} takes the cursor's next chunk (rows lying contiguously in one partition) and loads it
 * into {@link #getVectorSchemaRoot()} without copying: every column buffer is foreign memory over the mapping and
 * holds a reference on it, so a loaded batch stays valid after the cursor moved on, the partition was rewritten and
 * the store closed, until Arrow releases the buffer. Validity bitmaps are slices of one shared all-ones region. Only
 * the cursor's one-row copy of a still-forming bar is copied, into buffers of the allocator. A chunk longer than the
 * shared bitmap covers goes out as several batches. Heap allocated per batch is constant, whatever its row count.
 * <p>
 * Several series can go through one reader ({@link #multi}); batches then start with the dictionary-encoded
 * {@code symbol} column, whose dictionary this reader provides, so {@code ArrowStreamWriter} writes it.
 * <p>
 * The vectors are read-only: writing to them would write to the store's files or to the shared bitmap. Like any
 * {@link ArrowReader}, one thread uses it; closing it releases the cursor (and the mapping the cursor holds).
 */
public final class BarArrowReader extends ArrowReader
{
    /** Pass as {@code limit} to {@link #multi} for every bar in the range (the engine's convention: 0). */
    public static final long NO_LIMIT = 0;

    private static final int SYMBOL_INDEX_BYTES = Integer.BYTES;

    private final BarCursor cursor;
    private final BarStore store;
    private final List<SeriesKey> keys;
    private final int[] symbolIndexByKey;
    private final String[] symbols;
    private final long[] starts;
    private final long[] ends;
    private final long limit;
    private final int maxBatchRows;
    private final ArrayList<ArrowFieldNode> nodes = new ArrayList<>(Column.COUNT + 1);
    private final ArrayList<ArrowBuf> buffers = new ArrayList<>(2 * (Column.COUNT + 1));
    private final ArrayList<ArrowBuf> owned = new ArrayList<>(2 * (Column.COUNT + 1));

    private ArrowBuf validity;
    private int seriesIndex;
    private int chunkOffset;
    private int chunkRemaining;
    private long rowsLoaded;

    /**
     * Exports the bars of one series from a cursor positioned by {@code store.range(...)}; the schema is
     * {@link BarArrowSchema#SINGLE_SERIES}.
     */
    public BarArrowReader(final BufferAllocator allocator, final BarCursor cursor)
    {
        this(allocator, cursor, AllOnesBitmap.ROWS);
    }

    BarArrowReader(final BufferAllocator allocator, final BarCursor cursor, final int maxBatchRows)
    {
        super(allocator);
        this.cursor = cursor;
        this.store = null;
        this.keys = null;
        this.symbolIndexByKey = null;
        this.symbols = null;
        this.starts = null;
        this.ends = null;
        this.limit = NO_LIMIT;
        this.maxBatchRows = checkMaxBatchRows(maxBatchRows);
        this.seriesIndex = 0; // the caller positioned the cursor on the one series
    }

    private BarArrowReader(
        final BufferAllocator allocator,
        final BarStore store,
        final List<SeriesKey> keys,
        final long[] starts,
        final long[] ends,
        final long limit,
        final int maxBatchRows)
    {
        super(allocator);
        if (limit < 0)
        {
            throw new IllegalArgumentException("limit must not be negative (0 for no limit): " + limit);
        }
        this.cursor = store.newCursor();
        this.store = store;
        this.keys = List.copyOf(keys);
        this.symbolIndexByKey = new int[this.keys.size()];
        final Map<String, Integer> indexBySymbol = new LinkedHashMap<>();
        for (int i = 0; i < this.keys.size(); i++)
        {
            final String symbol = this.keys.get(i).symbol();
            final Integer known = indexBySymbol.putIfAbsent(symbol, indexBySymbol.size());
            symbolIndexByKey[i] = known != null ? known : indexBySymbol.size() - 1;
        }
        this.symbols = indexBySymbol.keySet().toArray(new String[0]);
        this.starts = starts;
        this.ends = ends;
        this.limit = limit;
        this.maxBatchRows = checkMaxBatchRows(maxBatchRows);
        this.seriesIndex = -1; // nothing positioned yet
    }

    /**
     * Exports the bars in {@code [start, end)} of several series, one after the other in the order given, with the
     * {@code symbol} column first ({@link BarArrowSchema#MULTI_SERIES}). With a {@code limit} above zero
     * ({@link #NO_LIMIT} is zero), each series contributes its newest {@code limit} bars of the range. A series the store does
     * not hold contributes no rows; its symbol is still in the dictionary. The reader owns its cursor.
     */
    public static BarArrowReader multi(
        final BufferAllocator allocator,
        final BarStore store,
        final List<SeriesKey> keys,
        final long start,
        final long end,
        final long limit)
    {
        return multi(allocator, store, keys, start, end, limit, AllOnesBitmap.ROWS);
    }

    /**
     * Exports ranges of several series (a series may come more than once, for several ranges), one after the other
     * in the order given, with the {@code symbol} column as for {@link #multi}: {@code starts[i]} and {@code ends[i]}
     * bound the bars of {@code keys.get(i)}.
     */
    public static BarArrowReader ranges(
        final BufferAllocator allocator,
        final BarStore store,
        final List<SeriesKey> keys,
        final long[] starts,
        final long[] ends)
    {
        if (starts.length != keys.size() || ends.length != keys.size())
        {
            throw new IllegalArgumentException("one start and one end per key: " + keys.size() + " keys, " +
                starts.length + " starts, " + ends.length + " ends");
        }
        return new BarArrowReader(allocator, store, keys, starts.clone(), ends.clone(), NO_LIMIT, AllOnesBitmap.ROWS);
    }

    static BarArrowReader multi(
        final BufferAllocator allocator,
        final BarStore store,
        final List<SeriesKey> keys,
        final long start,
        final long end,
        final long limit,
        final int maxBatchRows)
    {
        final long[] starts = new long[keys.size()];
        final long[] ends = new long[keys.size()];
        java.util.Arrays.fill(starts, start);
        java.util.Arrays.fill(ends, end);
        return new BarArrowReader(allocator, store, keys, starts, ends, limit, maxBatchRows);
    }

    /** True when batches carry the {@code symbol} column. */
    public boolean multiSeries()
    {
        return keys != null;
    }

    /** Rows loaded so far. */
    public long rowsLoaded()
    {
        return rowsLoaded;
    }

    public boolean loadNextBatch() throws IOException
    {
        prepareLoadNextBatch();
        if (chunkRemaining == 0 && !nextChunk())
        {
            return false;
        }
        final int rows = Math.min(chunkRemaining, maxBatchRows);
        if (null == validity)
        {
            validity = AllOnesBitmap.wrap(allocator);
        }
        try
        {
            if (multiSeries())
            {
                addSymbolColumn(rows, symbolIndexByKey[seriesIndex]);
            }
            final Mapping mapping = cursor.chunkMapping();
            if (null != mapping)
            {
                addMappedColumns(mapping, rows);
            }
            else
            {
                addCopiedColumns(rows);
            }
            loadRecordBatch(new ArrowRecordBatch(rows, nodes, buffers));
        }
        finally
        {
            // The vectors now hold their own references; drop ours (or everything, if loading failed).
            for (int i = 0, n = owned.size(); i < n; i++)
            {
                owned.get(i).close();
            }
            owned.clear();
            nodes.clear();
            buffers.clear();
        }
        chunkOffset += rows;
        chunkRemaining -= rows;
        rowsLoaded += rows;
        return true;
    }

    /** Bytes of bar columns exported so far. */
    public long bytesRead()
    {
        return rowsLoaded * Column.COUNT * Column.VALUE_BYTES;
    }

    protected void closeReadSource()
    {
        try
        {
            cursor.release();
        }
        finally
        {
            if (null != validity)
            {
                validity.close();
                validity = null;
            }
        }
    }

    protected Schema readSchema()
    {
        return BarArrowSchema.schema(multiSeries());
    }

    protected void initialize() throws IOException
    {
        super.initialize();
        if (multiSeries())
        {
            fillSymbolDictionary((VarCharVector)dictionaries.get(BarArrowSchema.SYMBOL_DICTIONARY_ID).getVector());
        }
    }

    private void fillSymbolDictionary(final VarCharVector dictionary)
    {
        final byte[][] utf8 = new byte[symbols.length][];
        long bytes = 0;
        for (int i = 0; i < symbols.length; i++)
        {
            utf8[i] = symbols[i].getBytes(StandardCharsets.UTF_8);
            bytes += utf8[i].length;
        }
        dictionary.allocateNew(Math.max(bytes, 1), Math.max(symbols.length, 1));
        for (int i = 0; i < utf8.length; i++)
        {
            dictionary.setSafe(i, utf8[i]);
        }
        dictionary.setValueCount(symbols.length);
    }

    /** Moves to the next non-empty chunk, across series for a multi-series reader; false at the end. */
    private boolean nextChunk()
    {
        while (true)
        {
            if (seriesIndex >= 0 && cursor.nextChunk())
            {
                if (cursor.chunkRows() > 0)
                {
                    chunkOffset = 0;
                    chunkRemaining = cursor.chunkRows();
                    return true;
                }
            }
            else if (!nextSeries())
            {
                return false;
            }
        }
    }

    private boolean nextSeries()
    {
        if (!multiSeries())
        {
            return false;
        }
        while (++seriesIndex < keys.size())
        {
            final SeriesKey key = keys.get(seriesIndex);
            if (store.range(key, starts[seriesIndex], ends[seriesIndex], limit, cursor))
            {
                return true;
            }
        }
        seriesIndex = keys.size() - 1; // stay on a valid index; the cursor is exhausted
        cursor.release();
        return false;
    }

    private void addMappedColumns(final Mapping mapping, final int rows)
    {
        final long offset = (long)chunkOffset * Column.VALUE_BYTES;
        final long size = (long)rows * Column.VALUE_BYTES;
        for (int c = 0; c < Column.COUNT; c++)
        {
            final long address = cursor.chunkAddress(Column.byIndex(c)) + offset;
            // One reference per buffer: each vector can be transferred and released on its own.
            if (!mapping.tryRetain())
            {
                throw new IllegalStateException("chunk mapping already released: " + mapping.path());
            }
            final MappedColumnAllocation allocation = new MappedColumnAllocation(mapping, address, size);
            final ArrowBuf data;
            try
            {
                data = allocator.wrapForeignAllocation(allocation);
            }
            catch (final RuntimeException | Error ex)
            {
                allocation.releaseOnce();
                throw ex;
            }
            owned.add(data);
            data.writerIndex(size);
            addColumn(rows, data);
        }
    }

    private void addCopiedColumns(final int rows)
    {
        // The chunk is the cursor's own copy of a still-forming bar, reused on its next chunk: copy it out.
        final long columnBytes = (long)rows * Column.VALUE_BYTES;
        final ArrowBuf copy = allocator.buffer(columnBytes * Column.COUNT);
        owned.add(copy);
        final long offset = (long)chunkOffset * Column.VALUE_BYTES;
        for (int c = 0; c < Column.COUNT; c++)
        {
            final ArrowBuf data = copy.slice(c * columnBytes, columnBytes);
            MemoryUtil.copyMemory(cursor.chunkAddress(Column.byIndex(c)) + offset, data.memoryAddress(), columnBytes);
            data.writerIndex(columnBytes);
            addColumn(rows, data);
        }
    }

    private void addSymbolColumn(final int rows, final int symbolIndex)
    {
        final long bytes = (long)rows * SYMBOL_INDEX_BYTES;
        final ArrowBuf indices = allocator.buffer(bytes);
        owned.add(indices);
        fillInt(indices.memoryAddress(), rows, symbolIndex);
        indices.writerIndex(bytes);
        addColumn(rows, indices);
    }

    private void addColumn(final int rows, final ArrowBuf data)
    {
        final ArrowBuf bits = validity.slice(0, AllOnesBitmap.bytesFor(rows));
        bits.writerIndex(bits.capacity());
        nodes.add(new ArrowFieldNode(rows, 0));
        buffers.add(bits);
        buffers.add(data);
    }

    /** Writes {@code value} {@code count} times from {@code address}, doubling the filled prefix with each copy. */
    static void fillInt(final long address, final int count, final int value)
    {
        if (count == 0)
        {
            return;
        }
        MemoryUtil.putInt(address, value);
        final long total = (long)count * Integer.BYTES;
        long filled = Integer.BYTES;
        while (filled < total)
        {
            final long n = Math.min(filled, total - filled);
            MemoryUtil.copyMemory(address, address + filled, n);
            filled += n;
        }
    }

    private static int checkMaxBatchRows(final int maxBatchRows)
    {
        if (maxBatchRows < 1 || maxBatchRows > AllOnesBitmap.ROWS)
        {
            throw new IllegalArgumentException(
                "maxBatchRows must be 1 to " + AllOnesBitmap.ROWS + " (the shared bitmap): " + maxBatchRows);
        }
        return maxBatchRows;
    }
}

package io.barstore.server.format;

import io.barstore.engine.BarBatch;
import io.barstore.engine.Column;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an Arrow IPC stream of bars with the columns of CONTRACT.md, in any order: {@code ts} a timestamp of any
 * unit (a time zone, if any, is fine: Arrow timestamps count from the UTC epoch either way), {@code open} to
 * {@code volume} and {@code vwap} float64, {@code trades} any integer type. {@code vwap} and {@code trades} may be
 * left out or null (unknown). Values are read straight from the vectors, batch by batch: no object per bar.
 */
public final class ArrowBatchParser implements BatchParser
{
    private final BufferAllocator allocator;
    private TimeStampVector ts;
    private final Float8Vector[] doubles = new Float8Vector[Column.COUNT];
    private BaseIntVector trades;
    private long tsMultiplier;

    /**
     * {@code allocator} holds each record batch while it is read; give it a limit near the body limit, since a
     * malformed stream can claim a message of any size.
     */
    public ArrowBatchParser(final BufferAllocator allocator)
    {
        this.allocator = allocator;
    }

    public void parse(final InputStream body, final BarBatch batch, final RowErrors errors) throws IOException
    {
        final WatchedStream source = new WatchedStream(body);
        try (ArrowStreamReader reader = new ArrowStreamReader(BoundedMessageReader.of(source, allocator), allocator))
        {
            final VectorSchemaRoot root = reader.getVectorSchemaRoot();
            bind(root);
            int row = 0;
            while (reader.loadNextBatch())
            {
                final int rows = root.getRowCount();
                for (int i = 0; i < rows; i++, row++)
                {
                    readRow(i, row, batch, errors);
                }
            }
        }
        catch (final IOException ex)
        {
            if (source.failed)
            {
                throw ex; // the body itself failed (cut short, too large): not a question of format
            }
            throw new MalformedBodyException("malformed Arrow IPC stream (" + ex.getMessage() + "); send the IPC " +
                "stream format, " + BarFormat.ARROW.mediaType() + ", not the file format", ex);
        }
        catch (final OutOfMemoryException ex)
        {
            throw new MalformedBodyException("the Arrow stream claims more memory than the body limit allows; " +
                "is it an Arrow IPC stream (not the file format, not compressed)?", ex);
        }
        catch (final RuntimeException ex)
        {
            if (ex instanceof MalformedBodyException)
            {
                throw ex;
            }
            throw new MalformedBodyException("malformed Arrow IPC stream (" + ex.getClass().getSimpleName() + ": " +
                ex.getMessage() + "); send the IPC stream format, " + BarFormat.ARROW.mediaType(), ex);
        }
    }

    /**
     * The body, remembering whether it failed: Arrow's reader reports a stream that is not Arrow with the same
     * {@link IOException} as a body that could not be read, and only the second is not the client's format error.
     */
    private static final class WatchedStream extends FilterInputStream
    {
        private boolean failed;

        WatchedStream(final InputStream in)
        {
            super(in);
        }

        public int read() throws IOException
        {
            try
            {
                return in.read();
            }
            catch (final IOException ex)
            {
                failed = true;
                throw ex;
            }
        }

        public int read(final byte[] b, final int off, final int len) throws IOException
        {
            try
            {
                return in.read(b, off, len);
            }
            catch (final IOException ex)
            {
                failed = true;
                throw ex;
            }
        }
    }

    private void readRow(final int i, final int row, final BarBatch batch, final RowErrors errors)
    {
        long epochNanos = 0;
        if (ts.isNull(i))
        {
            errors.add(row, "ts", "is null");
        }
        else
        {
            final long value = ts.get(i);
            if (value > Long.MAX_VALUE / tsMultiplier || value < Long.MIN_VALUE / tsMultiplier)
            {
                errors.add(row, "ts", "is out of range (years 1678 to 2261 fit nanoseconds)");
            }
            epochNanos = value * tsMultiplier;
        }
        for (int c = Column.OPEN.ordinal(); c <= Column.VOLUME.ordinal(); c++)
        {
            if (doubles[c].isNull(i))
            {
                errors.add(row, Column.byIndex(c).fieldName(), "is null");
            }
        }
        if (errors.total() != 0)
        {
            return; // this row or an earlier one is bad: the batch is rejected anyway, keep no more bars
        }
        final Float8Vector vwap = doubles[Column.VWAP.ordinal()];
        batch.add(epochNanos,
            doubles[Column.OPEN.ordinal()].get(i),
            doubles[Column.HIGH.ordinal()].get(i),
            doubles[Column.LOW.ordinal()].get(i),
            doubles[Column.CLOSE.ordinal()].get(i),
            doubles[Column.VOLUME.ordinal()].get(i),
            vwap == null || vwap.isNull(i) ? BarBatch.UNKNOWN_VWAP : vwap.get(i),
            trades == null || trades.isNull(i) ? BarBatch.UNKNOWN_TRADES : trades.getValueAsLong(i));
    }

    /** Checks the schema and finds each column's vector; the vectors stay the same for every batch of a stream. */
    private void bind(final VectorSchemaRoot root)
    {
        int seen = 0;
        for (final Field field : root.getSchema().getFields())
        {
            final Column column = BarFields.byName(field.getName());
            if (column == null)
            {
                throw new MalformedBodyException("the Arrow schema has an unknown column '" + field.getName() +
                    "'; the columns are " + BarFields.NAMES);
            }
            if ((seen & BarFields.bit(column)) != 0)
            {
                throw new MalformedBodyException("the Arrow schema names " + column.fieldName() + " twice");
            }
            seen |= BarFields.bit(column);
            final FieldVector vector = root.getVector(field.getName());
            if (field.getDictionary() != null)
            {
                throw wrongType(column, field);
            }
            switch (column)
            {
                case TS:
                    if (!(vector instanceof TimeStampVector tsVector))
                    {
                        throw wrongType(column, field);
                    }
                    ts = tsVector;
                    tsMultiplier = nanosPer(((ArrowType.Timestamp)field.getType()).getUnit());
                    break;
                case TRADES:
                    if (!(vector instanceof BaseIntVector intVector))
                    {
                        throw wrongType(column, field);
                    }
                    trades = intVector;
                    break;
                default:
                    if (!(vector instanceof Float8Vector float8))
                    {
                        throw wrongType(column, field);
                    }
                    doubles[column.ordinal()] = float8;
                    break;
            }
        }
        for (int c = 0; c < Column.COUNT; c++)
        {
            final Column column = Column.byIndex(c);
            if (BarFields.required(column) && (seen & BarFields.bit(column)) == 0)
            {
                throw new MalformedBodyException("the Arrow schema has no " + column.fieldName() + " column; " +
                    "the columns are " + BarFields.NAMES);
            }
        }
    }

    private static long nanosPer(final org.apache.arrow.vector.types.TimeUnit unit)
    {
        switch (unit)
        {
            case SECOND:
                return 1_000_000_000L;
            case MILLISECOND:
                return 1_000_000L;
            case MICROSECOND:
                return 1_000L;
            default:
                return 1L;
        }
    }

    private static MalformedBodyException wrongType(final Column column, final Field field)
    {
        final String expected;
        switch (column)
        {
            case TS:
                expected = "a timestamp (timestamp[ns, tz=UTC] preferred)";
                break;
            case TRADES:
                expected = "an integer (int64 preferred)";
                break;
            default:
                expected = "float64";
                break;
        }
        return new MalformedBodyException("column " + column.fieldName() + " must be " + expected + ", not " +
            (field.getDictionary() != null ? "dictionary-encoded " : "") + field.getType() + "; cast it before sending");
    }
}

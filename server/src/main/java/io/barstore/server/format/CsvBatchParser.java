package io.barstore.server.format;

import com.fasterxml.jackson.core.io.NumberInput;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordType;
import io.barstore.engine.BarBatch;
import io.barstore.engine.Column;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads CSV with a header line (CONTRACT.md's column names, in any order and case, or the short names
 * {@code t o h l c v vw n}) with FastCSV's callback API: each field arrives as a slice of FastCSV's char buffer and is
 * parsed in place, so a row allocates nothing. {@code ts} is ISO-8601 or a date; an empty {@code vwap} or
 * {@code trades} cell means unknown. A UTF-8 byte-order mark (spreadsheet exports) is skipped; empty lines too.
 */
public final class CsvBatchParser implements BatchParser
{
    public void parse(final InputStream body, final BarBatch batch, final RowErrors errors) throws IOException
    {
        final Rows rows = new Rows(batch, errors);
        // Field counts are checked here, per row, so a short row is a row error rather than the end of the read.
        try (CsvReader<Object> reader = CsvReader.builder()
            .allowExtraFields(true)
            .allowMissingFields(true)
            .skipEmptyLines(true)
            .detectBomHeader(true)
            .build(rows, body, StandardCharsets.UTF_8))
        {
            final CloseableIterator<Object> records = reader.iterator();
            while (records.hasNext())
            {
                records.next();
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        catch (final CsvParseException ex)
        {
            // FastCSV wraps whatever the callbacks or the stream threw; pass on what is ours or the stream's.
            final Throwable cause = ex.getCause();
            if (cause instanceof MalformedBodyException malformed)
            {
                throw malformed;
            }
            if (cause instanceof IOException io)
            {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked)
            {
                throw unchecked.getCause();
            }
            throw new MalformedBodyException("malformed CSV: " + ex.getMessage() +
                (cause == null ? "" : ": " + cause.getMessage()), ex);
        }
        if (rows.columns == null)
        {
            throw new MalformedBodyException("the body is empty; CSV needs a header line, " + header() +
                ", then one line per bar");
        }
    }

    private static String header()
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = 0; c < Column.COUNT; c++)
        {
            sb.append(c == 0 ? "" : ",").append(Column.byIndex(c).fieldName());
        }
        return sb.toString();
    }

    /** FastCSV's callbacks: the first record is the header, every later one a bar. */
    private static final class Rows extends AbstractBaseCsvCallbackHandler<Object>
    {
        private static final Object RECORD = new Object();

        private final BarBatch batch;
        private final RowErrors errors;
        private final List<String> headerCells = new ArrayList<>();
        private final double[] values = new double[Column.COUNT];
        private Column[] columns;
        private int row;
        private long ts;
        private long trades;

        Rows(final BarBatch batch, final RowErrors errors)
        {
            this.batch = batch;
            this.errors = errors;
        }

        protected void handleBegin(final long startingLineNumber)
        {
            ts = 0;
            trades = BarBatch.UNKNOWN_TRADES;
            values[Column.VWAP.ordinal()] = BarBatch.UNKNOWN_VWAP;
        }

        protected void handleField(
            final int index, final char[] buf, final int offset, final int length, final boolean quoted)
        {
            if (columns == null)
            {
                headerCells.add(new String(buf, offset, length).trim());
                return;
            }
            if (index >= columns.length)
            {
                return; // counted in buildRecord
            }
            final Column column = columns[index];
            final boolean empty = isBlank(buf, offset, length);
            switch (column)
            {
                case TS:
                    ts = IsoTime.parse(buf, offset, length);
                    if (ts == IsoTime.INVALID)
                    {
                        errors.add(row, "ts", "must be " + IsoTime.EXPECTED);
                    }
                    break;
                case TRADES:
                    trades = empty ? BarBatch.UNKNOWN_TRADES : parseTrades(buf, offset, length);
                    break;
                case VWAP:
                    values[column.ordinal()] = empty ? BarBatch.UNKNOWN_VWAP : parseNumber(column, buf, offset, length);
                    break;
                default:
                    if (empty)
                    {
                        errors.add(row, column.fieldName(), "is required");
                    }
                    else
                    {
                        values[column.ordinal()] = parseNumber(column, buf, offset, length);
                    }
                    break;
            }
        }

        protected Object buildRecord()
        {
            if (getRecordType() != RecordType.DATA)
            {
                return null;
            }
            if (columns == null)
            {
                columns = columnsOf(headerCells);
                return RECORD;
            }
            if (getFieldCount() != columns.length)
            {
                errors.add(row, "row", "has " + getFieldCount() + " cells, the header has " + columns.length);
            }
            else if (errors.total() == 0) // after a bad row the batch is rejected anyway: keep no more bars
            {
                batch.add(ts, values[Column.OPEN.ordinal()], values[Column.HIGH.ordinal()],
                    values[Column.LOW.ordinal()], values[Column.CLOSE.ordinal()], values[Column.VOLUME.ordinal()],
                    values[Column.VWAP.ordinal()], trades);
            }
            row++;
            return RECORD;
        }

        private double parseNumber(final Column column, final char[] buf, final int offset, final int length)
        {
            try
            {
                return NumberInput.parseDouble(buf, offset, length, true);
            }
            catch (final NumberFormatException ex)
            {
                errors.add(row, column.fieldName(), "must be a number" +
                    (column == Column.VWAP ? ", or empty when unknown" : ""));
                return Double.NaN;
            }
        }

        /** A whole number with an optional sign and surrounding spaces; records an error otherwise. */
        private long parseTrades(final char[] buf, final int offset, final int length)
        {
            int p = offset;
            int end = offset + length;
            while (p < end && buf[p] == ' ')
            {
                p++;
            }
            while (end > p && buf[end - 1] == ' ')
            {
                end--;
            }
            final boolean negative = p < end && buf[p] == '-';
            if (p < end && (buf[p] == '-' || buf[p] == '+'))
            {
                p++;
            }
            long value = 0;
            boolean valid = p < end && end - p <= 18; // 18 digits cannot overflow a long
            for (int i = p; valid && i < end; i++)
            {
                final char c = buf[i];
                valid = c >= '0' && c <= '9';
                value = value * 10 + (c - '0');
            }
            if (!valid)
            {
                errors.add(row, "trades", "must be a whole number, or empty when unknown");
                return BarBatch.UNKNOWN_TRADES;
            }
            return negative ? -value : value;
        }

        private static boolean isBlank(final char[] buf, final int offset, final int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                if (buf[i] != ' ')
                {
                    return false;
                }
            }
            return true;
        }

        private static Column[] columnsOf(final List<String> cells)
        {
            final Column[] columns = new Column[cells.size()];
            int seen = 0;
            for (int i = 0; i < columns.length; i++)
            {
                final String cell = cells.get(i);
                final Column column = BarFields.byName(cell.toLowerCase(Locale.ROOT));
                if (column == null)
                {
                    throw new MalformedBodyException("the CSV header has an unknown column '" + cell +
                        "' (column " + (i + 1) + "); the columns are " + BarFields.NAMES);
                }
                if ((seen & BarFields.bit(column)) != 0)
                {
                    throw new MalformedBodyException("the CSV header names " + column.fieldName() + " twice");
                }
                seen |= BarFields.bit(column);
                columns[i] = column;
            }
            for (int c = 0; c < Column.COUNT; c++)
            {
                final Column column = Column.byIndex(c);
                if (BarFields.required(column) && (seen & BarFields.bit(column)) == 0)
                {
                    throw new MalformedBodyException("the CSV header has no " + column.fieldName() +
                        " column; the first line must name the columns, e.g. " + header());
                }
            }
            return columns;
        }
    }
}

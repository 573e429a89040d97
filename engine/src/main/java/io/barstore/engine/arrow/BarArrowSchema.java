package io.barstore.engine.arrow;

import io.barstore.engine.Column;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The Arrow schema of bars as CONTRACT.md ("Arrow schema") fixes it, for one series and for several series at once.
 * <pre>
 *   symbol   dictionary&lt;int32, utf8&gt;   (multi-series results only, always first)
 *   ts       timestamp[ns, tz=UTC]
 *   open, high, low, close, volume, vwap   float64
 *   trades   int64
 * </pre>
 * Fields are declared not-null: the store never holds a null, an unknown vwap is NaN and unknown trades are -1,
 * exactly as stored, so the exported columns are the stored bytes.
 */
public final class BarArrowSchema
{
    public static final String SYMBOL_FIELD = "symbol";
    public static final long SYMBOL_DICTIONARY_ID = 0;
    public static final ArrowType.Int SYMBOL_INDEX_TYPE = new ArrowType.Int(32, true);
    public static final ArrowType.Timestamp TS_TYPE = new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC");
    public static final ArrowType.FloatingPoint PRICE_TYPE =
        new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    public static final ArrowType.Int TRADES_TYPE = new ArrowType.Int(64, true);
    public static final DictionaryEncoding SYMBOL_ENCODING =
        new DictionaryEncoding(SYMBOL_DICTIONARY_ID, false, SYMBOL_INDEX_TYPE);

    /** ts, open, high, low, close, volume, vwap, trades. */
    public static final Schema SINGLE_SERIES = new Schema(barFields(false));

    /** symbol (dictionary-encoded) followed by the single-series fields. */
    public static final Schema MULTI_SERIES = new Schema(barFields(true));

    private BarArrowSchema()
    {
    }

    /** The schema of a result of one series, or of several when {@code multiSeries}. */
    public static Schema schema(final boolean multiSeries)
    {
        return multiSeries ? MULTI_SERIES : SINGLE_SERIES;
    }

    /** The Arrow type of a stored column. */
    public static ArrowType type(final Column column)
    {
        switch (column)
        {
            case TS:
                return TS_TYPE;
            case TRADES:
                return TRADES_TYPE;
            default:
                return PRICE_TYPE;
        }
    }

    private static List<Field> barFields(final boolean multiSeries)
    {
        final List<Field> fields = new ArrayList<>(Column.COUNT + 1);
        if (multiSeries)
        {
            // In IPC "message format" a dictionary field carries the value type (utf8) plus the encoding; Arrow Java
            // turns it into an int32 index vector and an empty utf8 dictionary vector when the reader initialises.
            fields.add(new Field(SYMBOL_FIELD, new FieldType(false, ArrowType.Utf8.INSTANCE, SYMBOL_ENCODING), null));
        }
        for (int c = 0; c < Column.COUNT; c++)
        {
            final Column column = Column.byIndex(c);
            fields.add(new Field(column.fieldName(), FieldType.notNullable(type(column)), null));
        }
        return fields;
    }
}

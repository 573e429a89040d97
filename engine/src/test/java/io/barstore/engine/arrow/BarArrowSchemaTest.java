package io.barstore.engine.arrow;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BarArrowSchemaTest
{
    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    @Test
    void singleSeriesSchemaIsTheContractsColumnsInOrder()
    {
        final Schema schema = BarArrowSchema.SINGLE_SERIES;
        assertEquals(List.of("ts", "open", "high", "low", "close", "volume", "vwap", "trades"), names(schema));
        assertEquals(new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"), schema.findField("ts").getType());
        for (final String name : List.of("open", "high", "low", "close", "volume", "vwap"))
        {
            assertEquals(FLOAT64, schema.findField(name).getType(), name);
        }
        assertEquals(new ArrowType.Int(64, true), schema.findField("trades").getType());
        schema.getFields().forEach(field -> assertNull(field.getDictionary(), field.getName()));
    }

    @Test
    void multiSeriesSchemaStartsWithTheDictionaryEncodedSymbol()
    {
        final Schema schema = BarArrowSchema.MULTI_SERIES;
        assertEquals(List.of("symbol", "ts", "open", "high", "low", "close", "volume", "vwap", "trades"),
            names(schema));
        final Field symbol = schema.getFields().get(0);
        assertEquals(ArrowType.Utf8.INSTANCE, symbol.getType(), "the value type, in IPC message form");
        assertEquals(new DictionaryEncoding(0, false, new ArrowType.Int(32, true)), symbol.getDictionary());
        assertEquals(BarArrowSchema.SINGLE_SERIES.getFields(), schema.getFields().subList(1, 9));
    }

    private static List<String> names(final Schema schema)
    {
        return schema.getFields().stream().map(Field::getName).toList();
    }
}

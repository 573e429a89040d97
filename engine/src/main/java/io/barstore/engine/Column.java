package io.barstore.engine;

/** The eight columns of a bar, in storage and Arrow order; every value is 8 bytes, little-endian. */
public enum Column
{
    TS("ts"),
    OPEN("open"),
    HIGH("high"),
    LOW("low"),
    CLOSE("close"),
    VOLUME("volume"),
    VWAP("vwap"),
    TRADES("trades");

    public static final int COUNT = 8;
    public static final int VALUE_BYTES = 8;
    private static final Column[] VALUES = values();

    private final String fieldName;

    Column(final String fieldName)
    {
        this.fieldName = fieldName;
    }

    /** The column name used in CSV headers, JSON and the Arrow schema. */
    public String fieldName()
    {
        return fieldName;
    }

    public static Column byIndex(final int index)
    {
        return VALUES[index];
    }
}

package io.barstore.server.archive;

/** Literals for SQL text that barstore writes itself (paths, labels): never for text a user sent. */
public final class SqlText
{
    private SqlText()
    {
    }

    /** {@code value} as a single-quoted SQL string literal. */
    public static String literal(final String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }
}

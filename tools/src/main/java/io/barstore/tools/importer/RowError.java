package io.barstore.tools.importer;

/** One row skipped by {@code --lenient}: its line (1-based) and what was wrong with it. */
public record RowError(long line, String message)
{
    public String toString()
    {
        return "line " + line + ": " + message;
    }
}

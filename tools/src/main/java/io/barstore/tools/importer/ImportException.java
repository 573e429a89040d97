package io.barstore.tools.importer;

import io.barstore.engine.BarStoreException;

/**
 * A file could not be imported: its message names the file, the line (when there is one), and the rule, as in
 * {@code trades.csv line 17: high 10.5 is below low 11.0}. Nothing was written from the file unless
 * {@link #partiallyWritten()} says otherwise (a store failure part way through the writes).
 */
public final class ImportException extends BarStoreException
{
    private final String file;
    private final long line;
    private final int column;
    private final String rule;
    private boolean partiallyWritten;

    /** A problem with one line; {@code column} is 1-based, 0 when the rule is about the whole line. */
    public ImportException(final String file, final long line, final int column, final String rule)
    {
        super(Category.BAD_INPUT, file + (line > 0 ? " line " + line : "") + ": " + rule);
        this.file = file;
        this.line = line;
        this.column = column;
        this.rule = rule;
    }

    /** A problem with the whole file (empty, not text, no such column, ...). */
    public ImportException(final String file, final String rule)
    {
        this(file, 0, 0, rule);
    }

    ImportException(final Category category, final String file, final String rule, final Throwable cause)
    {
        super(category, file + ": " + rule, cause);
        this.file = file;
        this.line = 0;
        this.column = 0;
        this.rule = rule;
    }

    public String file()
    {
        return file;
    }

    /** 1-based; 0 when the problem is not on one line. */
    public long line()
    {
        return line;
    }

    /** 1-based; 0 when the problem is not in one column. */
    public int column()
    {
        return column;
    }

    public String rule()
    {
        return rule;
    }

    /** True when some batches of the file were written before a store failure stopped the rest. */
    public boolean partiallyWritten()
    {
        return partiallyWritten;
    }

    ImportException markPartiallyWritten()
    {
        partiallyWritten = true;
        return this;
    }
}

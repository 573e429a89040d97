package io.barstore.tools.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where bad rows go. Strict: the first one throws an {@link ImportException} and the file is rejected. Lenient: each is
 * counted and the row skipped; the first {@link #MAX_LISTED} are kept to show.
 */
final class RowErrors
{
    static final int MAX_LISTED = 20;

    private final String file;
    private final boolean strict;
    private final List<RowError> listed = new ArrayList<>();
    private long total;

    RowErrors(final String file, final boolean strict)
    {
        this.file = file;
        this.strict = strict;
    }

    /** Reports a bad row; returns normally only in lenient mode, where the caller skips the row. */
    void add(final long line, final int column, final String rule)
    {
        if (strict)
        {
            throw new ImportException(file, line, column, rule);
        }
        total++;
        if (listed.size() < MAX_LISTED)
        {
            listed.add(new RowError(line, rule));
        }
    }

    long total()
    {
        return total;
    }

    /** In line order (duplicates are found after the rows they follow, so they may be added out of order). */
    List<RowError> listed()
    {
        final List<RowError> sorted = new ArrayList<>(listed);
        sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
        return Collections.unmodifiableList(sorted);
    }
}

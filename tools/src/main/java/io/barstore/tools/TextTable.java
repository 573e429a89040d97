package io.barstore.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: a header, columns padded to their widest cell. Numeric columns are aligned on
 * the decimal point, so {@code 522.827} and {@code 521.3127} line up.
 */
final class TextTable
{
    private final String[] headers;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    /** Headers; a header ending in {@code >} (dropped from the output) marks a numeric, right-aligned column. */
    TextTable(final String... headers)
    {
        this.headers = new String[headers.length];
        this.numeric = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++)
        {
            final boolean right = headers[i].endsWith(">");
            this.numeric[i] = right;
            this.headers[i] = right ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    TextTable row(final String... cells)
    {
        if (cells.length != headers.length)
        {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    int size()
    {
        return rows.size();
    }

    void print(final PrintWriter out, final String indent)
    {
        for (int c = 0; c < headers.length; c++)
        {
            if (numeric[c])
            {
                alignDecimalPoints(c);
            }
        }
        final int[] widths = new int[headers.length];
        for (int c = 0; c < headers.length; c++)
        {
            widths[c] = headers[c].length();
            for (final String[] row : rows)
            {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        printRow(out, indent, headers, widths);
        for (final String[] row : rows)
        {
            printRow(out, indent, row, widths);
        }
    }

    /** Pads the non-empty cells of column {@code c} on the right to the same number of characters after the point. */
    private void alignDecimalPoints(final int c)
    {
        int fraction = 0;
        for (final String[] row : rows)
        {
            fraction = Math.max(fraction, fractionWidth(row[c]));
        }
        for (final String[] row : rows)
        {
            if (!row[c].isEmpty())
            {
                row[c] = row[c] + " ".repeat(fraction - fractionWidth(row[c]));
            }
        }
    }

    private static int fractionWidth(final String cell)
    {
        final int point = cell.indexOf('.');
        return point < 0 ? 0 : cell.length() - point;
    }

    private void printRow(final PrintWriter out, final String indent, final String[] cells, final int[] widths)
    {
        final StringBuilder sb = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++)
        {
            if (c > 0)
            {
                sb.append("  ");
            }
            final String pad = " ".repeat(widths[c] - cells[c].length());
            if (numeric[c])
            {
                sb.append(pad).append(cells[c]);
            }
            else
            {
                sb.append(cells[c]).append(pad);
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}

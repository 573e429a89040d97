package io.barstore.tools.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which column holds what, for one CSV file: from the {@code --*-col} flags (a header name, case and punctuation
 * ignored, or a 1-based number), else from the header by the names the format knows, else by position.
 */
final class ColumnMapping
{
    /** Role ordinal per column. */
    private final byte[] roles;
    private final int[] columnOf = new int[Role.VALUES.length];
    private final List<String> names;

    private ColumnMapping(final int fieldCount, final List<String> names)
    {
        this.roles = new byte[fieldCount];
        this.names = names;
        Arrays.fill(columnOf, -1);
    }

    /**
     * @param header the header's names, or null when the file has none.
     * @throws ImportException naming the missing or doubly-mapped column.
     */
    static ColumnMapping resolve(
        final String file, final CsvPreset preset, final ImportOptions options, final List<String> header,
        final int fieldCount)
    {
        final ColumnMapping mapping = new ColumnMapping(fieldCount, header);
        for (final Role role : preset.roles())
        {
            final int column = mapping.find(file, preset, options, role, header, fieldCount);
            if (column < 0)
            {
                if (preset.trades() ? role.requiredForTrades() : role.requiredForBars())
                {
                    throw new ImportException(file, missing(role, header));
                }
                continue;
            }
            final Role already = Role.VALUES[mapping.roles[column]];
            if (already != Role.NONE)
            {
                throw new ImportException(file, "column " + (column + 1) + mapping.name(column) + " would be both " +
                    already.label() + " and " + role.label() + "; name one of them with " +
                    (role.option() != null ? role.option() : already.option()));
            }
            mapping.roles[column] = (byte)role.ordinal();
            mapping.columnOf[role.ordinal()] = column;
        }
        return mapping;
    }

    private int find(
        final String file, final CsvPreset preset, final ImportOptions options, final Role role,
        final List<String> header, final int fieldCount)
    {
        final String flag = role.option() == null ? null : options.column(role);
        if (flag != null)
        {
            return flagged(file, role, flag, header, fieldCount);
        }
        if (header != null && !preset.positionsOnly())
        {
            for (final String alias : preset.aliases(role))
            {
                for (int i = 0; i < header.size(); i++)
                {
                    if (CsvPreset.normalise(header.get(i)).equals(alias) && roles[i] == 0)
                    {
                        return i;
                    }
                }
            }
            return -1;
        }
        final int position = preset.position(role, fieldCount);
        return position > 0 && position <= fieldCount ? position - 1 : -1;
    }

    private static int flagged(
        final String file, final Role role, final String flag, final List<String> header, final int fieldCount)
    {
        final String value = flag.trim();
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            final int number = value.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(value);
            if (number < 1 || number > fieldCount)
            {
                throw new ImportException(file, role.option() + " " + value + ": the file has " + fieldCount +
                    " columns (numbers start at 1)");
            }
            return number - 1;
        }
        if (header == null)
        {
            throw new ImportException(file, role.option() + " " + value + " names a column, but the file has no " +
                "header; give the column's number (1 is the first)");
        }
        for (int i = 0; i < header.size(); i++)
        {
            if (header.get(i).trim().equalsIgnoreCase(value))
            {
                return i;
            }
        }
        final String wanted = CsvPreset.normalise(value);
        for (int i = 0; i < header.size(); i++)
        {
            if (CsvPreset.normalise(header.get(i)).equals(wanted))
            {
                return i;
            }
        }
        throw new ImportException(file, role.option() + " " + value + ": no such column; the header has " +
            String.join(", ", header));
    }

    private static String missing(final Role role, final List<String> header)
    {
        if (header == null)
        {
            return "no " + role.label() + " column; give its number with " + role.option();
        }
        return "no " + role.label() + " column: the header has " + String.join(", ", header) + "; name it with " +
            role.option() + " (a name or a 1-based number)";
    }

    byte[] roles()
    {
        return roles;
    }

    boolean has(final Role role)
    {
        return columnOf[role.ordinal()] >= 0;
    }

    /** What was used, for the summary: {@code ts=Date open=Open ...}. */
    String describe()
    {
        final List<String> parts = new ArrayList<>();
        for (final Role role : Role.VALUES)
        {
            final int column = columnOf[role.ordinal()];
            if (column >= 0)
            {
                parts.add(role.label().replace(' ', '_') + "=" +
                    (names != null ? names.get(column).trim() : "#" + (column + 1)));
            }
        }
        return String.join(" ", parts);
    }

    private String name(final int column)
    {
        return names == null ? "" : " (" + names.get(column).trim() + ")";
    }
}

package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.barstore.engine.SeriesKey;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The series a query can read, from the plain conditions on {@code bars} in its WHERE clause:
 * {@code symbol = 'AAPL'}, {@code symbol IN ('AAPL', 'MSFT')}, and the same for {@code timeframe} and {@code source},
 * joined by AND at the top of the clause. The view is then made of those series only, which spares the other series'
 * files (a one-symbol query over a large archive binds a handful of files, not thousands) and live partitions.
 * <p>
 * Sound only because it is taken from the one SELECT whose FROM is {@code bars} itself, in a statement that reads
 * {@code bars} once: a row the WHERE clause keeps must satisfy every top-level conjunct, so it belongs to a series the
 * filter admits. Anything less plain (OR, functions, casts, comparisons other than = and IN) leaves that column open.
 */
final class SeriesFilter
{
    static final SeriesFilter ALL = new SeriesFilter(null, null, null);

    private final Set<String> symbols;
    private final Set<String> timeframes;
    private final Set<String> sources;

    private SeriesFilter(final Set<String> symbols, final Set<String> timeframes, final Set<String> sources)
    {
        this.symbols = symbols;
        this.timeframes = timeframes;
        this.sources = sources;
    }

    boolean admits(final SeriesKey key)
    {
        return (symbols == null || symbols.contains(key.symbol())) &&
            (timeframes == null || timeframes.contains(key.timeframe().label())) &&
            (sources == null || sources.contains(key.source()));
    }

    /** The filter of the statement's one scan of {@code bars}; {@link #ALL} when there is none to take. */
    static SeriesFilter of(final JsonNode statement)
    {
        final JsonNode select = barsSelect(statement);
        if (select == null)
        {
            return ALL;
        }
        final String alias = select.path("from_table").path("alias").asText("");
        final Builder builder = new Builder(alias.isEmpty() ? BarsView.VIEW : alias.toLowerCase(Locale.ROOT));
        builder.conjunct(select.path("where_clause"));
        return new SeriesFilter(builder.symbols, builder.timeframes, builder.sources);
    }

    /** The SELECT node that reads bars directly: {@code FROM bars [alias]}, no join. */
    private static JsonNode barsSelect(final JsonNode node)
    {
        if (node.isObject() && "SELECT_NODE".equals(node.path("type").asText()))
        {
            final JsonNode from = node.path("from_table");
            if ("BASE_TABLE".equals(from.path("type").asText()) &&
                BarsView.VIEW.equalsIgnoreCase(from.path("table_name").asText()) &&
                from.path("schema_name").asText("").isEmpty())
            {
                return node;
            }
        }
        for (final JsonNode child : node)
        {
            final JsonNode found = barsSelect(child);
            if (found != null)
            {
                return found;
            }
        }
        return null;
    }

    private static final class Builder
    {
        private final String table;
        Set<String> symbols;
        Set<String> timeframes;
        Set<String> sources;

        Builder(final String table)
        {
            this.table = table;
        }

        void conjunct(final JsonNode condition)
        {
            if (condition == null || condition.isNull() || condition.isMissingNode())
            {
                return;
            }
            final String type = condition.path("type").asText();
            if ("CONJUNCTION_AND".equals(type))
            {
                for (final JsonNode child : condition.path("children"))
                {
                    conjunct(child);
                }
            }
            else if ("COMPARE_EQUAL".equals(type))
            {
                final String column = column(condition.path("left"));
                final String value = string(condition.path("right"));
                if (column != null && value != null)
                {
                    restrict(column, Set.of(value));
                }
                final String reversedColumn = column(condition.path("right"));
                final String reversedValue = string(condition.path("left"));
                if (reversedColumn != null && reversedValue != null)
                {
                    restrict(reversedColumn, Set.of(reversedValue));
                }
            }
            else if ("COMPARE_IN".equals(type))
            {
                final JsonNode children = condition.path("children");
                final String column = children.size() > 1 ? column(children.get(0)) : null;
                if (column == null)
                {
                    return;
                }
                final Set<String> values = new HashSet<>();
                for (int i = 1; i < children.size(); i++)
                {
                    final String value = string(children.get(i));
                    if (value == null)
                    {
                        return; // not all constants: leave the column open
                    }
                    values.add(value);
                }
                restrict(column, values);
            }
        }

        private void restrict(final String column, final Set<String> values)
        {
            switch (column)
            {
                case "symbol" -> symbols = intersect(symbols, values);
                case "timeframe" -> timeframes = intersect(timeframes, values);
                case "source" -> sources = intersect(sources, values);
                default ->
                {
                    // not a series column
                }
            }
        }

        private static Set<String> intersect(final Set<String> current, final Set<String> values)
        {
            if (current == null)
            {
                return new HashSet<>(values);
            }
            current.retainAll(values);
            return current;
        }

        /** {@code symbol}, {@code bars.symbol} or {@code alias.symbol}, lower case; null for anything else. */
        private String column(final JsonNode node)
        {
            if (!"COLUMN_REF".equals(node.path("class").asText()))
            {
                return null;
            }
            final JsonNode names = node.path("column_names");
            if (names.size() == 1)
            {
                return names.get(0).asText().toLowerCase(Locale.ROOT);
            }
            if (names.size() == 2 && names.get(0).asText().toLowerCase(Locale.ROOT).equals(table))
            {
                return names.get(1).asText().toLowerCase(Locale.ROOT);
            }
            return null;
        }

        /** A string literal's text; null for anything else. */
        private static String string(final JsonNode node)
        {
            if ("CONSTANT".equals(node.path("class").asText()) &&
                "STRING".equals(node.path("literal").path("kind").asText()))
            {
                return node.path("literal").path("text").asText();
            }
            return null;
        }
    }
}

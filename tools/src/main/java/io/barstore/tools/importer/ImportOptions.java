package io.barstore.tools.importer;

import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How to read the files of one {@code barstore import}; built once, checked once, shared by every file. */
public final class ImportOptions
{
    private final List<String> symbols;
    private final Timeframe timeframe;
    private final String source;
    private final ImportFormat format;
    private final Map<Role, String> columns;
    private final Character delimiter;
    private final Boolean header;
    private final TsUnit tsUnit;
    private final ZoneId zone;
    private final boolean strict;
    private final boolean dryRun;

    private ImportOptions(final Builder b)
    {
        this.symbols = List.copyOf(b.symbols);
        this.timeframe = b.timeframe;
        this.source = b.source;
        this.format = b.format;
        this.columns = new EnumMap<>(b.columns);
        this.delimiter = b.delimiter;
        this.header = b.header;
        this.tsUnit = b.tsUnit;
        this.zone = b.zone;
        this.strict = b.strict;
        this.dryRun = b.dryRun;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The symbols of {@code --symbol}: a single-symbol file's symbol, or the ones to keep from a multi-symbol file. */
    public List<String> symbols()
    {
        return symbols;
    }

    /** Null when not given: the format or file name must imply it. */
    public Timeframe timeframe()
    {
        return timeframe;
    }

    public String source()
    {
        return source;
    }

    public ImportFormat format()
    {
        return format;
    }

    /** The column flag for {@code role}: a header name or a 1-based number; null when not given. */
    String column(final Role role)
    {
        return columns.get(role);
    }

    /** Null: detect from the first line. */
    public Character delimiter()
    {
        return delimiter;
    }

    /** Null: detect; true: the first line is a header; false: it is data. */
    public Boolean header()
    {
        return header;
    }

    public TsUnit tsUnit()
    {
        return tsUnit;
    }

    /** Null when not given: UTC, or the format's exchange zone for daily bars. */
    public ZoneId zone()
    {
        return zone;
    }

    /** True: a bad row rejects the whole file. False ({@code --lenient}): bad rows are skipped and listed. */
    public boolean strict()
    {
        return strict;
    }

    /** True: read and check every file, write nothing. */
    public boolean dryRun()
    {
        return dryRun;
    }

    public static final class Builder
    {
        private final List<String> symbols = new ArrayList<>();
        private Timeframe timeframe;
        private String source = SeriesKey.DEFAULT_SOURCE;
        private ImportFormat format = ImportFormat.AUTO;
        private final Map<Role, String> columns = new EnumMap<>(Role.class);
        private Character delimiter;
        private Boolean header;
        private TsUnit tsUnit = TsUnit.AUTO;
        private ZoneId zone;
        private boolean strict = true;
        private boolean dryRun;

        private Builder()
        {
        }

        /** Comma-separated symbols; each is checked against the symbol rules. */
        public Builder symbols(final String commaSeparated)
        {
            if (commaSeparated != null)
            {
                final Set<String> unique = new LinkedHashSet<>(symbols);
                for (final String s : commaSeparated.split(","))
                {
                    final String symbol = s.trim();
                    if (!symbol.isEmpty())
                    {
                        SeriesKey.validateSymbol(symbol);
                        unique.add(symbol);
                    }
                }
                symbols.clear();
                symbols.addAll(unique);
            }
            return this;
        }

        public Builder timeframe(final Timeframe timeframe)
        {
            this.timeframe = timeframe;
            return this;
        }

        public Builder source(final String source)
        {
            SeriesKey.validateSource(source);
            this.source = source;
            return this;
        }

        public Builder format(final ImportFormat format)
        {
            this.format = format;
            return this;
        }

        public Builder tsColumn(final String column)
        {
            return column(Role.TS, column);
        }

        public Builder openColumn(final String column)
        {
            return column(Role.OPEN, column);
        }

        public Builder highColumn(final String column)
        {
            return column(Role.HIGH, column);
        }

        public Builder lowColumn(final String column)
        {
            return column(Role.LOW, column);
        }

        public Builder closeColumn(final String column)
        {
            return column(Role.CLOSE, column);
        }

        public Builder volumeColumn(final String column)
        {
            return column(Role.VOLUME, column);
        }

        public Builder vwapColumn(final String column)
        {
            return column(Role.VWAP, column);
        }

        public Builder tradesColumn(final String column)
        {
            return column(Role.TRADES, column);
        }

        public Builder symbolColumn(final String column)
        {
            return column(Role.SYMBOL, column);
        }

        public Builder priceColumn(final String column)
        {
            return column(Role.PRICE, column);
        }

        public Builder sizeColumn(final String column)
        {
            return column(Role.SIZE, column);
        }

        private Builder column(final Role role, final String column)
        {
            if (column != null && !column.isBlank())
            {
                columns.put(role, column);
            }
            return this;
        }

        public Builder delimiter(final Character delimiter)
        {
            this.delimiter = delimiter;
            return this;
        }

        public Builder header(final Boolean header)
        {
            this.header = header;
            return this;
        }

        public Builder tsUnit(final TsUnit tsUnit)
        {
            this.tsUnit = tsUnit;
            return this;
        }

        public Builder zone(final ZoneId zone)
        {
            this.zone = zone;
            return this;
        }

        public Builder strict(final boolean strict)
        {
            this.strict = strict;
            return this;
        }

        public Builder dryRun(final boolean dryRun)
        {
            this.dryRun = dryRun;
            return this;
        }

        public ImportOptions build()
        {
            return new ImportOptions(this);
        }
    }
}

package io.barstore.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.CsvBarWriter;
import io.barstore.server.format.IsoTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "symbols", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Lists the symbols stored, one per line, sorted.",
        "",
        "With --series, each symbol's series too: timeframes, sources, bars, first and last bar open time (table: one "
            + "line per symbol; csv: one row per series; json: as GET /v1/series/{symbol}). Without it, csv is a "
            + "'symbol' column and json is {\"symbols\": [...]}, as GET /v1/symbols."})
final class SymbolsCommand implements Callable<Integer>
{
    enum OutputFormat
    {
        table, csv, json
    }

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = {"--series", "-l"}, description = "Show each symbol's series (timeframes and sources).")
    boolean series;

    @Option(names = {"--timeframe", "-t"}, paramLabel = "TF",
        description = "Only symbols with a series of this timeframe.")
    String timeframe;

    @Option(names = "--source", paramLabel = "NAME", description = "Only symbols with a series of this source.")
    String source;

    @Option(names = {"--format", "-f"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Timeframe tf = timeframe == null ? null : Timeframe.parse(timeframe);
        if (source != null)
        {
            SeriesKey.validateSource(source);
        }
        try (BarStore store = Stores.openForReading(common.dataDir()))
        {
            final Map<String, List<SeriesStats>> bySymbol = new LinkedHashMap<>();
            for (final SeriesKey key : Stores.sortedKeys(store))
            {
                if ((tf == null || key.timeframe() == tf) && (source == null || key.source().equals(source)))
                {
                    final SeriesStats stats = store.stats(key);
                    if (stats != null)
                    {
                        bySymbol.computeIfAbsent(key.symbol(), s -> new ArrayList<>()).add(stats);
                    }
                }
            }
            switch (format)
            {
                case csv -> csv(bySymbol, out);
                case json -> json(bySymbol, out);
                default -> table(bySymbol, out);
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private void table(final Map<String, List<SeriesStats>> bySymbol, final PrintWriter out)
    {
        if (!series)
        {
            bySymbol.keySet().forEach(out::println);
            return;
        }
        final TextTable table = new TextTable(
            "symbol", "timeframes", "sources", "series>", "bars>", "first ts", "last ts");
        for (final Map.Entry<String, List<SeriesStats>> e : bySymbol.entrySet())
        {
            final TreeSet<Timeframe> timeframes = new TreeSet<>();
            final TreeSet<String> sources = new TreeSet<>();
            long bars = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (final SeriesStats s : e.getValue())
            {
                timeframes.add(s.key().timeframe());
                sources.add(s.key().source());
                bars += s.barCount();
                first = Math.min(first, s.firstTs());
                last = Math.max(last, s.lastTs());
            }
            final List<String> labels = timeframes.stream().map(Timeframe::label).toList();
            table.row(e.getKey(), String.join(" ", labels), String.join(" ", sources),
                Integer.toString(e.getValue().size()), Format.count(bars), Format.ts(first), Format.ts(last));
        }
        if (table.size() > 0)
        {
            table.print(out, "");
        }
    }

    private void csv(final Map<String, List<SeriesStats>> bySymbol, final Writer out) throws IOException
    {
        if (!series)
        {
            out.write("symbol\n");
            for (final String symbol : bySymbol.keySet())
            {
                out.write(CsvBarWriter.spreadsheetSafe(symbol) + "\n");
            }
            return;
        }
        out.write("symbol,timeframe,source,first,last,bars,bytes,files\n");
        for (final List<SeriesStats> all : bySymbol.values())
        {
            for (final SeriesStats s : all)
            {
                out.write(CsvBarWriter.spreadsheetSafe(s.key().symbol()) + "," + s.key().timeframe().label() + "," +
                    CsvBarWriter.spreadsheetSafe(s.key().source()) + "," + IsoTime.toString(s.firstTs()) + "," +
                    IsoTime.toString(s.lastTs()) + "," + s.barCount() + "," + s.bytesOnDisk() + "," + s.files() + "\n");
            }
        }
    }

    /** The shapes of the HTTP API: {@code GET /v1/symbols}, and an array of {@code GET /v1/series/{symbol}} bodies. */
    private void json(final Map<String, List<SeriesStats>> bySymbol, final Writer out) throws IOException
    {
        try (JsonGenerator json = new JsonFactory().createGenerator(out))
        {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeArrayFieldStart("symbols");
            for (final Map.Entry<String, List<SeriesStats>> e : bySymbol.entrySet())
            {
                if (!series)
                {
                    json.writeString(e.getKey());
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("symbol", e.getKey());
                json.writeArrayFieldStart("series");
                for (final SeriesStats s : e.getValue())
                {
                    json.writeStartObject();
                    json.writeStringField("symbol", s.key().symbol());
                    json.writeStringField("timeframe", s.key().timeframe().label());
                    json.writeStringField("source", s.key().source());
                    json.writeStringField("first", IsoTime.toString(s.firstTs()));
                    json.writeStringField("last", IsoTime.toString(s.lastTs()));
                    json.writeNumberField("bars", s.barCount());
                    json.writeNumberField("bytes", s.bytesOnDisk());
                    json.writeNumberField("files", s.files());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
    }
}

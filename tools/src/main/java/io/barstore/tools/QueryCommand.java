package io.barstore.tools;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.server.format.BarWriter;
import io.barstore.server.format.CsvBarWriter;
import io.barstore.server.format.JsonBarWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Prints the bars of one series, oldest first.",
        "",
        "csv and json are the HTTP API's: csv has the header ts,open,high,low,close,volume,vwap,trades with ts in "
            + "ISO-8601 UTC and an unknown vwap as an empty cell; json is {\"symbol\",\"timeframe\",\"source\","
            + "\"bars\":[...]}. Both stream, so they suit any number of bars; table holds them all to align columns.",
        "",
        "Example: barstore query AAPL --timeframe 5m --start 2025-01-02 --limit 10"})
final class QueryCommand implements Callable<Integer>
{
    enum OutputFormat
    {
        table, csv, json
    }

    @Mixin
    CommonOptions common;

    @Mixin
    SeriesOptions series;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SYMBOL", description = "The symbol, e.g. AAPL or BRK.B.")
    String symbol;

    @Option(names = {"--limit", "-n"}, paramLabel = "N",
        description = "Only the newest N bars of the range (the HTTP API's limit).")
    Long limit;

    @Option(names = {"--format", "-f"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    public Integer call() throws IOException
    {
        if (limit != null && limit < 1)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT, "--limit must be at least 1: " + limit);
        }
        final long start = series.startNanos();
        final long end = series.endNanos();
        final PrintWriter out = spec.commandLine().getOut();
        try (BarStore store = Stores.openForReading(common.dataDir()))
        {
            final SeriesKey key = series.resolve(store, symbol);
            final BarCursor cursor = store.newCursor();
            try
            {
                if (!store.range(key, start, end, limit == null ? 0 : limit, cursor))
                {
                    throw new BarStoreException(BarStoreException.Category.NOT_FOUND,
                        "no series " + key + " is stored");
                }
                if (format == OutputFormat.table)
                {
                    final TextTable table = new TextTable(Format.BAR_HEADERS);
                    while (cursor.next())
                    {
                        table.row(Format.barCells(cursor));
                    }
                    table.print(out, "");
                }
                else
                {
                    final OutputStream bytes = new AsciiOutputStream(out);
                    final BarWriter writer = format == OutputFormat.csv ?
                        new CsvBarWriter(bytes) : new JsonBarWriter(bytes);
                    writer.startSeries(key);
                    writer.writeBars(key, cursor);
                    writer.end();
                    if (format == OutputFormat.json)
                    {
                        out.println();
                    }
                }
            }
            finally
            {
                cursor.release();
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }
}

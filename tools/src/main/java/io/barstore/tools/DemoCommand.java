package io.barstore.tools;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreStats;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;
import io.barstore.tools.generate.SyntheticBars;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Makes a data directory with a year of sample bars, shows what is in it, and serves it over HTTP.",
        "",
        "Writes 5-minute bars of AAPL, MSFT, NVDA, SPY and QQQ for the 365 days up to yesterday (UTC): weekdays, "
            + "09:30-16:00 New York time, a seeded random walk. Then shows a range query, the latest bar of each "
            + "series and the store's stats, seals and consolidates the closed days and months, and shows the stats "
            + "again. On a directory that already holds series it generates nothing: it shows them, and seals what has "
            + "closed since.",
        "",
        "Then it serves the directory as 'barstore serve' does (on 127.0.0.1:8080 unless told otherwise) and prints "
            + "three lines to paste into another terminal: curl for JSON, curl for CSV, and Python reading Arrow into "
            + "pandas. Ctrl-C stops the server and closes the store."})
final class DemoCommand implements Callable<Integer>
{
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "SPY", "QQQ");
    static final Timeframe TIMEFRAME = Timeframe.M5;
    static final int DAYS = 365;
    static final long SEED = 20_250_101L;
    static final int QUERY_BARS = 12;
    /** Rough prices, so the sample looks familiar; the walk takes it from there. */
    private static final Map<String, Double> START_PRICES =
        Map.of("AAPL", 190.0, "MSFT", 420.0, "NVDA", 120.0, "SPY", 550.0, "QQQ", 480.0);

    @Mixin
    CommonOptions common;

    @Mixin
    ServeCommand.ServerOptions server;

    @Option(names = "--no-serve", description = "Make and show the data, then exit without serving it.")
    boolean noServe;

    @Spec
    CommandSpec spec;

    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final SeriesKey shown = prepare(out);
        if (noServe)
        {
            return Main.EXIT_OK;
        }
        out.println();
        return ServeCommand.serve(common.dataDir(), server, out, spec.commandLine().getErr(),
            started -> printTryLines(out, started.url(), shown));
    }

    /** Generates the sample when the directory holds no series, shows the data and seals; returns the series shown. */
    private SeriesKey prepare(final PrintWriter out)
    {
        out.println("data: " + common.dataDir());
        try (BarStore store = Stores.open(common.dataDir(), true))
        {
            final int existing = store.seriesKeys().size();
            if (existing == 0)
            {
                generate(store, out);
            }
            else
            {
                out.println("the directory already holds " + existing + " series; nothing generated");
            }
            final BarCursor cursor = store.newCursor();
            try
            {
                out.println();
                showRange(store, cursor, out);
                out.println();
                showLatest(store, cursor, out);
                out.println();
            }
            finally
            {
                cursor.release();
            }

            final StoreStats before = store.totals();
            out.println("store: " + describe(before));
            final long started = System.nanoTime();
            store.maintain(Stores.nowNanos());
            final long took = System.nanoTime() - started;
            final StoreStats after = store.totals();
            out.println("maintain (seal closed days, consolidate closed months, checkpoint) took " +
                Format.duration(took) + ": files " + Format.count(before.files()) + " -> " +
                Format.count(after.files()) + ", bytes " + Format.count(before.bytesOnDisk()) + " -> " +
                Format.count(after.bytesOnDisk()));
            out.println("store: " + describe(after));
            return pickSeries(store);
        }
    }

    /** Three lines to paste into another terminal: JSON and CSV with curl, Arrow into pandas with Python. */
    static void printTryLines(final PrintWriter out, final String url, final SeriesKey shown)
    {
        final SeriesKey key = shown != null ? shown : SeriesKey.of(SYMBOLS.get(0), TIMEFRAME);
        final String query = "timeframe=" + key.timeframe().label() +
            (key.source().equals(SeriesKey.DEFAULT_SOURCE) ? "" : "&source=" + encode(key.source()));
        final String bars = url + "/v1/bars/" + encode(key.symbol()) + "?" + query;
        final String symbols = key.symbol().equals(SYMBOLS.get(0)) && key.timeframe() == TIMEFRAME ?
            String.join(",", SYMBOLS) : encode(key.symbol());
        out.println();
        out.println("Try it from another terminal:");
        out.println("curl '" + bars + "&limit=3'");
        out.println("curl '" + bars + "&limit=20&format=csv'");
        out.println("python3 -c \"import pyarrow as pa, urllib.request; print(pa.ipc.open_stream(urllib.request." +
            "urlopen('" + url + "/v1/bars?symbols=" + symbols + "&" + query + "&format=arrow')).read_all()." +
            "to_pandas())\"");
    }

    private static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void generate(final BarStore store, final PrintWriter out)
    {
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        final LocalDate first = today.minusDays(DAYS);
        final LocalDate last = today.minusDays(1);
        out.println("generating " + DAYS + " days (" + first + " to " + last + ") of " + TIMEFRAME.label() +
            " bars for " + String.join(" ", SYMBOLS) + ", weekdays " + SyntheticBars.SESSION_OPEN + "-" +
            SyntheticBars.SESSION_CLOSE + " " + SyntheticBars.SESSION_ZONE + ", seed " + SEED + " ...");
        out.flush();

        final List<SyntheticBars> generators = new ArrayList<>();
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String symbol : SYMBOLS)
        {
            generators.add(new SyntheticBars(symbol, TIMEFRAME, SEED, START_PRICES.getOrDefault(symbol, Double.NaN)));
            keys.add(SeriesKey.of(symbol, TIMEFRAME));
        }
        final BarBatch batch = new BarBatch(128);
        final WriteResult result = new WriteResult();
        long bars = 0;
        final long started = System.nanoTime();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1))
        {
            for (int i = 0; i < generators.size(); i++)
            {
                batch.clear();
                if (generators.get(i).appendSession(day, batch) > 0)
                {
                    store.write(keys.get(i), batch, result);
                    bars += batch.size();
                }
            }
        }
        final long took = System.nanoTime() - started;
        out.println("wrote " + Format.count(bars) + " bars in " + Format.duration(took) + " (" +
            Format.count(took > 0 ? (long)(bars * 1e9 / took) : bars) + " bars/s)");
    }

    /** The last bars of the newest session of AAPL (or, in a directory of other data, of the first series). */
    private static void showRange(final BarStore store, final BarCursor cursor, final PrintWriter out)
    {
        final SeriesKey key = pickSeries(store);
        final SeriesStats stats = key == null ? null : store.stats(key);
        if (stats == null || stats.barCount() == 0)
        {
            out.println("no bars to show");
            return;
        }
        final long day = Timeframe.D1.floor(stats.lastTs());
        out.println(key.symbol() + " " + key.timeframe().label() + ": the last " + QUERY_BARS + " bars of " +
            Format.ts(day).substring(0, 10) + " (range [" + Format.ts(day) + ", " + Format.ts(day + Timeframe.D1.nanos()) +
            ") limit " + QUERY_BARS + ")");
        final TextTable table = new TextTable(Format.BAR_HEADERS);
        if (store.range(key, day, day + Timeframe.D1.nanos(), QUERY_BARS, cursor))
        {
            while (cursor.next())
            {
                table.row(Format.barCells(cursor));
            }
        }
        table.print(out, "  ");
    }

    private static void showLatest(final BarStore store, final BarCursor cursor, final PrintWriter out)
    {
        out.println("the latest bar of each series");
        final TextTable table = new TextTable(
            "symbol", "tf", "source", "ts", "open>", "high>", "low>", "close>", "volume>", "vwap>", "trades>");
        for (final SeriesKey key : Stores.sortedKeys(store))
        {
            if (store.latest(key, cursor) && cursor.next())
            {
                table.row(key.symbol(), key.timeframe().label(), key.source(), Format.ts(cursor.ts()),
                    Format.price(cursor.open()), Format.price(cursor.high()), Format.price(cursor.low()),
                    Format.price(cursor.close()), Format.quantity(cursor.volume()), Format.price(cursor.vwap()),
                    Format.trades(cursor.trades()));
            }
        }
        table.print(out, "  ");
    }

    private static SeriesKey pickSeries(final BarStore store)
    {
        final SeriesKey demo = SeriesKey.of(SYMBOLS.get(0), TIMEFRAME);
        final List<SeriesKey> keys = Stores.sortedKeys(store);
        if (keys.contains(demo))
        {
            return demo;
        }
        return keys.isEmpty() ? null : keys.get(0);
    }

    private static String describe(final StoreStats s)
    {
        return s.series() + " series, " + Format.count(s.bars()) + " bars, " + Format.count(s.bytesOnDisk()) +
            " bytes (" + Format.bytes(s.bytesOnDisk()) + "), " + Format.count(s.files()) + " files";
    }
}

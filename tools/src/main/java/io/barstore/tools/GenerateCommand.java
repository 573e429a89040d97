package io.barstore.tools;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes seeded synthetic bars: a random walk with volatility clustering (GARCH), valid OHLC, volume, vwap and "
            + "trade counts.",
        "",
        "US-equity sessions by default: weekdays 09:30-16:00 America/New_York (so bars move by an hour in UTC across "
            + "daylight saving; holidays are not modelled). With --crypto, every day around the clock (UTC). The same "
            + "seed, symbols, timeframe and days give the same bars, so running it again replaces them with "
            + "themselves. Closed days are then sealed and consolidated, as the server does in the background.",
        "",
        "Example: barstore generate --symbols 100 --days 30 --timeframe 1m"})
final class GenerateCommand implements Callable<Integer>
{
    static final long SEED_DEFAULT = 42;
    /** Rows per write: a batch the journal takes at once, spanning several days of one series. */
    private static final int BATCH_ROWS = 16_384;
    private static final int MAX_GENERATED_SYMBOLS = 100_000;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--symbols", paramLabel = "N|LIST", required = true,
        description = "How many symbols (SYM001, SYM002, ...) or which: a comma-separated list such as AAPL,MSFT.")
    String symbols;

    @Option(names = "--days", paramLabel = "D", required = true,
        description = "Calendar days ending with --end; weekends have no US-equity session.")
    int days;

    @Option(names = {"--timeframe", "-t"}, paramLabel = "TF", required = true,
        description = "Bar interval: 1s 5s 10s 15s 30s 1m 5m 15m 30m 1h 2h 4h 1d (or 5Min, 1Hour, 1Day, ...).")
    String timeframe;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + SEED_DEFAULT,
        description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--crypto", description = "Trade every day around the clock (UTC), as crypto markets do.")
    boolean crypto;

    @Option(names = "--end", paramLabel = "DATE",
        description = "Last day generated, yyyy-MM-dd (default: yesterday, UTC).")
    String end;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = SeriesKey.DEFAULT_SOURCE,
        description = "Source the series are written under (default: ${DEFAULT-VALUE}).")
    String source;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Timeframe tf = Timeframe.parse(timeframe);
        if (tf == Timeframe.W1)
        {
            throw badInput("weekly bars are not generated; generate 1d and aggregate, or use 1s to 1d");
        }
        if (days < 1)
        {
            throw badInput("--days must be at least 1: " + days);
        }
        final List<String> names = symbols(symbols);
        final LocalDate last = lastDay(end);
        final LocalDate first = last.minusDays(days - 1L);
        final List<SeriesKey> keys = new ArrayList<>(names.size());
        for (final String symbol : names)
        {
            keys.add(SeriesKey.of(symbol, tf, source)); // BAD_INPUT naming a bad character or source
        }
        final SyntheticBars.Market market = crypto ? SyntheticBars.Market.CRYPTO : SyntheticBars.Market.US_EQUITY;

        out.println("generating " + tf.label() + " bars of " + describe(names) + " (source " + source + ") for " +
            days + " days, " + first + " to " + last + ", " + (crypto ? "around the clock (UTC)" :
            "weekdays " + SyntheticBars.SESSION_OPEN + "-" + SyntheticBars.SESSION_CLOSE + " " +
            SyntheticBars.SESSION_ZONE) + ", seed " + seed + " ...");
        out.flush();

        try (BarStore store = Stores.open(common.dataDir(), true))
        {
            final BarBatch batch = new BarBatch(BATCH_ROWS + 86_400);
            final WriteResult result = new WriteResult();
            long appended = 0;
            long replaced = 0;
            long upserted = 0;
            final long started = System.nanoTime();
            for (final SeriesKey key : keys)
            {
                final SyntheticBars bars = new SyntheticBars(key.symbol(), tf, seed, Double.NaN, market);
                batch.clear();
                for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1))
                {
                    bars.appendSession(day, batch);
                    if (batch.size() >= BATCH_ROWS || day.equals(last))
                    {
                        if (batch.size() > 0)
                        {
                            store.write(key, batch, result);
                            appended += result.appended();
                            replaced += result.replaced();
                            upserted += result.upserted();
                        }
                        batch.clear();
                    }
                }
            }
            final long took = System.nanoTime() - started;
            final long written = appended + replaced + upserted;
            out.println("wrote " + Format.count(written) + " bars to " + keys.size() + " series in " +
                Format.duration(took) + " (" + Format.count(took > 0 ? (long)(written * 1e9 / took) : written) +
                " bars/s): " + Format.count(appended) + " appended, " + Format.count(replaced) + " replaced, " +
                Format.count(upserted) + " upserted");

            final StoreStats before = store.totals();
            final long sealStarted = System.nanoTime();
            store.maintain(Stores.nowNanos());
            final StoreStats after = store.totals();
            out.println("sealed and consolidated the closed days in " +
                Format.duration(System.nanoTime() - sealStarted) +
                ": files " + Format.count(before.files()) + " -> " + Format.count(after.files()) + "; store: " +
                after.series() + " series, " + Format.count(after.bars()) + " bars, " +
                Format.bytes(after.bytesOnDisk()) + " on disk");
        }
        return Main.EXIT_OK;
    }

    /** {@code 3} gives SYM001 SYM002 SYM003; {@code AAPL,MSFT} gives those, in order, duplicates dropped. */
    static List<String> symbols(final String spec)
    {
        final String trimmed = spec.trim();
        if (trimmed.matches("\\d+"))
        {
            final long n;
            try
            {
                n = Long.parseLong(trimmed);
            }
            catch (final NumberFormatException ex)
            {
                throw badInput("--symbols: too many: " + trimmed);
            }
            if (n < 1 || n > MAX_GENERATED_SYMBOLS)
            {
                throw badInput("--symbols must be 1 to " + MAX_GENERATED_SYMBOLS + ", or a list: " + trimmed);
            }
            final int width = Math.max(3, Long.toString(n).length());
            final List<String> names = new ArrayList<>((int)n);
            for (int i = 1; i <= n; i++)
            {
                names.add(String.format(Locale.ROOT, "SYM%0" + width + "d", i));
            }
            return names;
        }
        final LinkedHashSet<String> names = new LinkedHashSet<>();
        for (final String part : trimmed.split(","))
        {
            final String symbol = part.trim();
            if (!symbol.isEmpty())
            {
                SeriesKey.validateSymbol(symbol);
                names.add(symbol);
            }
        }
        if (names.isEmpty())
        {
            throw badInput("--symbols: give a count or a comma-separated list of symbols");
        }
        return new ArrayList<>(names);
    }

    private static LocalDate lastDay(final String end)
    {
        if (end == null)
        {
            return LocalDate.now(ZoneOffset.UTC).minusDays(1);
        }
        try
        {
            return LocalDate.parse(end.trim());
        }
        catch (final DateTimeParseException ex)
        {
            throw badInput("--end must be a date such as 2025-01-31: " + end);
        }
    }

    private static String describe(final List<String> names)
    {
        if (names.size() <= 6)
        {
            return String.join(" ", names);
        }
        return names.size() + " symbols (" + names.get(0) + " ... " + names.get(names.size() - 1) + ")";
    }

    private static BarStoreException badInput(final String message)
    {
        return new BarStoreException(BarStoreException.Category.BAD_INPUT, message);
    }
}

package io.barstore.server.http;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreStats;
import io.barstore.server.format.IsoTime;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code GET /v1/symbols}, {@code GET /v1/series/{symbol}} and {@code GET /v1/stats}: what the store holds. */
final class Catalogue
{
    private final BarStore store;

    /** One series: its key, first and last bar open time (ISO-8601 UTC), bars, bytes and files on disk. */
    record SeriesEntry(
        String symbol, String timeframe, String source, String first, String last, long bars, long bytes, int files)
    {
        static SeriesEntry of(final SeriesStats s)
        {
            return new SeriesEntry(s.key().symbol(), s.key().timeframe().label(), s.key().source(),
                IsoTime.toString(s.firstTs()), IsoTime.toString(s.lastTs()), s.barCount(), s.bytesOnDisk(), s.files());
        }
    }

    /** The series of one symbol. */
    record SymbolEntry(String symbol, List<SeriesEntry> series)
    {
    }

    /** The store's totals: series, bars, bytes and files on disk, files mapped now and at most since open. */
    record Totals(int series, long bars, long bytes, long files, int mappedFiles, int peakMappedFiles)
    {
    }

    /** The body of {@code GET /v1/stats}. */
    record StatsEntry(Totals totals, List<SeriesEntry> series)
    {
    }

    Catalogue(final BarStore store)
    {
        this.store = store;
    }

    /** {@code {"symbols": ["AAPL", "MSFT"]}}: every symbol with a series, sorted. */
    void symbols(final Context ctx, final QueryParams query)
    {
        final TreeSet<String> symbols = new TreeSet<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            symbols.add(key.symbol());
        }
        ctx.json(Map.of("symbols", symbols));
    }

    /** {@code {"symbol": "AAPL", "series": [...]}}: each timeframe and source of a symbol; 404 when there is none. */
    void series(final Context ctx, final QueryParams query)
    {
        final String symbol = ctx.pathParam("symbol");
        SeriesKey.validateSymbol(symbol);
        final List<SeriesEntry> series = new ArrayList<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            final SeriesStats stats = key.symbol().equals(symbol) ? store.stats(key) : null;
            if (stats != null)
            {
                series.add(SeriesEntry.of(stats));
            }
        }
        if (series.isEmpty())
        {
            throw ApiException.notFound("no series of symbol " + symbol + "; GET /v1/symbols lists what is stored",
                ApiException.facts("symbol", symbol));
        }
        ctx.json(new SymbolEntry(symbol, series));
    }

    /** {@code {"totals": {...}, "series": [...]}}: the store's totals and every series. */
    void stats(final Context ctx, final QueryParams query)
    {
        final List<SeriesEntry> series = new ArrayList<>();
        for (final SeriesKey key : store.seriesKeys())
        {
            final SeriesStats stats = store.stats(key);
            if (stats != null)
            {
                series.add(SeriesEntry.of(stats));
            }
        }
        final StoreStats t = store.totals();
        ctx.json(new StatsEntry(new Totals(t.series(), t.bars(), t.bytesOnDisk(), t.files(), t.mappedNow(),
            t.peakMapped()), series));
    }
}

package io.barstore.tools.importer;

import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small input files the importer tests write themselves, in each vendor's layout, from bars whose values round-trip
 * through text exactly (multiples of 1/8), and reading a store back to compare.
 */
public final class Fixtures
{
    public static final long MINUTE = 60_000_000_000L;
    public static final long DAY = 86_400_000_000_000L;

    private Fixtures()
    {
    }

    /** One bar; {@code vwap} NaN and {@code trades} -1 when unknown, as in the store. */
    public record Bar(long ts, double open, double high, double low, double close, double volume, double vwap,
        long trades)
    {
        public Bar withTs(final long newTs)
        {
            return new Bar(newTs, open, high, low, close, volume, vwap, trades);
        }
    }

    public static long nanos(final String isoInstantOrDate)
    {
        final Instant i = isoInstantOrDate.length() == 10 ?
            LocalDate.parse(isoInstantOrDate).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(isoInstantOrDate);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** {@code count} valid bars from {@code start} every {@code step} ns; {@code seed} shifts the prices. */
    public static List<Bar> bars(final long start, final long step, final int count, final int seed)
    {
        final List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final double open = 100 + seed * 10 + i * 0.25;
            final double close = open + (i % 2 == 0 ? 0.5 : -0.25);
            final double high = Math.max(open, close) + 0.25;
            final double low = Math.min(open, close) - 0.5;
            bars.add(new Bar(start + i * step, open, high, low, close, 1000 + 10 * i, (high + low) / 2, 5 + i));
        }
        return bars;
    }

    public static List<Bar> minuteBars(final String start, final int count)
    {
        return bars(nanos(start), MINUTE, count, 0);
    }

    static String iso(final long nanos)
    {
        return CivilTime.iso(nanos);
    }

    static String date(final long nanos)
    {
        return LocalDate.ofEpochDay(Math.floorDiv(nanos, DAY)).toString();
    }

    static String num(final double value)
    {
        return Double.isNaN(value) ? "" : CivilTime.number(value);
    }

    /** {@code ts,open,high,low,close,volume,vwap,trades} with ISO-8601 ts. */
    public static String csv(final List<Bar> bars)
    {
        return csv(bars, b -> iso(b.ts()));
    }

    /** The generic layout with {@code ts} written by {@code ts}. */
    public static String csv(final List<Bar> bars, final Function<Bar, String> ts)
    {
        final StringBuilder sb = new StringBuilder("ts,open,high,low,close,volume,vwap,trades\n");
        for (final Bar b : bars)
        {
            sb.append(String.join(",", ts.apply(b), num(b.open()), num(b.high()), num(b.low()), num(b.close()),
                num(b.volume()), num(b.vwap()), b.trades() < 0 ? "" : Long.toString(b.trades()))).append('\n');
        }
        return sb.toString();
    }

    /** Polygon flat-file aggregates: {@code ticker,volume,open,close,high,low,window_start,transactions}, ns. */
    public static String polygon(final Map<String, List<Bar>> bySymbol)
    {
        final StringBuilder sb = new StringBuilder("ticker,volume,open,close,high,low,window_start,transactions\n");
        bySymbol.forEach((symbol, bars) ->
        {
            for (final Bar b : bars)
            {
                sb.append(String.join(",", symbol, num(b.volume()), num(b.open()), num(b.close()), num(b.high()),
                    num(b.low()), Long.toString(b.ts()), Long.toString(b.trades()))).append('\n');
            }
        });
        return sb.toString();
    }

    /** Alpaca's multi-symbol bars JSON on one line, as the API sends it. */
    public static String alpaca(final Map<String, List<Bar>> bySymbol)
    {
        final StringBuilder sb = new StringBuilder("{\"bars\":{");
        boolean firstSymbol = true;
        for (final Map.Entry<String, List<Bar>> e : bySymbol.entrySet())
        {
            sb.append(firstSymbol ? "" : ",").append('"').append(e.getKey()).append("\":");
            alpacaArray(sb, e.getValue());
            firstSymbol = false;
        }
        return sb.append("},\"next_page_token\":null}").toString();
    }

    /** Alpaca's single-symbol form, {@code symbol} after the bars as the API sends it. */
    public static String alpacaSingle(final String symbol, final List<Bar> bars)
    {
        final StringBuilder sb = new StringBuilder("{\"bars\":");
        alpacaArray(sb, bars);
        return sb.append(",\"symbol\":\"").append(symbol).append("\",\"next_page_token\":null}").toString();
    }

    private static void alpacaArray(final StringBuilder sb, final List<Bar> bars)
    {
        sb.append('[');
        for (int i = 0; i < bars.size(); i++)
        {
            final Bar b = bars.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"t\":\"").append(iso(b.ts())).append("\",\"o\":")
                .append(num(b.open())).append(",\"h\":").append(num(b.high())).append(",\"l\":").append(num(b.low()))
                .append(",\"c\":").append(num(b.close())).append(",\"v\":").append(num(b.volume()))
                .append(",\"n\":").append(b.trades()).append(",\"vw\":").append(num(b.vwap())).append('}');
        }
        sb.append(']');
    }

    /**
     * Binance klines, no header unless asked: open time (ms, or µs), OHLCV, close time, quote volume (volume x vwap),
     * trades, taker volumes, ignore.
     */
    public static String binance(final List<Bar> bars, final long stepNanos, final boolean micros,
        final boolean header)
    {
        final long unit = micros ? 1_000L : 1_000_000L;
        final StringBuilder sb = new StringBuilder(header ? "open_time,open,high,low,close,volume,close_time," +
            "quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n" : "");
        for (final Bar b : bars)
        {
            sb.append(String.join(",", Long.toString(b.ts() / unit), num(b.open()), num(b.high()), num(b.low()),
                num(b.close()), num(b.volume()), Long.toString((b.ts() + stepNanos) / unit - 1),
                num(b.volume() * b.vwap()), Long.toString(b.trades()), num(b.volume() / 2),
                num(b.volume() * b.vwap() / 2), "0")).append('\n');
        }
        return sb.toString();
    }

    /** Yahoo Finance daily: {@code Date,Open,High,Low,Close,Adj Close,Volume}. */
    public static String yahoo(final List<Bar> bars)
    {
        final StringBuilder sb = new StringBuilder("Date,Open,High,Low,Close,Adj Close,Volume\n");
        for (final Bar b : bars)
        {
            sb.append(String.join(",", date(b.ts()), num(b.open()), num(b.high()), num(b.low()), num(b.close()),
                num(b.close() * 0.5), num(b.volume()))).append('\n');
        }
        return sb.toString();
    }

    public static Path write(final Path file, final String text)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static Path gzip(final Path file, final String text)
    {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static Path zip(final Path file, final String entryName, final String text)
    {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file)))
        {
            out.putNextEntry(new ZipEntry(entryName));
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Every bar of a series, oldest first; empty when the series does not exist. */
    public static List<Bar> read(final BarStore store, final SeriesKey key)
    {
        final List<Bar> bars = new ArrayList<>();
        final BarCursor cursor = store.newCursor();
        try
        {
            if (store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, cursor))
            {
                while (cursor.next())
                {
                    bars.add(new Bar(cursor.ts(), cursor.open(), cursor.high(), cursor.low(), cursor.close(),
                        cursor.volume(), cursor.vwap(), cursor.trades()));
                }
            }
        }
        finally
        {
            cursor.release();
        }
        return bars;
    }

    /** Opens the store in {@code data} just to read {@code key}. */
    public static List<Bar> read(final Path data, final SeriesKey key)
    {
        try (BarStore store = BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build()))
        {
            return read(store, key);
        }
    }

    /** Every series of the store with its bars. */
    public static Map<SeriesKey, List<Bar>> readAll(final Path data)
    {
        final Map<SeriesKey, List<Bar>> all = new java.util.TreeMap<>(java.util.Comparator.comparing(SeriesKey::toString));
        try (BarStore store = BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build()))
        {
            for (final SeriesKey key : store.seriesKeys())
            {
                all.put(key, read(store, key));
            }
        }
        return all;
    }
}

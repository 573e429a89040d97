package io.barstore.tools.importer;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.barstore.tools.importer.Fixtures.Bar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.barstore.tools.importer.Fixtures.DAY;
import static io.barstore.tools.importer.Fixtures.MINUTE;
import static io.barstore.tools.importer.Fixtures.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed input for every importer: truncated lines, wrong column counts, non-numeric fields, NaN, high below low,
 * out-of-order rows, empty files, binary garbage, cut-off gzip. Never an exception out of the importer, never a partial
 * write in strict mode, always the line number when there is a line to name. One real store for the class; every
 * import writes to a source of its own, so a test sees only its own series.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MalformedInputTest
{
    private static final int ROWS = 12;
    private static final int BAD = 5; // the row made bad, 0-based
    private static final AtomicInteger SOURCES = new AtomicInteger();

    @TempDir
    static Path root;
    static BarStore store;

    @BeforeAll
    static void openOneStore()
    {
        store = BarStore.open(StoreConfig.builder(root.resolve("data")).maintenanceIntervalMillis(0).build());
    }

    @AfterAll
    static void closeTheStore()
    {
        store.close();
    }

    /** A format, its fixture, and where its fields are. */
    enum Vendor
    {
        CSV("bars.csv", "ts,open,high,low,close,volume,vwap,trades", 1, 2, 3, 4, Timeframe.M1,
            b -> List.of(Fixtures.iso(b.ts()), n(b.open()), n(b.high()), n(b.low()), n(b.close()), n(b.volume()),
                n(b.vwap()), Long.toString(b.trades())),
            b -> b),
        POLYGON("minute_aggs.csv", "ticker,volume,open,close,high,low,window_start,transactions", 2, 4, 5, 3,
            Timeframe.M1,
            b -> List.of("X", n(b.volume()), n(b.open()), n(b.close()), n(b.high()), n(b.low()), Long.toString(b.ts()),
                Long.toString(b.trades())),
            b -> new Bar(b.ts(), b.open(), b.high(), b.low(), b.close(), b.volume(), Double.NaN, b.trades())),
        BINANCE("XUSDT-1m-2024-01.csv", null, 1, 2, 3, 4, Timeframe.M1,
            b -> Arrays.asList(Fixtures.binance(List.of(b), MINUTE, false, false).strip().split(",")),
            b -> b),
        YAHOO("X.csv", "Date,Open,High,Low,Close,Adj Close,Volume", 1, 2, 3, 4, Timeframe.D1,
            b -> List.of(Fixtures.date(b.ts()), n(b.open()), n(b.high()), n(b.low()), n(b.close()), n(b.close()),
                n(b.volume())),
            b -> new Bar(b.ts(), b.open(), b.high(), b.low(), b.close(), b.volume(), Double.NaN, -1)),
        /** One trade per bar (at its close price, its volume the size): one bar per trade. */
        TRADES("trades.csv", "ts,price,size", 1, 2, -1, 1, Timeframe.M1,
            b -> List.of(Fixtures.iso(b.ts() + 1_000_000), n(b.close()), n(b.volume())),
            b -> new Bar(b.ts(), b.close(), b.close(), b.close(), b.close(), b.volume(), b.close(), 1));

        final String file;
        final String header;
        final int open;
        final int high;
        final int low;
        final int close;
        final Timeframe timeframe;
        final Function<Bar, List<String>> row;
        final Function<Bar, Bar> stored;

        Vendor(final String file, final String header, final int open, final int high, final int low, final int close,
            final Timeframe timeframe, final Function<Bar, List<String>> row, final Function<Bar, Bar> stored)
        {
            this.file = file;
            this.header = header;
            this.open = open;
            this.high = high;
            this.low = low;
            this.close = close;
            this.timeframe = timeframe;
            this.row = row;
            this.stored = stored;
        }

        List<Bar> bars()
        {
            return timeframe == Timeframe.D1 ? Fixtures.bars(nanos("2024-01-02"), DAY, ROWS, 0) :
                Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, ROWS, 0);
        }

        /** The file's lines, the header first when the format has one. */
        List<String> lines(final List<Bar> bars)
        {
            final List<String> lines = new ArrayList<>();
            if (header != null)
            {
                lines.add(header);
            }
            for (final Bar b : bars)
            {
                lines.add(String.join(",", row.apply(b)));
            }
            return lines;
        }

        /** The 1-based line of data row {@code row}. */
        long line(final int row)
        {
            return row + (header != null ? 2 : 1);
        }

        List<Bar> expected(final List<Bar> bars)
        {
            return bars.stream().map(stored).toList();
        }

        private static String n(final double v)
        {
            return Fixtures.num(v);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aTruncatedLineIsNamedByItsLine(final Vendor vendor)
    {
        badRow(vendor, fields -> List.of(String.join(",", fields).substring(0, String.join(",", fields).length() / 3)),
            " were expected");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aLineWithAnExtraColumnIsNamedByItsLine(final Vendor vendor)
    {
        badRow(vendor, fields ->
        {
            final List<String> more = new ArrayList<>(fields);
            more.add("7");
            return more;
        }, " were expected");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFieldThatIsNotANumberIsNamedByItsLineAndColumn(final Vendor vendor)
    {
        badRow(vendor, fields -> replace(fields, vendor.open, "12.5x"), "is not a number (column " + (vendor.open + 1));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aNanPriceIsNamedByItsLine(final Vendor vendor)
    {
        badRow(vendor, fields -> replace(fields, vendor.close, "NaN"), "NaN is not a finite number");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void highBelowLowIsNamedByItsLineAndForTradesANegativeSize(final Vendor vendor)
    {
        if (vendor == Vendor.TRADES)
        {
            badRow(vendor, fields -> replace(fields, 2, "-5"), "size -5 is negative");
            return;
        }
        badRow(vendor, fields -> replace(replace(fields, vendor.high, fields.get(vendor.low)), vendor.low,
            fields.get(vendor.high)), "is below low");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void rowsOutOfOrderAreFineAndStoredInOrder(final Vendor vendor)
    {
        final List<Bar> bars = vendor.bars();
        final List<Bar> shuffled = new ArrayList<>(bars);
        Collections.swap(shuffled, 2, 9);
        Collections.swap(shuffled, 0, 11);
        final Path file = write(vendor, String.join("\n", vendor.lines(shuffled)) + "\n");
        final String source = source();

        final FileResult result = importer(vendor, source, true).importFile(file.toString());

        assertNull(result.failure(), () -> String.valueOf(result.failure()));
        assertEquals(ROWS, result.appended());
        assertEquals(vendor.expected(bars), stored(vendor, source));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anEmptyFileIsRejectedSayingSo(final Vendor vendor)
    {
        wholeFileRejected(vendor, write(vendor, ""), "is empty");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFileOfOnlyBlankLinesIsRejectedSayingSo(final Vendor vendor)
    {
        wholeFileRejected(vendor, write(vendor, "\n  \n\r\n"), "holds only blank lines");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void binaryGarbageIsRejectedAsNotText(final Vendor vendor)
    {
        final byte[] garbage = new byte[10_000];
        new Random(7).nextBytes(garbage);
        wholeFileRejected(vendor, writeBytes(vendor, garbage), "is not text (binary data at byte");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aCutOffGzipFileIsRejectedAsCorruptAndNothingIsWritten(final Vendor vendor) throws IOException
    {
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, 5000, 0);
        final Path whole = Fixtures.gzip(root.resolve("whole.gz"), String.join("\n", vendor.lines(bars)));
        final byte[] bytes = Files.readAllBytes(whole);
        wholeFileRejected(vendor, writeBytes(vendor, Arrays.copyOf(bytes, bytes.length / 2)),
            "the compressed data is corrupt or cut short");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aQuoteThatIsNeverClosedRejectsTheFileEvenWhenLenientNamingTheLineItOpensOn(
        final Vendor vendor)
    {
        final List<String> lines = vendor.lines(vendor.bars());
        final int index = (int)vendor.line(BAD) - 1;
        final List<String> fields = Arrays.asList(lines.get(index).split(","));
        lines.set(index, String.join(",", replace(fields, vendor.open, "\"" + fields.get(vendor.open))));
        final Path file = write(vendor, String.join("\n", lines) + "\n");
        wholeFileRejected(vendor, file, " line " + vendor.line(BAD) + ": a quote opened here (column " +
            (vendor.open + 1) + ") is never closed");
    }

    /**
     * Random damage (bytes flipped, delimiters, quotes and line breaks inserted or removed, lines cut) never gets an
     * exception out of the importer, and in strict mode a rejected file writes nothing.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void randomlyDamagedFilesNeverThrowAndStrictNeverWritesARejectedFile(final Vendor vendor)
    {
        final long seed = 1_234 + vendor.ordinal();
        final Random random = new Random(seed);
        final String text = String.join("\n", vendor.lines(vendor.bars())) + "\n";
        final char[] damage = {',', '"', '\n', '\r', ' ', '-', '.', 'e', '0', '9', 'x', '\u0000', '\u00e9'};
        for (int i = 0; i < 150; i++)
        {
            final StringBuilder sb = new StringBuilder(text);
            for (int k = random.nextInt(4) + 1; k > 0 && sb.length() > 0; k--)
            {
                final int at = random.nextInt(sb.length());
                switch (random.nextInt(4))
                {
                    case 0 -> sb.setCharAt(at, damage[random.nextInt(damage.length)]);
                    case 1 -> sb.insert(at, damage[random.nextInt(damage.length)]);
                    case 2 -> sb.deleteCharAt(at);
                    default -> sb.setLength(at);
                }
            }
            final Path file = write(vendor, sb.toString());
            final int attempt = i;
            for (final boolean strict : new boolean[] {true, false})
            {
                final String source = source();
                final FileResult result = importer(vendor, source, strict).importFile(file.toString());
                if (!result.ok())
                {
                    assertTrue(stored(vendor, source).isEmpty(), () -> "seed " + seed + " attempt " + attempt);
                    assertTrue(result.failure().getMessage().startsWith(file.toString()),
                        result.failure().getMessage());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"CSV", "POLYGON", "YAHOO", "TRADES"})
    void aHeaderWithoutRowsImportsNothingAndIsNotAnError(final Vendor vendor)
    {
        final FileResult result = importer(vendor, source(), true).importFile(write(vendor, vendor.header + "\n")
            .toString());
        assertNull(result.failure(), () -> String.valueOf(result.failure()));
        assertEquals(0, result.rowsRead());
        assertEquals(0, result.bars());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Alpaca JSON
    // ---------------------------------------------------------------------------------------------------------------

    /** Alpaca JSON with one bar a line: bar i (0-based) on line i + 1. */
    private static String alpacaLines(final List<Bar> bars)
    {
        return Fixtures.alpaca(Map.of("X", bars)).replace("},{", "},\n{");
    }

    private static List<Bar> minuteBars()
    {
        return Fixtures.bars(nanos("2024-01-02T14:30:00Z"), MINUTE, ROWS, 0);
    }

    @org.junit.jupiter.api.Test
    void alpacaJsonCutOffMidwayIsRejectedNamingTheLineWhereItEnds()
    {
        final String json = alpacaLines(minuteBars());
        final String cut = json.substring(0, json.indexOf("\n{", json.length() / 2) + 10);
        final FileResult strict = alpaca(cut, true);
        assertNotNull(strict.failure());
        assertTrue(strict.failure().getMessage().contains("is not valid JSON"), strict.failure().getMessage());
        assertTrue(strict.failure().line() > 1, strict.failure().getMessage());
        assertNotNull(alpaca(cut, false).failure(), "a document cut short is rejected in lenient mode too");
    }

    @org.junit.jupiter.api.Test
    void alpacaBarsWithAMissingFieldAStringNumberNanOrHighBelowLowAreNamedByTheirLine()
    {
        final String[] breakages = {"\"h\":[0-9.]+,", "\"o\":[0-9.]+", "\"c\":[0-9.]+", "\"h\":[0-9.]+"};
        final String[] replacements = {"", "\"o\":\"abc\"", "\"c\":NaN", "\"h\":1"};
        final String[] messages = {"the bar has no \"h\"", "o must be a number, found a string \"abc\"",
            "close NaN is not a finite number", "is below low"};
        for (int k = 0; k < breakages.length; k++)
        {
            final List<String> lines = new ArrayList<>(Arrays.asList(alpacaLines(minuteBars()).split("\n")));
            lines.set(BAD, lines.get(BAD).replaceFirst(breakages[k], replacements[k]));
            final String json = String.join("\n", lines);

            final FileResult strict = alpaca(json, true);
            assertNotNull(strict.failure(), messages[k]);
            assertEquals(BAD + 1, strict.failure().line(), strict.failure().getMessage());
            assertTrue(strict.failure().getMessage().contains(messages[k]), strict.failure().getMessage());
            assertTrue(strict.failure().getMessage().contains("a bar of X"), strict.failure().getMessage());

            final String source = source();
            final FileResult lenient = importer(null, source, false, Timeframe.M1).importFile(
                Fixtures.write(root.resolve("bars" + source + ".json"), json).toString());
            assertNull(lenient.failure());
            assertEquals(1, lenient.rowsRejected());
            assertEquals(BAD + 1, lenient.rejectedRows().get(0).line());
            final List<Bar> expected = new ArrayList<>(minuteBars());
            expected.remove(BAD);
            assertEquals(expected, Fixtures.read(store, SeriesKey.of("X", Timeframe.M1, source)));
        }
    }

    @org.junit.jupiter.api.Test
    void alpacaBarsOutOfOrderAreStoredInOrder()
    {
        final List<Bar> reversed = new ArrayList<>(minuteBars());
        Collections.reverse(reversed);
        final String source = source();
        final FileResult result = importer(null, source, true, Timeframe.M1).importFile(
            Fixtures.write(root.resolve("rev.json"), alpacaLines(reversed)).toString());
        assertNull(result.failure());
        assertEquals(minuteBars(), Fixtures.read(store, SeriesKey.of("X", Timeframe.M1, source)));
    }

    @org.junit.jupiter.api.Test
    void alpacaEmptyGarbageAndJsonOfAnotherShapeAreRejectedSayingSo()
    {
        assertTrue(alpaca("", true).failure().getMessage().endsWith("is empty"));
        assertTrue(alpaca("{\"quotes\":{}}", true).failure().getMessage().contains("a JSON object without \"bars\""));
        assertTrue(alpaca("{\"bars\":7}", true).failure().getMessage().contains("\"bars\" must be an object"));
        assertTrue(alpaca("[1,2]", true).failure().getMessage().contains("a bar must be an object, found a number"));
        final FileResult noSymbol = new Importer(store, ImportOptions.builder().timeframe(Timeframe.M1).build(),
            Progress.none()).importFile(Fixtures.write(root.resolve("bare.json"), "[]").toString());
        assertTrue(noSymbol.failure().getMessage().endsWith("a JSON array of bars; give the symbol with --symbol"),
            noSymbol.failure().getMessage());
        assertTrue(alpaca("{\"bars\":{\"A B\":[]}}", true).failure().getMessage().contains("symbol \"A B\""));
        final byte[] garbage = new byte[1000];
        new Random(3).nextBytes(garbage);
        garbage[0] = '{';
        final Path file = root.resolve("garbage.json");
        writeBytes(file, garbage);
        final FileResult result = importer(null, source(), true, Timeframe.M1).importFile(file.toString());
        assertTrue(result.failure().getMessage().contains("is not text"), result.failure().getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Breaks data row {@link #BAD}: strict rejects naming its line and writes nothing; lenient skips only it. */
    private void badRow(final Vendor vendor, final Function<List<String>, List<String>> breaker, final String rule)
    {
        final List<Bar> bars = vendor.bars();
        final List<String> lines = vendor.lines(bars);
        final int index = (int)vendor.line(BAD) - 1;
        lines.set(index, String.join(",", breaker.apply(Arrays.asList(lines.get(index).split(",", -1)))));
        final Path file = write(vendor, String.join("\n", lines) + "\n");

        final String strictSource = source();
        final FileResult strict = importer(vendor, strictSource, true).importFile(file.toString());
        assertNotNull(strict.failure(), vendor + ": strict must reject");
        assertEquals(vendor.line(BAD), strict.failure().line(), strict.failure().getMessage());
        assertTrue(strict.failure().getMessage().contains(" line " + vendor.line(BAD) + ": "),
            strict.failure().getMessage());
        assertTrue(strict.failure().getMessage().contains(rule), strict.failure().getMessage());
        assertTrue(stored(vendor, strictSource).isEmpty(), "nothing written from a rejected file");
        assertEquals(0, strict.appended() + strict.replaced() + strict.upserted());

        final String lenientSource = source();
        final FileResult lenient = importer(vendor, lenientSource, false).importFile(file.toString());
        assertNull(lenient.failure(), () -> String.valueOf(lenient.failure()));
        assertEquals(1, lenient.rowsRejected());
        assertEquals(vendor.line(BAD), lenient.rejectedRows().get(0).line());
        assertTrue(lenient.rejectedRows().get(0).message().contains(rule), lenient.rejectedRows().get(0).message());
        final List<Bar> expected = new ArrayList<>(vendor.expected(bars));
        expected.remove(BAD);
        assertEquals(expected, stored(vendor, lenientSource));
    }

    private void wholeFileRejected(final Vendor vendor, final Path file, final String rule)
    {
        for (final boolean strict : new boolean[] {true, false})
        {
            final String source = source();
            final FileResult result = importer(vendor, source, strict).importFile(file.toString());
            assertNotNull(result.failure(), vendor + " strict=" + strict);
            assertTrue(result.failure().getMessage().contains(rule), result.failure().getMessage());
            assertTrue(result.failure().getMessage().startsWith(file.toString()), result.failure().getMessage());
            assertTrue(stored(vendor, source).isEmpty());
        }
    }

    private static List<String> replace(final List<String> fields, final int index, final String value)
    {
        final List<String> copy = new ArrayList<>(fields);
        copy.set(index, value);
        return copy;
    }

    private FileResult alpaca(final String json, final boolean strict)
    {
        final String source = source();
        final FileResult result = importer(null, source, strict, Timeframe.M1).importFile(
            Fixtures.write(root.resolve("alpaca" + source + ".json"), json).toString());
        if (strict)
        {
            assertTrue(store.seriesKeys().stream().noneMatch(k -> k.source().equals(source)), "nothing written");
        }
        return result;
    }

    private static Importer importer(final Vendor vendor, final String source, final boolean strict)
    {
        return importer(vendor, source, strict, vendor.timeframe);
    }

    private static Importer importer(final Vendor vendor, final String source, final boolean strict,
        final Timeframe timeframe)
    {
        final ImportOptions.Builder options = ImportOptions.builder().source(source).strict(strict)
            .timeframe(timeframe);
        if (vendor != Vendor.POLYGON)
        {
            options.symbols("X");
        }
        return new Importer(store, options.build(), Progress.none());
    }

    private static List<Bar> stored(final Vendor vendor, final String source)
    {
        return Fixtures.read(store, SeriesKey.of("X", vendor.timeframe, source));
    }

    private static String source()
    {
        return "t" + SOURCES.incrementAndGet();
    }

    private static Path write(final Vendor vendor, final String text)
    {
        return Fixtures.write(root.resolve(source()).resolve(vendor.file), text);
    }

    private static Path writeBytes(final Vendor vendor, final byte[] bytes)
    {
        final Path file = root.resolve(source()).resolve(vendor.file);
        writeBytes(file, bytes);
        return file;
    }

    private static void writeBytes(final Path file, final byte[] bytes)
    {
        try
        {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}

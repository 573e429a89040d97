package io.barstore.tools.importer;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import io.barstore.tools.importer.Fixtures.Bar;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.barstore.tools.importer.Fixtures.MINUTE;
import static io.barstore.tools.importer.Fixtures.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer below the command: batches, progress, many series. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ImporterTest
{
    @TempDir
    Path tmp;

    private BarStore open()
    {
        return BarStore.open(StoreConfig.builder(tmp.resolve("data")).maintenanceIntervalMillis(0).build());
    }

    @Test
    void aFileLargerThanOneBatchIsWrittenInBatchesAndReadBackWhole()
    {
        final int rows = ChunkPool.CHUNK_ROWS * 2 + 123;
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02T00:00:00Z"), MINUTE, rows, 0);
        final Path file = Fixtures.gzip(tmp.resolve("big.csv.gz"), Fixtures.csv(bars, b -> Long.toString(b.ts())));
        try (BarStore store = open())
        {
            final Importer importer = new Importer(store, ImportOptions.builder().symbols("BIG")
                .timeframe(Timeframe.M1).build(), Progress.none());

            final FileResult first = importer.importFile(file.toString());
            final FileResult again = importer.importFile(file.toString()); // pooled chunks are reused

            assertNull(first.failure());
            assertEquals(rows, first.appended());
            assertEquals(rows, again.replaced());
            assertEquals(bars, Fixtures.read(store, SeriesKey.of("BIG", Timeframe.M1)));
            assertTrue(first.layout().contains("ts as nanoseconds"), first.layout());
        }
    }

    @Test
    void aNewestFirstFileLargerThanOneBatchIsSortedBeforeItIsWritten()
    {
        final int rows = ChunkPool.CHUNK_ROWS + 500;
        final List<Bar> bars = Fixtures.bars(nanos("2024-01-02T00:00:00Z"), MINUTE, rows, 0);
        final List<Bar> reversed = new ArrayList<>(bars);
        java.util.Collections.reverse(reversed);
        final Path file = Fixtures.write(tmp.resolve("rev.csv"), Fixtures.csv(reversed));
        try (BarStore store = open())
        {
            final FileResult result = new Importer(store, ImportOptions.builder().symbols("R")
                .timeframe(Timeframe.M1).build(), Progress.none()).importFile(file.toString());
            assertNull(result.failure());
            assertEquals(rows, result.appended(), "sorted first, so every bar appends");
            assertEquals(bars, Fixtures.read(store, SeriesKey.of("R", Timeframe.M1)));
        }
    }

    @Test
    void plainProgressLinesNameTheFileTheShareReadAndTheRows()
    {
        final Path file = Fixtures.write(tmp.resolve("p.csv"),
            Fixtures.csv(Fixtures.bars(nanos("2024-01-02T00:00:00Z"), MINUTE, 20_000, 0)));
        final StringWriter lines = new StringWriter();
        final FileResult result = new Importer(null, ImportOptions.builder().symbols("P").timeframe(Timeframe.M1)
            .dryRun(true).build(), Progress.lines(new PrintWriter(lines), 0)).importFile(file.toString());
        assertNull(result.failure());
        assertTrue(lines.toString().matches("(?s)import: .*p\\.csv: \\d+% \\([\\d.]+ of [\\d.]+ MiB\\), [\\d,]+ rows\n.*"),
            lines.toString());
    }

    @Test
    void aDryRunNeedsNoStoreAndAnythingElseDoes()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new Importer(null, ImportOptions.builder().build(), Progress.none()));
    }

    @Test
    void hundredsOfSymbolsInOneFileEachGetTheirSeries()
    {
        final StringBuilder csv = new StringBuilder("ticker,volume,open,close,high,low,window_start,transactions\n");
        for (int s = 0; s < 500; s++)
        {
            csv.append("S").append(s).append(",100,1,1.5,2,0.5,1704067200000000000,3\n");
        }
        final Path file = Fixtures.write(tmp.resolve("day_aggs_v1.csv"), csv.toString());
        try (BarStore store = open())
        {
            final FileResult result = new Importer(store, ImportOptions.builder().build(), Progress.none())
                .importFile(file.toString());
            assertNull(result.failure(), () -> String.valueOf(result.failure()));
            assertEquals(500, result.series().size());
            assertEquals(500, result.appended());
            assertEquals(List.of(new Bar(nanos("2024-01-01"), 1, 2, 0.5, 1.5, 100, Double.NaN, 3)),
                Fixtures.read(store, SeriesKey.of("S499", Timeframe.D1)));
        }
    }
}

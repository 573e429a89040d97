package io.barstore.tools;

import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barstore archive} and {@code barstore sql} on a real store, through {@link Main#run}. */
class ArchiveAndSqlCommandTest
{
    private static final long DAY = 86_400_000_000_000L;
    private static final long FIRST_DAY = 1_735_776_000_000_000_000L; // 2025-01-02

    @TempDir
    Path dir;

    @BeforeEach
    void writeFortyDaysOfTwoSymbols()
    {
        try (BarStore store = BarStore.open(StoreConfig.builder(dir).syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0).build()))
        {
            for (final String symbol : List.of("AAPL", "BRK.B"))
            {
                for (int d = 0; d < 40; d++)
                {
                    final BarBatch batch = new BarBatch();
                    for (int m = 0; m < 10; m++)
                    {
                        final long ts = FIRST_DAY + d * DAY + (870 + m) * 60_000_000_000L;
                        batch.add(ts, 10 + m, 11 + m, 9 + m, 10.5 + m, 100, Double.NaN, -1);
                    }
                    store.write(SeriesKey.of(symbol, Timeframe.M1), batch);
                }
            }
        }
    }

    @Test
    void archiveSealsWhatHasEndedAndWritesOneParquetFilePerSealedPartition() throws IOException
    {
        final CliRun run = CliRun.of("archive", "--data", dir.toString()).assertOk();
        assertTrue(run.out().contains("archived 4 partitions (800 bars"), run::toString);
        assertEquals(4, parquetFiles().size()); // January and February of each symbol, consolidated
        assertTrue(parquetFiles().stream().anyMatch(p -> p.toString().contains("symbol=BRK%2EB")), parquetFiles()::toString);

        final CliRun again = CliRun.of("archive", "--data", dir.toString()).assertOk();
        assertTrue(again.out().contains("archived 0 partitions") && again.out().contains("4 already current"),
            again::toString);
    }

    @Test
    void deleteTakesTheDeletedBarsOutOfTheArchiveToo() throws IOException
    {
        CliRun.of("archive", "--data", dir.toString()).assertOk();
        final CliRun delete = CliRun.of("delete", "--data", dir.toString(), "AAPL", "--before", "2025-02-01")
            .assertOk();
        assertTrue(delete.out().contains("archive: 1 files of deleted bars removed"), delete::toString);
        assertEquals(3, parquetFiles().size());
        try (Stream<Path> files = Files.walk(dir.resolve("archive")))
        {
            assertTrue(files.noneMatch(p -> p.toString().contains("symbol=AAPL/year=2025/2025-01_M")));
        }
        final CliRun count = CliRun.of("sql", "--data", dir.toString(), "--format", "csv",
            "SELECT symbol, count(*) AS bars FROM bars GROUP BY ALL ORDER BY 1").assertOk();
        assertEquals("symbol,bars\nAAPL,100\nBRK.B,400\n", count.out());
    }

    @Test
    void sqlCountsEveryBarOnceAcrossArchiveAndStore()
    {
        CliRun.of("archive", "--data", dir.toString(), "--older-than", "0").assertOk();
        final CliRun run = CliRun.of("sql", "--data", dir.toString(), "--format", "csv",
            "SELECT symbol, count(*) AS bars, sum(close) AS closes FROM bars GROUP BY ALL ORDER BY 1").assertOk();
        assertEquals("symbol,bars,closes\nAAPL,400,6000.0\nBRK.B,400,6000.0\n", run.out());
    }

    @Test
    void sqlPrintsATableOrJson()
    {
        final CliRun table = CliRun.of("sql", "--data", dir.toString(),
            "SELECT symbol, min(ts) AS first FROM bars GROUP BY ALL ORDER BY 1").assertOk();
        assertTrue(table.out().contains("AAPL    2025-01-02T14:30:00Z"), table::toString);
        assertTrue(table.out().contains("(2 rows"), table::toString);
        final CliRun json = CliRun.of("sql", "--data", dir.toString(), "--format", "json",
            "SELECT count(*) AS n FROM bars").assertOk();
        assertTrue(json.out().startsWith("{\"columns\":[{\"name\":\"n\",\"type\":\"BIGINT\"}],\"rows\":[[800]]"),
            json::toString);
    }

    @Test
    void sqlRefusesWritesWithExitTwoAndOneLine()
    {
        final CliRun copy = CliRun.of("sql", "--data", dir.toString(), "COPY bars TO '/tmp/barstore-x.csv'")
            .assertFails(Main.EXIT_BAD_INPUT);
        assertTrue(copy.err().contains("COPY is not"), copy::toString);
        CliRun.of("sql", "--data", dir.toString(), "SELECT * FROM read_csv('/etc/passwd')")
            .assertFails(Main.EXIT_BAD_INPUT);
        CliRun.of("sql", "--data", dir.toString(), "SELEC 1").assertFails(Main.EXIT_BAD_INPUT);
    }

    @Test
    void sqlRefusesAResultOverTheRowLimit()
    {
        final CliRun run = CliRun.of("sql", "--data", dir.toString(), "--max-rows", "10", "SELECT * FROM bars")
            .assertFails(Main.EXIT_BAD_INPUT);
        assertTrue(run.err().contains("more than the limit of 10 rows"), run::toString);
    }

    @Test
    void sqlOnAMissingDataDirectoryExitsThree()
    {
        CliRun.of("sql", "--data", dir.resolve("nothing").toString(), "SELECT 1").assertFails(Main.EXIT_NOT_FOUND);
    }

    private List<Path> parquetFiles() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir.resolve("archive")))
        {
            return files.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
    }
}

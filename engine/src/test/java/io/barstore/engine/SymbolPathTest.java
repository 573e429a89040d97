package io.barstore.engine;

import io.barstore.engine.storage.SeriesPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymbolPathTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "BRK.B", "ETH/USD", "ES_202503", "AAPL250117C00150000", "^GSPC", "EUR=X", "A:B+C-D",
        "../../etc", "/etc/passwd", "..", ".", "../../../../../../tmp/x" })
    void acceptsContractSymbolsAndStoresThemInsideTheDataDirectory(final String symbol) throws IOException
    {
        final Path data = dir.resolve("data");
        try (BarStore store = open(data))
        {
            final SeriesKey key = SeriesKey.of(symbol, Timeframe.D1);
            store.write(key, new BarBatch().add(0, 1, 1, 1, 1, 1, 1, 1));
            assertEquals(List.of(key), store.seriesKeys());
        }
        try (BarStore store = open(data))
        {
            assertEquals(symbol, store.seriesKeys().get(0).symbol(), "symbol survives the round trip through a path");
        }
        assertEverythingInside(data);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\u0000b", "\u0000", "a b", "a\\b", "ä", "x;rm", "a\nb", "" })
    void rejectsSymbolsThatAreNotInTheContractNamingTheCharacter(final String symbol)
    {
        final BarStoreException ex = assertThrows(BarStoreException.class, () -> SeriesKey.of(symbol, Timeframe.M1));
        assertEquals(BarStoreException.Category.BAD_INPUT, ex.category());
        assertTrue(ex.getMessage().contains("character") || ex.getMessage().contains("symbol"), ex.getMessage());
    }

    @Test
    void rejectsSymbolsLongerThan64Characters()
    {
        final String longName = "A".repeat(65);
        final BarStoreException ex = assertThrows(BarStoreException.class, () -> SeriesKey.of(longName, Timeframe.M1));
        assertTrue(ex.getMessage().contains("longer than 64"), ex.getMessage());
        SeriesKey.of("A".repeat(64), Timeframe.M1);
    }

    @Test
    void encodingNeverProducesASeparatorOrDotComponent()
    {
        final SeriesPaths paths = new SeriesPaths(dir);
        for (final String name : new String[]{ "..", ".", "../../etc", "/abs", "a/../../b", "\u0000", "x".repeat(64) })
        {
            final String encoded = SeriesPaths.encode(name);
            assertTrue(!encoded.contains("/") && !encoded.contains("\\") && !encoded.contains(".") &&
                !encoded.contains("\u0000"), encoded);
            assertTrue(encoded.length() < 255, "fits one path component: " + encoded.length());
            assertEquals(name, SeriesPaths.decode(encoded));
        }
        // Even a key built around the validation stays inside: directory() checks the resolved path.
        final Path seriesDir = paths.directory(SeriesKey.of("../../etc", Timeframe.M1));
        assertTrue(seriesDir.startsWith(dir.toAbsolutePath().resolve("series")));
        assertEquals("%2E%2E%2F%2E%2E%2Fetc", seriesDir.getFileName().toString());
    }

    private static BarStore open(final Path data)
    {
        return BarStore.open(StoreConfig.builder(data).syncPolicy(SyncPolicy.NONE).maintenanceIntervalMillis(0).build());
    }

    private static void assertEverythingInside(final Path data) throws IOException
    {
        final Path root = data.toRealPath();
        try (Stream<Path> all = Files.walk(root))
        {
            all.forEach(p -> assertTrue(p.normalize().startsWith(root), p.toString()));
        }
        try (Stream<Path> siblings = Files.list(root.getParent()))
        {
            assertEquals(List.of(root), siblings.toList(), "nothing written beside the data directory");
        }
    }
}

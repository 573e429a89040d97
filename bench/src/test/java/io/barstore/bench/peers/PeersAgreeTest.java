package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison is honest only if every peer holds the same bars and answers the same: on a small dataset (3 symbols
 * x 6 full days and a partial seventh) each peer's range reads, latest bars and close sum must equal barstore's and the
 * dataset's own sums, after going through the same fixture build the benchmarks use.
 */
class PeersAgreeTest
{
    private static final PeerDataset SMALL = new PeerDataset(3, 6 * PeerDataset.BARS_PER_DAY + 100);

    @TempDir
    static Path fixtures;
    private static BarPeer barstore;

    @BeforeAll
    static void openBarstore() throws Exception
    {
        barstore = PeerFixture.open(fixtures, PeerSystem.BARSTORE, SMALL);
    }

    @AfterAll
    static void closeBarstore() throws Exception
    {
        barstore.close();
    }

    @ParameterizedTest
    @EnumSource(PeerSystem.class)
    void holdsEveryBarAndAnswersAsBarstoreAndTheDatasetDo(final PeerSystem system) throws Exception
    {
        final Path root = Files.createDirectories(fixtures.resolve("peers"));
        try (BarPeer peer = PeerFixture.open(root, system, SMALL))
        {
            assertEquals(SMALL.totalBars(), peer.count());
            if (system == PeerSystem.CHRONICLE)
            {
                assertThrows(UnsupportedOperationException.class, peer::closeSum);
                return;
            }
            assertEquals(SMALL.expectedCloseSum(), peer.closeSum(), 1e-9 * SMALL.expectedCloseSum(), "close sum");
            assertEquals(barstore.closeSum(), peer.closeSum(), 1e-9 * SMALL.expectedCloseSum(), "close sum");
            if (!system.answersQueries())
            {
                return;
            }
            for (int s = 0; s < SMALL.symbols(); s++)
            {
                // the six full days; the partial last day; bounds that fall inside sessions; an empty range
                assertRange(peer, s, SMALL.midnight(0), SMALL.midnight(6), 6 * PeerDataset.BARS_PER_DAY);
                assertRange(peer, s, SMALL.midnight(6), SMALL.midnight(7), 100);
                assertRange(peer, s, SMALL.ts(1, 17), SMALL.ts(3, 200) + 1, 390 - 17 + 390 + 201);
                assertRange(peer, s, SMALL.ts(2, 5) + 1, SMALL.ts(2, 9), 3);
                assertRange(peer, s, SMALL.midnight(7), SMALL.midnight(7) + 86_400_000_000_000L, 0);
            }
            final BarSums latest = new BarSums();
            final BarSums expected = SMALL.expectedLatest();
            peer.latest(latest);
            assertEquals(SMALL.symbols(), latest.count());
            assertEquals(SMALL.symbols() * SMALL.lastTs(), latest.ts());
            assertTrue(latest.matches(expected, 1e-12), () -> system + " latest " + latest + ", expected " + expected);
            final BarSums fromBarstore = new BarSums();
            barstore.latest(fromBarstore);
            assertTrue(latest.matches(fromBarstore, 1e-12), () -> system + " latest " + latest + ", barstore " +
                fromBarstore);
        }
    }

    @Test
    void anIncompleteFixtureIsRebuilt(@TempDir final Path root) throws Exception
    {
        final Path dir = PeerFixture.directory(root, PeerSystem.BARSTORE, SMALL);
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/left-over"), "a build killed half-way");
        try (BarPeer peer = PeerFixture.open(root, PeerSystem.BARSTORE, SMALL))
        {
            assertEquals(SMALL.totalBars(), peer.count());
        }
        assertTrue(Files.isRegularFile(dir.resolve(PeerFixture.MARKER)));
        assertTrue(Files.notExists(dir.resolve("db/left-over")));
    }

    private static void assertRange(
        final BarPeer peer, final int symbol, final long start, final long end, final int bars) throws Exception
    {
        final BarSums sums = new BarSums();
        final BarSums fromBarstore = new BarSums();
        final BarSums expected = SMALL.expectedRange(symbol, start, end);
        peer.range(symbol, start, end, sums);
        barstore.range(symbol, start, end, fromBarstore);
        assertEquals(bars, expected.count());
        // Every peer returns the rows in ts order, so even the double sums are bit for bit equal.
        assertTrue(sums.matches(expected, 0), () -> "range " + start + ".." + end + ": " + sums + ", expected " +
            expected);
        assertTrue(sums.matches(fromBarstore, 0), () -> "range " + start + ".." + end + ": " + sums + ", barstore " +
            fromBarstore);
    }
}

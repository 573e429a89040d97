package io.barstore.bench.peers;

import java.nio.file.Path;
import java.util.Locale;

/** The systems of the peer benchmarks, by the names their {@code system} parameter takes. */
public enum PeerSystem
{
    BARSTORE(true, BarstorePeer::new),
    SQLITE(true, SqlitePeer::new),
    DUCKDB(true, DuckDbPeer::new),
    /** QuestDB with no index on the symbol column. */
    QUESTDB(true, (data, dir) -> new QuestDbPeer(data, dir, false)),
    /** QuestDB with the symbol column indexed. */
    QUESTDB_INDEXED(true, (data, dir) -> new QuestDbPeer(data, dir, true)),
    /** Raw Chronicle Queue append of the same bytes: an ingest reference. */
    CHRONICLE(false, ChronicleRawPeer::new),
    /** Memory copy into, and scan of, one off-heap block: the ingest and scan reference; keeps nothing on disk. */
    MEMORY(false, (data, dir) -> new MemoryCopyPeer(data));

    /** Opens a peer's database in a directory, creating an empty one if there is none. */
    private interface Opener
    {
        BarPeer open(PeerDataset data, Path dir) throws Exception;
    }

    private final boolean answersQueries;
    private final Opener opener;

    PeerSystem(final boolean answersQueries, final Opener opener)
    {
        this.answersQueries = answersQueries;
        this.opener = opener;
    }

    /** The system a benchmark parameter names ("barstore", "sqlite", ...). */
    public static PeerSystem of(final String name)
    {
        try
        {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown system " + name + "; one of barstore, sqlite, duckdb, " +
                "questdb, questdb_indexed, chronicle, memory", ex);
        }
    }

    /** The parameter name ("barstore", "questdb_indexed", ...). */
    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it answers range, latest and scan reads (the physical references do not, or only the scan). */
    public boolean answersQueries()
    {
        return answersQueries;
    }

    /** Opens the system's database in {@code dir}, creating it (empty) if there is none. */
    public BarPeer open(final PeerDataset data, final Path dir) throws Exception
    {
        return opener.open(data, dir);
    }
}

package io.barstore.bench.peers;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The read benchmarks' databases: one per system holding the whole dataset, built on first use and reused by every
 * later fork and run, so a run pays SQLite's ingest once, not once per benchmark. A system's fixture lives in
 * {@code <root>/<system>-<dataset id>/db} (e.g. {@code /tmp/barstore-peer-fixtures/sqlite-v1-100x100000/db}); the root
 * is {@code -Dbarstore.bench.fixtures=DIR}, default {@code barstore-peer-fixtures} in {@code java.io.tmpdir} (given
 * to {@code java -D... -jar benchmarks.jar}, the forks inherit it; {@code -jvmArgsAppend -D...} works too). A
 * {@code COMPLETE} marker is written only after the ingest, the settling and a count of the rows, so a build killed
 * half-way is thrown away and redone. Building them all takes about 1.5 minutes on the 2-core VM.
 * <p>
 * They take about 6 GB for the standard dataset. Delete them with {@code rm -rf /tmp/barstore-peer-fixtures} (or the
 * directory given), or one system's directory to rebuild only that one; bumping {@link PeerDataset#VERSION} makes new
 * ones beside the old.
 */
public final class PeerFixture
{
    public static final String ROOT_PROP = "barstore.bench.fixtures";
    public static final String ROOT_DEFAULT_NAME = "barstore-peer-fixtures";
    static final String MARKER = "COMPLETE";

    private PeerFixture()
    {
    }

    /** Where the fixtures are kept. */
    public static Path root()
    {
        final String dir = System.getProperty(ROOT_PROP);
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), ROOT_DEFAULT_NAME);
    }

    /** The directory of one system's fixture for {@code data}. */
    public static Path directory(final Path root, final PeerSystem system, final PeerDataset data)
    {
        return root.resolve(system.id() + "-" + data.id());
    }

    /**
     * Opens the system's fixture under {@link #root()}, building it first when missing or incomplete, and checks
     * that it holds every bar. The memory reference has no files: it is filled afresh.
     */
    public static BarPeer open(final PeerSystem system, final PeerDataset data) throws Exception
    {
        return open(root(), system, data);
    }

    /** As {@link #open(PeerSystem, PeerDataset)} under {@code root}. */
    public static BarPeer open(final Path root, final PeerSystem system, final PeerDataset data) throws Exception
    {
        if (system == PeerSystem.MEMORY)
        {
            final BarPeer peer = system.open(data, null);
            peer.ingest();
            return checked(system, peer, data, "memory");
        }
        final Path dir = directory(root, system, data);
        if (!Files.isRegularFile(dir.resolve(MARKER)))
        {
            build(system, data, dir);
        }
        final BarPeer peer;
        try
        {
            peer = system.open(data, dir.resolve("db"));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot open the " + system.id() + " fixture in " + dir + " (written by " +
                "an older version?); delete it to rebuild it", ex);
        }
        return checked(system, peer, data, dir.toString());
    }

    private static void build(final PeerSystem system, final PeerDataset data, final Path dir) throws Exception
    {
        IoUtil.delete(dir.toFile(), false);
        Files.createDirectories(dir.resolve("db"));
        System.out.printf("# building the %s fixture of %,d bars in %s (once; later runs reuse it)%n", system.id(),
            data.totalBars(), dir);
        final long started = System.nanoTime();
        final long bars;
        try (BarPeer peer = system.open(data, dir.resolve("db")))
        {
            peer.ingest();
            peer.settle();
            bars = peer.count();
        }
        if (bars != data.totalBars())
        {
            throw new IllegalStateException(system.id() + " holds " + bars + " bars after ingesting " +
                data.totalBars() + " into " + dir);
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        writeMarker(dir, "system=" + system.id() + "\ndataset=" + data.id() + "\nbars=" + bars + "\nbuilt=" +
            Instant.now() + "\nseconds=" + seconds + "\n");
        System.out.printf("# built the %s fixture in %.1f s%n", system.id(), seconds);
    }

    private static void writeMarker(final Path dir, final String text) throws IOException
    {
        final Path tmp = dir.resolve(MARKER + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(MARKER));
    }

    /** Fails loudly unless the peer holds exactly the dataset's bars. */
    private static BarPeer checked(final PeerSystem system, final BarPeer peer, final PeerDataset data,
        final String where) throws Exception
    {
        final long bars;
        try
        {
            bars = peer.count();
        }
        catch (final Exception | Error ex)
        {
            peer.close();
            throw ex;
        }
        if (bars != data.totalBars())
        {
            peer.close();
            throw new IllegalStateException(system.id() + " fixture holds " + bars + " bars, expected " +
                data.totalBars() + " in " + where + "; delete it to rebuild it");
        }
        System.out.printf("# %s holds %,d bars (%s)%n", system.id(), bars, where);
        return peer;
    }
}

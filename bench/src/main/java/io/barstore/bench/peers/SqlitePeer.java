package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQLite (xerial sqlite-jdbc) set up as trading caches set it up: one table
 * {@code bars(symbol TEXT, ts INTEGER, open REAL, ..., trades INTEGER, UNIQUE(symbol, ts))} whose automatic unique
 * index serves the range and latest reads, {@code journal_mode=WAL}, {@code synchronous=NORMAL} (a commit is not
 * fsynced, only WAL checkpoints are: the same durability as barstore's SyncPolicy.NONE), other pragmas at their
 * defaults. Ingest: {@code INSERT OR REPLACE} through one prepared statement, addBatch per bar, executeBatch per
 * symbol-day (390 bars), one transaction per trading day (39,000 bars). ts is epoch nanoseconds, as in barstore.
 * <p>
 * Latest: one prepared {@code ORDER BY ts DESC LIMIT 1} per symbol, an index seek each: about 2 ms for the 100 on the
 * 10 M-bar fixture (one run on the busy 2-core dev VM), against 0.6 s for one statement joining the table to each
 * symbol's {@code max(ts)} (which walks the whole index) and 2 s for {@code GROUP BY symbol} with SQLite's bare-column
 * {@code max(ts)}.
 */
final class SqlitePeer extends JdbcTablePeer
{
    private final PreparedStatement insert;
    private final PreparedStatement latest;

    SqlitePeer(final PeerDataset data, final Path dir) throws SQLException
    {
        super(data, DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bars.db")),
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "CREATE TABLE IF NOT EXISTS bars(symbol TEXT, ts INTEGER, open REAL, high REAL, low REAL, close REAL, " +
                "volume REAL, vwap REAL, trades INTEGER, UNIQUE(symbol, ts))");
        insert = connection.prepareStatement("INSERT OR REPLACE INTO bars(symbol, " + COLUMNS + ") " +
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        latest = connection.prepareStatement("SELECT " + COLUMNS + " FROM bars " +
            "WHERE symbol = ? ORDER BY ts DESC LIMIT 1");
    }

    @Override
    public void ingest() throws Exception
    {
        final PreparedStatement ps = insert;
        connection.setAutoCommit(false);
        data.replay(new PeerDataset.Feed()
        {
            public void bars(final int symbol, final BarBatch batch) throws SQLException
            {
                final String name = data.symbol(symbol);
                for (int i = 0, n = batch.size(); i < n; i++)
                {
                    ps.setString(1, name);
                    ps.setLong(2, batch.ts(i));
                    ps.setDouble(3, batch.open(i));
                    ps.setDouble(4, batch.high(i));
                    ps.setDouble(5, batch.low(i));
                    ps.setDouble(6, batch.close(i));
                    ps.setDouble(7, batch.volume(i));
                    ps.setDouble(8, batch.vwap(i));
                    ps.setLong(9, batch.trades(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }

            public void endOfDay(final int day) throws SQLException
            {
                connection.commit();
            }
        });
        connection.setAutoCommit(true); // reads run as users run them: each statement its own transaction
    }

    @Override
    public void latest(final BarSums sums) throws SQLException
    {
        final PreparedStatement ps = latest;
        sums.clear();
        for (int s = 0; s < data.symbols(); s++)
        {
            ps.setString(1, data.symbol(s));
            try (ResultSet rs = ps.executeQuery())
            {
                sums.addAll(rs);
            }
        }
    }
}

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB (duckdb_jdbc) set up as its users set it up: a plain table {@code bars(symbol VARCHAR, ts BIGINT, open
 * DOUBLE, ..., trades BIGINT)} with no index or key (DuckDB's advice for analytics: its per-row-group min/max zone
 * maps prune the ts range, since the data arrives in time order), default settings (as many threads as cores, memory
 * limit 80% of RAM). Ingest through the {@link DuckDBAppender}, flushed once per trading day. ts is epoch
 * nanoseconds.
 * <p>
 * Latest: the table joined to each symbol's {@code max(ts)}, the fastest of the usual forms tried on the 10 M-bar
 * fixture (one run on the busy 2-core dev VM): about 27 ms, against 75 ms for {@code QUALIFY row_number() OVER
 * (PARTITION BY symbol ORDER BY ts DESC) = 1}, 135 ms for {@code arg_max(column, ts) ... GROUP BY symbol}, 130 ms for a
 * prepared {@code ORDER BY ts DESC LIMIT 1} per symbol and 1.5 s for {@code DISTINCT ON (symbol) ... ORDER BY symbol,
 * ts DESC}.
 */
final class DuckDbPeer implements BarPeer
{
    private static final String COLUMNS = "ts, open, high, low, close, volume, vwap, trades";

    private final PeerDataset data;
    private final DuckDBConnection connection;
    private final PreparedStatement range;
    private final PreparedStatement latest;
    private final PreparedStatement sumClose;

    DuckDbPeer(final PeerDataset data, final Path dir) throws SQLException
    {
        this.data = data;
        final Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("bars.duckdb"));
        connection = c.unwrap(DuckDBConnection.class);
        try (Statement statement = connection.createStatement())
        {
            statement.execute("CREATE TABLE IF NOT EXISTS bars(symbol VARCHAR, ts BIGINT, open DOUBLE, " +
                "high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, vwap DOUBLE, trades BIGINT)");
        }
        range = connection.prepareStatement("SELECT " + COLUMNS + " FROM bars " +
            "WHERE symbol = ? AND ts >= ? AND ts < ? ORDER BY ts");
        latest = connection.prepareStatement("SELECT b.ts, b.open, b.high, b.low, b.close, b.volume, b.vwap, " +
            "b.trades FROM bars b JOIN (SELECT symbol, max(ts) AS ts FROM bars GROUP BY symbol) m " +
            "ON b.symbol = m.symbol AND b.ts = m.ts");
        sumClose = connection.prepareStatement("SELECT sum(close) FROM bars");
    }

    @Override
    public void ingest() throws Exception
    {
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "bars"))
        {
            data.replay(new PeerDataset.Feed()
            {
                public void bars(final int symbol, final BarBatch batch) throws SQLException
                {
                    final String name = data.symbol(symbol);
                    for (int i = 0, n = batch.size(); i < n; i++)
                    {
                        appender.beginRow();
                        appender.append(name);
                        appender.append(batch.ts(i));
                        appender.append(batch.open(i));
                        appender.append(batch.high(i));
                        appender.append(batch.low(i));
                        appender.append(batch.close(i));
                        appender.append(batch.volume(i));
                        appender.append(batch.vwap(i));
                        appender.append(batch.trades(i));
                        appender.endRow();
                    }
                }

                public void endOfDay(final int day) throws SQLException
                {
                    appender.flush();
                }
            });
        }
    }

    @Override
    public long count() throws SQLException
    {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT count(*) FROM bars"))
        {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void range(final int symbol, final long startNanos, final long endNanos, final BarSums sums)
        throws SQLException
    {
        final PreparedStatement ps = range;
        ps.setString(1, data.symbol(symbol));
        ps.setLong(2, startNanos);
        ps.setLong(3, endNanos);
        try (ResultSet rs = ps.executeQuery())
        {
            sums.clear().addAll(rs);
        }
    }

    @Override
    public void latest(final BarSums sums) throws SQLException
    {
        try (ResultSet rs = latest.executeQuery())
        {
            sums.clear().addAll(rs);
        }
    }

    @Override
    public double closeSum() throws SQLException
    {
        try (ResultSet rs = sumClose.executeQuery())
        {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Override
    public void close() throws SQLException
    {
        connection.close();
    }
}

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the SQL peers share: one JDBC connection to a table {@code bars(symbol, ts, open, high, low, close, volume,
 * vwap, trades)} with ts in epoch nanoseconds, and the reads that are the same SQL everywhere (the range, the row
 * count, the sum of close). Each peer sets up its table, ingests and asks for the latest bars its own way.
 */
abstract class JdbcTablePeer implements BarPeer
{
    static final String COLUMNS = "ts, open, high, low, close, volume, vwap, trades";

    final PeerDataset data;
    final Connection connection;
    private final PreparedStatement range;
    private final PreparedStatement sumClose;

    /** Runs {@code setup} (pragmas, the CREATE TABLE) in order, then prepares the shared reads. */
    JdbcTablePeer(final PeerDataset data, final Connection connection, final String... setup) throws SQLException
    {
        this.data = data;
        this.connection = connection;
        try (Statement statement = connection.createStatement())
        {
            for (final String sql : setup)
            {
                statement.execute(sql);
            }
        }
        range = connection.prepareStatement("SELECT " + COLUMNS + " FROM bars " +
            "WHERE symbol = ? AND ts >= ? AND ts < ? ORDER BY ts");
        sumClose = connection.prepareStatement("SELECT sum(close) FROM bars");
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

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
final class DuckDbPeer extends JdbcTablePeer
{
    private final DuckDBConnection duckdb;
    private final PreparedStatement latest;

    DuckDbPeer(final PeerDataset data, final Path dir) throws SQLException
    {
        super(data, DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("bars.duckdb"))
                .unwrap(DuckDBConnection.class),
            "CREATE TABLE IF NOT EXISTS bars(symbol VARCHAR, ts BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, " +
                "close DOUBLE, volume DOUBLE, vwap DOUBLE, trades BIGINT)");
        duckdb = connection.unwrap(DuckDBConnection.class);
        latest = connection.prepareStatement("SELECT b.ts, b.open, b.high, b.low, b.close, b.volume, b.vwap, " +
            "b.trades FROM bars b JOIN (SELECT symbol, max(ts) AS ts FROM bars GROUP BY symbol) m " +
            "ON b.symbol = m.symbol AND b.ts = m.ts");
    }

    @Override
    public void ingest() throws Exception
    {
        try (DuckDBAppender appender = duckdb.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "bars"))
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
    public void latest(final BarSums sums) throws SQLException
    {
        try (ResultSet rs = latest.executeQuery())
        {
            sums.clear().addAll(rs);
        }
    }
}

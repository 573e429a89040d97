package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.BarBatch;
import io.questdb.cairo.CairoConfiguration;
import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.BindVariableService;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlCompiler;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;

import java.nio.file.Path;

/**
 * QuestDB embedded: a {@link CairoEngine} over {@link DefaultCairoConfiguration} in the directory, one non-WAL table
 * ({@code BYPASS WAL}: the {@link TableWriter} writes the table directly) {@code bars(symbol SYMBOL, ts TIMESTAMP,
 * open DOUBLE, ..., trades LONG) TIMESTAMP(ts) PARTITION BY DAY}. ts is in microseconds, QuestDB's TIMESTAMP unit;
 * reads hand back nanoseconds (x 1,000) so the sums match the others'.
 * <p>
 * Two setups, as the index helps one read and hurts another ({@link PeerSystem#QUESTDB} and
 * {@link PeerSystem#QUESTDB_INDEXED}): without an index on {@code symbol}, a range read scans the symbol keys of the
 * day partitions in range with a JIT-compiled filter (234,000 ints for six days) and {@code LATEST ON} scans backwards
 * from the newest row until every symbol is seen (the last 100 rows here). With {@code INDEX}, a range read takes the
 * symbol's row ids from each partition's index (in smoke runs on the busy 2-core VM the two range reads took 0.8-1.7
 * ms each, neither ahead every time), but {@code LATEST ON} switches to a plan that also looks for the null symbol's
 * newest row, never finds it and so visits every partition's index (17-24 ms instead of 3-4 us). Ingest time was the
 * same with and without the index.
 * <p>
 * Ingest: {@code newRow(ts)}, {@code putSym/putDouble/putLong}, {@code append}, one {@code commit} per trading day.
 * The time-major feed delivers a day symbol by symbol, so within a commit the timestamps go back 100 times: QuestDB
 * sorts the uncommitted rows (its out-of-order commit) before writing the day partition. Queries are compiled once,
 * with bind variables, through {@link SqlCompiler}; each read opens a cursor of the cached {@link RecordCursorFactory}.
 * One {@link SqlExecutionContextImpl} with one worker, as the embedding guide says: no worker pool, so no parallel
 * query execution.
 */
final class QuestDbPeer implements BarPeer
{
    /** QuestDB's own logger writes INFO lines to stdout; this configuration gives it no writers (see the file). */
    static final String LOG_CONFIG = "/io/barstore/bench/peers/questdb-log.conf";
    private static final String COLUMNS = "ts, open, high, low, close, volume, vwap, trades";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS bars(symbol SYMBOL CAPACITY 256 CACHE%s, " +
        "ts TIMESTAMP, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, vwap DOUBLE, " +
        "trades LONG) TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL";
    private static final int SYMBOL = 0;
    private static final int OPEN = 2;
    private static final int HIGH = 3;
    private static final int LOW = 4;
    private static final int CLOSE = 5;
    private static final int VOLUME = 6;
    private static final int VWAP = 7;
    private static final int TRADES = 8;

    static
    {
        if (System.getProperty("out") == null) // QuestDB's LogFactory reads its configuration from -Dout
        {
            System.setProperty("out", LOG_CONFIG);
        }
    }

    private final PeerDataset data;
    private final CairoEngine engine;
    private final SqlExecutionContextImpl context;
    private final BindVariableService bindVariables;
    private final TableToken table;
    private final RecordCursorFactory range;
    private final RecordCursorFactory latest;
    private final RecordCursorFactory sumClose;
    private final RecordCursorFactory count;

    QuestDbPeer(final PeerDataset data, final Path dir, final boolean indexed) throws SqlException
    {
        this.data = data;
        final CairoConfiguration configuration = new DefaultCairoConfiguration(dir.toString());
        engine = new CairoEngine(configuration);
        try
        {
            bindVariables = new BindVariableServiceImpl(configuration);
            context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE, bindVariables);
            engine.execute(String.format(CREATE, indexed ? " INDEX" : ""), context);
            table = engine.getTableTokenIfExists("bars");
            try (SqlCompiler compiler = engine.getSqlCompiler())
            {
                // Bind variable types are fixed at compile time, from the values set before it; the factory links
                // to the variables by index and reads their values at each getCursor.
                bindVariables.setStr(0, data.symbol(0));
                bindVariables.setTimestamp(1, 0);
                bindVariables.setTimestamp(2, 0);
                range = compiler.compile("SELECT " + COLUMNS + " FROM bars WHERE symbol = $1 AND ts >= $2 " +
                    "AND ts < $3 ORDER BY ts", context).getRecordCursorFactory();
                latest = compiler.compile("SELECT " + COLUMNS + " FROM bars LATEST ON ts PARTITION BY symbol",
                    context).getRecordCursorFactory();
                sumClose = compiler.compile("SELECT sum(close) FROM bars", context).getRecordCursorFactory();
                count = compiler.compile("SELECT count() FROM bars", context).getRecordCursorFactory();
            }
        }
        catch (final SqlException | RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
    }

    @Override
    public void ingest() throws Exception
    {
        try (TableWriter writer = engine.getWriter(table, "ingest"))
        {
            data.replay(new PeerDataset.Feed()
            {
                public void bars(final int symbol, final BarBatch batch)
                {
                    final String name = data.symbol(symbol);
                    for (int i = 0, n = batch.size(); i < n; i++)
                    {
                        final TableWriter.Row row = writer.newRow(batch.ts(i) / 1_000);
                        row.putSym(SYMBOL, name);
                        row.putDouble(OPEN, batch.open(i));
                        row.putDouble(HIGH, batch.high(i));
                        row.putDouble(LOW, batch.low(i));
                        row.putDouble(CLOSE, batch.close(i));
                        row.putDouble(VOLUME, batch.volume(i));
                        row.putDouble(VWAP, batch.vwap(i));
                        row.putLong(TRADES, batch.trades(i));
                        row.append();
                    }
                }

                public void endOfDay(final int day)
                {
                    writer.commit();
                }
            });
        }
    }

    @Override
    public long count() throws SqlException
    {
        try (RecordCursor cursor = count.getCursor(context))
        {
            cursor.hasNext();
            return cursor.getRecord().getLong(0);
        }
    }

    @Override
    public void range(final int symbol, final long startNanos, final long endNanos, final BarSums sums)
        throws SqlException
    {
        bindVariables.setStr(0, data.symbol(symbol));
        bindVariables.setTimestamp(1, ceilMicros(startNanos));
        bindVariables.setTimestamp(2, ceilMicros(endNanos));
        try (RecordCursor cursor = range.getCursor(context))
        {
            sum(cursor, sums);
        }
    }

    /** ts >= start and ts < end in ns hold exactly when they do for the microseconds rounded up. */
    private static long ceilMicros(final long nanos)
    {
        return -Math.floorDiv(-nanos, 1_000);
    }

    @Override
    public void latest(final BarSums sums) throws SqlException
    {
        try (RecordCursor cursor = latest.getCursor(context))
        {
            sum(cursor, sums);
        }
    }

    private static void sum(final RecordCursor cursor, final BarSums sums)
    {
        final Record record = cursor.getRecord();
        long n = 0;
        long ts = 0;
        long trades = 0;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        double vwap = 0;
        while (cursor.hasNext())
        {
            n++;
            ts += record.getTimestamp(0) * 1_000;
            open += record.getDouble(1);
            high += record.getDouble(2);
            low += record.getDouble(3);
            close += record.getDouble(4);
            volume += record.getDouble(5);
            vwap += record.getDouble(6);
            trades += record.getLong(7);
        }
        sums.set(n, ts, open, high, low, close, volume, vwap, trades);
    }

    @Override
    public double closeSum() throws SqlException
    {
        try (RecordCursor cursor = sumClose.getCursor(context))
        {
            cursor.hasNext();
            return cursor.getRecord().getDouble(0);
        }
    }

    @Override
    public void close()
    {
        range.close();
        latest.close();
        sumClose.close();
        count.close();
        context.close();
        engine.close();
    }
}

package io.barstore.bench.peers;

import io.barstore.bench.BarSums;
import io.barstore.engine.Bar;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarCursor;
import io.barstore.engine.BarStore;
import io.barstore.engine.Column;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.SyncPolicy;
import io.barstore.engine.Timeframe;
import io.barstore.engine.WriteResult;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * barstore as the other benchmarks open it: {@link SyncPolicy#NONE} (a write returns once the batch is in the
 * journal's page cache, as SQLite's WAL with synchronous=NORMAL does), no background agent, one 1m series per symbol,
 * one {@code write} per symbol-day. Reads go through one reused {@link BarCursor}; nothing is allocated per bar.
 */
final class BarstorePeer implements BarPeer
{
    private final PeerDataset data;
    private final BarStore store;
    private final SeriesKey[] keys;
    private final BarCursor cursor;
    private final Bar bar = new Bar();
    private final WriteResult result = new WriteResult();

    BarstorePeer(final PeerDataset data, final Path dir)
    {
        this.data = data;
        store = BarStore.open(StoreConfig.builder(dir)
            .syncPolicy(SyncPolicy.NONE)
            .maintenanceIntervalMillis(0)
            .build());
        keys = new SeriesKey[data.symbols()];
        for (int s = 0; s < keys.length; s++)
        {
            keys[s] = SeriesKey.of(data.symbol(s), Timeframe.M1);
        }
        cursor = store.newCursor();
    }

    @Override
    public void ingest() throws Exception
    {
        data.replay(new PeerDataset.Feed()
        {
            public void bars(final int symbol, final BarBatch batch)
            {
                store.write(keys[symbol], batch, result);
                if (result.appended() != batch.size())
                {
                    throw new IllegalStateException(keys[symbol] + ": appended " + result.appended() + " of " +
                        batch.size());
                }
            }

            public void endOfDay(final int day)
            {
            }
        });
    }

    /**
     * Seals every day and consolidates every month, as the agent would by the first of the month after the last bar:
     * the read fixtures then hold one file per symbol and month, the steady state of a store in production.
     */
    @Override
    public void settle()
    {
        final Instant last = Instant.ofEpochSecond(0, data.lastTs());
        final long nextMonth = last.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1)
            .atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        store.maintain(TimeUnit.SECONDS.toNanos(nextMonth));
    }

    @Override
    public long count()
    {
        return store.totals().bars();
    }

    @Override
    public void range(final int symbol, final long startNanos, final long endNanos, final BarSums sums)
    {
        final BarCursor c = cursor;
        if (!store.range(keys[symbol], startNanos, endNanos, c))
        {
            throw new IllegalStateException("no series " + keys[symbol]);
        }
        sums.clear().addAll(c);
    }

    /**
     * {@link BarStore#latest(SeriesKey, Bar)} for each of the symbols, in turn: the copy of the newest bar the store
     * keeps per series, the call a strategy polling many symbols makes.
     */
    @Override
    public void latest(final BarSums sums)
    {
        final Bar b = bar;
        long n = 0;
        long ts = 0;
        long trades = 0;
        double open = 0;
        double high = 0;
        double low = 0;
        double close = 0;
        double volume = 0;
        double vwap = 0;
        for (final SeriesKey key : keys)
        {
            if (!store.latest(key, b))
            {
                throw new IllegalStateException("no latest bar for " + key);
            }
            n++;
            ts += b.ts();
            open += b.open();
            high += b.high();
            low += b.low();
            close += b.close();
            volume += b.volume();
            vwap += b.vwap();
            trades += b.trades();
        }
        sums.set(n, ts, open, high, low, close, volume, vwap, trades);
    }

    /** Each series' close column chunk by chunk (one chunk per month file), as ScanBenchmark reads it. */
    @Override
    public double closeSum()
    {
        final BarCursor c = cursor;
        double sum = 0;
        long rows = 0;
        for (final SeriesKey key : keys)
        {
            if (!store.range(key, Long.MIN_VALUE, Long.MAX_VALUE, c))
            {
                throw new IllegalStateException("no series " + key);
            }
            while (c.nextChunk())
            {
                final int n = c.chunkRows();
                sum += MemoryCopyPeer.sumDoubles(c.chunkAddress(Column.CLOSE), n);
                rows += n;
            }
        }
        if (rows != data.totalBars())
        {
            throw new IllegalStateException("scanned " + rows + " rows, expected " + data.totalBars());
        }
        return sum;
    }

    @Override
    public void close()
    {
        cursor.release();
        store.close();
    }
}

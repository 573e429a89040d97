package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.SeriesStats;
import io.barstore.engine.StoreStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Shows what is stored: series, bars and bytes.",
        "",
        "Per series: symbol, timeframe, source, first and last bar open time (ISO-8601 UTC), bars and bytes on disk; "
            + "then the totals, with the number of files."})
final class StatsCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (BarStore store = Stores.open(common.dataDir(), false))
        {
            final TextTable table = new TextTable(
                "symbol", "timeframe", "source", "first ts", "last ts", "bars>", "bytes>");
            for (final SeriesKey key : Stores.sortedKeys(store))
            {
                final SeriesStats s = store.stats(key);
                if (s != null)
                {
                    table.row(key.symbol(), key.timeframe().label(), key.source(),
                        s.barCount() > 0 ? Format.ts(s.firstTs()) : "",
                        s.barCount() > 0 ? Format.ts(s.lastTs()) : "",
                        Long.toString(s.barCount()), Long.toString(s.bytesOnDisk()));
                }
            }
            out.println("data: " + common.dataDir());
            if (table.size() > 0)
            {
                table.print(out, "");
            }
            final StoreStats totals = store.totals();
            out.println("total: " + totals.series() + " series, " + Format.count(totals.bars()) + " bars, " +
                Format.count(totals.bytesOnDisk()) + " bytes (" + Format.bytes(totals.bytesOnDisk()) + ") in " +
                Format.count(totals.files()) + " files");
        }
        return 0;
    }
}

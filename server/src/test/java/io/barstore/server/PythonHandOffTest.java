package io.barstore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barstore.engine.BarBatch;
import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.server.format.IsoTime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Python hand-off: a real server, and a python3 with pyarrow, pandas and polars reading its Arrow as a notebook
 * would ({@code src/test/resources/python/handoff.py}): the exact CONTRACT schema from {@code pyarrow.ipc.open_stream},
 * every value of every row equal to the JSON response to the same query, {@code datetime64[ns, UTC]} in pandas,
 * {@code polars.read_ipc_stream}, and values checked against what this test wrote. Besides two series of plain
 * prices it writes one of awkward doubles (full-precision, tiny, huge, subnormal, negative) so that the JSON writer's
 * number formatting is checked value by value against the stored bits. The interpreter comes from {@code -Dbarstore.python=...} (.ci/run makes a virtualenv and passes it). Without
 * the property the test is skipped on a developer's machine; under CI (env {@code CI} set) it fails instead, as it
 * does whenever the interpreter or a module is missing.
 */
class PythonHandOffTest
{
    static final String PYTHON_PROPERTY = "barstore.python";
    static final int AAPL_BARS = 2_340;
    static final int MSFT_BARS = 500;
    static final int ODD_BARS = 400;
    /** Doubles at the edges of the JSON number writer's fast path and past them. */
    private static final double[] ODD_CONSTANTS = {1.0E-5, 0.001, 9.99E-4, 9_999_999.0, 1.0E7, 1.5E7, 123_456_789.123,
        0.1 + 0.2, Double.MIN_VALUE, -37.63, 187.253421987341, 1.0E300, 9_007_199_254_740_993.0, 0.0};

    @TempDir
    Path dir;

    @Test
    void pythonReadsArrowFromTheServerIntoPandasAndPolarsWithTheContractDtypes() throws Exception
    {
        final Path python = python();
        try (TestServer t = TestServer.start(dir.resolve("data")))
        {
            TestBars.write(t.store, SeriesKey.of("AAPL", Timeframe.M5), DAY, AAPL_BARS);
            TestBars.write(t.store, SeriesKey.of("MSFT", Timeframe.M5), DAY, MSFT_BARS);
            final ObjectNode expected = expected();
            writeOddBars(t.store, SeriesKey.of("ODD", Timeframe.M5), expected.putArray("odd"));

            final Path script = dir.resolve("handoff.py");
            try (InputStream in = PythonHandOffTest.class.getResourceAsStream("/python/handoff.py"))
            {
                Files.copy(in, script);
            }
            final Path expectedFile = dir.resolve("expected.json");
            TestServer.JSON.writeValue(expectedFile.toFile(), expected);
            final Process process = new ProcessBuilder(python.toString(), script.toString(), t.server.url(),
                expectedFile.toString()).redirectErrorStream(true).start();
            final String output;
            try (InputStream out = process.getInputStream())
            {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python did not finish in 2 minutes");
            System.out.println("PythonHandOffTest: " + output.strip());
            if (process.exitValue() == 3)
            {
                fail(python + " lacks a module the hand-off needs (run .ci/run's Python step, or " +
                    "pip install pyarrow pandas polars): " + output);
            }
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.startsWith("ok:"), output);
        }
    }

    /** The interpreter to use; skips or fails (under CI) when there is none. */
    private static Path python()
    {
        final String property = System.getProperty(PYTHON_PROPERTY);
        final boolean ci = System.getenv("CI") != null;
        if (property == null || property.isBlank())
        {
            if (ci)
            {
                fail("CI is set but -D" + PYTHON_PROPERTY + " is not: .ci/run must create the Python virtualenv and " +
                    "pass -D" + PYTHON_PROPERTY + "=<its python>");
            }
            Assumptions.abort("skipped: no -D" + PYTHON_PROPERTY + "=/path/to/python (with pyarrow, pandas and " +
                "polars) was given; .ci/run sets one up, or: python3 -m venv target/pyenv && " +
                "target/pyenv/bin/pip install pyarrow pandas polars && mvn test -D" + PYTHON_PROPERTY +
                "=$PWD/target/pyenv/bin/python");
        }
        final Path python = Path.of(property);
        if (!Files.isExecutable(python))
        {
            fail("-D" + PYTHON_PROPERTY + "=" + property + " is not an executable file");
        }
        return python;
    }

    /** What the script checks: row count, a few bars by index (first, unknown vwap, unknown trades, last). */
    private static ObjectNode expected() throws IOException
    {
        final ObjectNode expected = TestServer.JSON.createObjectNode();
        expected.put("rows", AAPL_BARS);
        final ArrayNode bars = expected.putArray("bars");
        final SeriesKey aapl = SeriesKey.of("AAPL", Timeframe.M5);
        for (final int i : new int[] {0, 3, 5, 1000, AAPL_BARS - 1})
        {
            final ObjectNode bar = bars.addObject();
            bar.put("i", i);
            bar.put("ts", IsoTime.toString(TestBars.ts(aapl, DAY, i)));
            bar.put("close", TestBars.close(i));
            bar.put("volume", TestBars.volume(i));
            if (Double.isNaN(TestBars.vwap(i)))
            {
                bar.putNull("vwap");
            }
            else
            {
                bar.put("vwap", TestBars.vwap(i));
            }
            bar.put("trades", TestBars.trades(i));
        }
        expected.putObject("multi").put("AAPL", AAPL_BARS).put("MSFT", MSFT_BARS);
        return expected;
    }

    /**
     * Writes {@link #ODD_BARS} bars of doubles that take every path of the JSON number writer, adding each as
     * {@code [ts, open, high, low, close, volume, vwap or null, trades]} to {@code rows} (Jackson writes a double so
     * that it reads back exactly).
     */
    private static void writeOddBars(final BarStore store, final SeriesKey key, final ArrayNode rows)
    {
        final Random rnd = new Random(11);
        final BarBatch batch = new BarBatch(ODD_BARS);
        for (int i = 0; i < ODD_BARS; i++)
        {
            final double a = oddValue(rnd, i);
            final double b = oddValue(rnd, i + 1);
            final double open = a;
            final double close = b;
            final double high = Math.max(a, b) + Math.abs(oddValue(rnd, i + 2));
            final double low = Math.min(a, b) - Math.abs(oddValue(rnd, i + 3));
            final double volume = Math.abs(oddValue(rnd, i + 4));
            final double vwap = i % 5 == 2 ? Double.NaN : oddValue(rnd, i + 5);
            final long trades = i % 7 == 5 ? -1 : i % 3 == 0 ? rnd.nextLong() & Long.MAX_VALUE : rnd.nextInt(1000);
            final long ts = TestBars.ts(key, DAY, i);
            batch.add(ts, open, high, low, close, volume, vwap, trades);
            final ArrayNode row = rows.addArray().add(IsoTime.toString(ts)).add(open).add(high).add(low).add(close)
                .add(volume);
            if (Double.isNaN(vwap))
            {
                row.addNull();
            }
            else
            {
                row.add(vwap);
            }
            row.add(trades);
        }
        store.write(key, batch);
    }

    /** A finite double of a kind picked by {@code kind}: plain prices, full precision, tiny, huge, odd constants. */
    private static double oddValue(final Random rnd, final int kind)
    {
        switch (kind % 8)
        {
            case 0:
                return rnd.nextInt(10_000_000) / 100.0;
            case 1:
                return rnd.nextDouble() * 1_000;
            case 2:
                return rnd.nextDouble() * 1e-6;
            case 3:
                return rnd.nextDouble() * 1e12;
            case 4:
                return -(rnd.nextInt(100_000) / 100.0);
            case 5:
                return rnd.nextInt(1_000_000_000) * 1.0;
            case 6:
                return ODD_CONSTANTS[rnd.nextInt(ODD_CONSTANTS.length)];
            default:
                return rnd.nextInt(100_000_000) / Math.pow(10, rnd.nextInt(12));
        }
    }
}

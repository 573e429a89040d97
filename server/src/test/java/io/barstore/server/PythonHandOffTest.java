package io.barstore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.TimeUnit;

import static io.barstore.server.TestBars.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Python hand-off: a real server, and a python3 with pyarrow, pandas and polars reading its Arrow as a notebook
 * would ({@code src/test/resources/python/handoff.py}), checking dtypes, row counts and values against what this test
 * wrote. The interpreter comes from {@code -Dbarstore.python=...} (.ci/run makes a virtualenv and passes it). Without
 * the property the test is skipped on a developer's machine; under CI (env {@code CI} set) it fails instead, as it
 * does whenever the interpreter or a module is missing.
 */
class PythonHandOffTest
{
    static final String PYTHON_PROPERTY = "barstore.python";
    static final int AAPL_BARS = 2_340;
    static final int MSFT_BARS = 500;

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

            final Path script = dir.resolve("handoff.py");
            try (InputStream in = PythonHandOffTest.class.getResourceAsStream("/python/handoff.py"))
            {
                Files.copy(in, script);
            }
            final Process process = new ProcessBuilder(python.toString(), script.toString(), t.server.url(),
                expected().toString()).redirectErrorStream(true).start();
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
}

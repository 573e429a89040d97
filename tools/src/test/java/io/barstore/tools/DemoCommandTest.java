package io.barstore.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import io.barstore.engine.storage.StoreVerifier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code barstore demo} as a newcomer runs it: in its own JVM, on a free port; the three printed lines are run as
 * printed (the Python one when an interpreter is given, as in {@code PythonHandOffTest}); SIGTERM stops it cleanly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoCommandTest
{
    private static final Pattern SERVING = Pattern.compile("barstore: serving .* at (http://\\S+) .*");
    private static final Pattern CURL = Pattern.compile("curl '(http://[^']+)'");
    private static final Pattern PYTHON = Pattern.compile("python3 -c \"(.*)\"");

    @TempDir
    Path tmp;

    @Test
    void generatesServesPrintsThreeWorkingLinesAndStopsCleanlyOnSigterm() throws Exception
    {
        final Path data = tmp.resolve("fresh/barstore-data");
        final Path stderr = tmp.resolve("demo.err");
        final Path root = Path.of(System.getProperty("barstore.root"));
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + root.resolve("jvm.options"), "-Xmx512m",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "demo", "--port", "0", "--data", data.toString())
            .redirectError(stderr.toFile())
            .start();
        try
        {
            final BufferedReader stdout = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final List<String> lines = new ArrayList<>();
            String url = null;
            for (String line; url == null && (line = stdout.readLine()) != null; )
            {
                lines.add(line);
                final Matcher serving = SERVING.matcher(line);
                url = serving.matches() ? serving.group(1) : null;
            }
            assertNotNull(url, "no serving line in\n" + String.join("\n", lines) + "\nstderr: " +
                Files.readString(stderr));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("wrote ")), lines::toString);
            assertEquals("", stdout.readLine());
            assertEquals("Try it from another terminal:", stdout.readLine());
            final String json = stdout.readLine();
            final String csv = stdout.readLine();
            final String python = stdout.readLine();

            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            final Matcher jsonUrl = CURL.matcher(json);
            assertTrue(jsonUrl.matches() && jsonUrl.group(1).startsWith(url + "/v1/bars/AAPL?"), json);
            final HttpResponse<String> bars = http.send(HttpRequest.newBuilder(URI.create(jsonUrl.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, bars.statusCode(), bars.body());
            final JsonNode body = new ObjectMapper().readTree(bars.body());
            assertEquals("AAPL", body.get("symbol").asText());
            assertEquals("5m", body.get("timeframe").asText());
            assertEquals(3, body.get("bars").size(), bars.body());
            assertTrue(body.get("bars").get(0).get("close").asDouble() > 0, bars.body());

            final Matcher csvUrl = CURL.matcher(csv);
            assertTrue(csvUrl.matches(), csv);
            final String csvBody = http.send(HttpRequest.newBuilder(URI.create(csvUrl.group(1))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(csvBody.startsWith("ts,open,high,low,close,volume,vwap,trades\n"), csvBody);
            assertEquals(21, csvBody.lines().count(), csvBody);

            final Matcher pythonLine = PYTHON.matcher(python);
            assertTrue(pythonLine.matches(), python);
            final Matcher arrowUrl = Pattern.compile("urlopen\\('([^']+)'\\)").matcher(pythonLine.group(1));
            assertTrue(arrowUrl.find(), python);
            final byte[] arrow = http.send(HttpRequest.newBuilder(URI.create(arrowUrl.group(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
            final long rows = rows(arrow);
            final long perDay = DemoCommand.SYMBOLS.size() * 78L; // 365 days hold 260 or 261 weekdays
            assertTrue(rows == 260 * perDay || rows == 261 * perDay, "every bar of every demo series: " + rows);
            runPython(pythonLine.group(1));

            // While the server holds the store, the reading commands work from another process through a read-only
            // view, and verify reads the files.
            final String d = data.toString();
            assertEquals(4, CliRun.of("query", "AAPL", "-n", "3", "-f", "csv", "--data", d).assertOk().out()
                .lines().count());
            assertEquals(String.join("\n", DemoCommand.SYMBOLS.stream().sorted().toList()) + "\n",
                CliRun.of("symbols", "--data", d).assertOk().out());
            CliRun.of("export", "MSFT", "NVDA", "-o", tmp.resolve("two.parquet").toString(), "--data", d).assertOk();
            assertTrue(CliRun.of("verify", "--data", d).assertOk().out().contains(": no problems"));

            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "demo did not stop within 60 s of SIGTERM");
            assertEquals(0, child.exitValue(), Files.readString(stderr));
            assertTrue(Files.readString(stderr).endsWith("barstore: stopped; the store is closed\n"),
                Files.readString(stderr));
        }
        finally
        {
            child.destroyForcibly();
        }
        assertEquals(List.of(), StoreVerifier.problems(data));
    }

    @Test
    void theLinesNameAnotherSeriesWhenTheDirectoryHoldsNoDemoData()
    {
        final StringWriter text = new StringWriter();
        DemoCommand.printTryLines(new PrintWriter(text), "http://127.0.0.1:9",
            SeriesKey.of("ETH/USD", Timeframe.H1, "binance"));
        final List<String> lines = text.toString().lines().toList();
        assertEquals(List.of("", "Try it from another terminal:",
            "curl 'http://127.0.0.1:9/v1/bars/ETH%2FUSD?timeframe=1h&source=binance&limit=3'",
            "curl 'http://127.0.0.1:9/v1/bars/ETH%2FUSD?timeframe=1h&source=binance&limit=20&format=csv'",
            "python3 -c \"import pyarrow as pa, urllib.request; print(pa.ipc.open_stream(urllib.request.urlopen(" +
                "'http://127.0.0.1:9/v1/bars?symbols=ETH%2FUSD&timeframe=1h&source=binance&format=arrow'))" +
                ".read_all().to_pandas())\""), lines);
    }

    @Test
    void aPortInUseExits1WithOneLineAndLeavesTheStoreClosed() throws Exception
    {
        final String data = tmp.resolve("data").toString();
        CliRun.of("generate", "--symbols", "2", "--days", "3", "--timeframe", "5m", "--data", data).assertOk();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final CliRun run = CliRun.of("demo", "--port", "" + taken.getLocalPort(), "--data", data);
            assertEquals(1, run.status(), run::toString);
            assertTrue(run.err().startsWith("barstore: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
            assertTrue(run.out().contains("nothing generated"), run::toString);
        }
        CliRun.of("stats", "--data", data).assertOk(); // not locked: the store was closed
    }

    private static long rows(final byte[] stream) throws Exception
    {
        long rows = 0;
        try (BufferAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator))
        {
            while (reader.loadNextBatch())
            {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return rows;
    }

    /** Runs the printed Python line with -Dbarstore.python when given; pandas prints the frame's shape last. */
    private static void runPython(final String code) throws Exception
    {
        final String python = System.getProperty("barstore.python");
        if (python == null || python.isBlank())
        {
            Assumptions.assumeTrue(System.getenv("CI") == null, "CI is set but -Dbarstore.python is not");
            return;
        }
        final Process process = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.strip().matches("(?s).*\\[\\d+ rows x 9 columns]"), output);
        assertTrue(output.contains("AAPL") && output.contains("+00:00"), output);
    }
}

package io.barstore.tools;

import io.barstore.engine.BarStore;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.StoreConfig;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barstore serve}: the safety checks before it listens, and a clean stop on SIGTERM. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeCommandTest
{
    private static final Pattern SERVING = Pattern.compile("barstore: serving .* at (http://\\S+) .*");

    @TempDir
    Path tmp;

    @Test
    void refusesToListenBeyondLoopbackWithoutATokenAndExits2()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err),
            "serve", "--bind", "0.0.0.0", "--data", tmp.resolve("data").toString());
        assertEquals(Main.EXIT_BAD_INPUT, status, err.toString());
        assertTrue(err.toString().startsWith("barstore: refusing to listen on 0.0.0.0 without a token"), err.toString());
        assertEquals(1, err.toString().strip().split("\n").length, "one line: " + err);
    }

    @Test
    void refusesAnEmptyTokenFileAndABadSize() throws Exception
    {
        final Path token = Files.writeString(tmp.resolve("token"), "\n");
        final StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_BAD_INPUT, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
            "serve", "--token-file", token.toString(), "--data", tmp.resolve("data").toString()));
        assertTrue(err.toString().contains("is empty"), err.toString());
        final StringWriter sizeErr = new StringWriter();
        assertEquals(Main.EXIT_BAD_INPUT, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(sizeErr),
            "serve", "--max-body", "lots", "--data", tmp.resolve("data").toString()));
        assertTrue(sizeErr.toString().contains("not a size"), sizeErr.toString());
    }

    @Test
    void readsSizesWithBinaryUnits()
    {
        final ServeCommand.ByteSize size = new ServeCommand.ByteSize();
        assertEquals(64L << 20, size.convert("64MiB"));
        assertEquals(64L << 20, size.convert("64m"));
        assertEquals(512L << 10, size.convert("512K"));
        assertEquals(1L << 30, size.convert("1 GB"));
        assertEquals(1000L, size.convert("1000"));
    }

    @Test
    void servesUntilSigtermThenStopsAndClosesTheStoreCleanly() throws Exception
    {
        final Path data = tmp.resolve("data");
        final Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
        final Path root = Path.of(System.getProperty("barstore.root"));
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + root.resolve("jvm.options"), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "serve", "--port", "0", "--token-file", token.toString(), "--data", data.toString())
            .redirectError(tmp.resolve("serve.err").toFile())
            .start();
        try
        {
            final BufferedReader stdout = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final String line = stdout.readLine();
            final Matcher serving = SERVING.matcher(line == null ? "" : line);
            assertTrue(serving.matches(), "first line: " + line + "; stderr: " + Files.readString(tmp.resolve("serve.err")));
            final String url = serving.group(1);

            final HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            final HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(url +
                    "/v1/bars/AAPL?timeframe=1m"))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer t0ken")
                .POST(HttpRequest.BodyPublishers.ofString("ts,open,high,low,close,volume\n" +
                    "2025-01-02T14:30:00Z,1,2,0.5,1.5,100\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, write.statusCode(), write.body());

            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "serve did not stop within 60 s of SIGTERM");
            assertTrue(Files.readString(tmp.resolve("serve.err")).contains("stopped; the store is closed"),
                Files.readString(tmp.resolve("serve.err")));
        }
        finally
        {
            child.destroyForcibly();
        }
        // The lock is released and the acknowledged bar is there.
        try (BarStore store = BarStore.open(StoreConfig.builder(data).maintenanceIntervalMillis(0).build()))
        {
            assertEquals(1, store.stats(SeriesKey.of("AAPL", Timeframe.M1)).barCount());
        }
    }
}

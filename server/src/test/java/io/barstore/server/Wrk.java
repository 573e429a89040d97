package io.barstore.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code wrk} HTTP benchmark (Debian's package: {@code apt-get install wrk}) against one URL and reads its
 * {@code --latency} report: requests per second and the p50 and p99 latency. wrk keeps every connection busy (a new
 * request as soon as a response ends) and does not correct for coordinated omission, so its percentiles are those of
 * the requests it sent, as a closed-loop client sees them.
 */
final class Wrk
{
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$");
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in ([0-9.]+\\w+), (\\S+) read\\s*$");
    private static final Pattern ERRORS = Pattern.compile("^\\s*(Non-2xx or 3xx responses|Socket errors):.*$");

    private Wrk()
    {
    }

    /** One run's figures; {@code command} is what was run, {@code output} wrk's report as printed. */
    record Result(List<String> command, double requestsPerSecond, double p50Millis, double p99Millis, long requests,
        String output)
    {
        /** The command as one shell line. */
        String commandLine()
        {
            return String.join(" ", command);
        }
    }

    /** The command for {@code threads} wrk threads keeping {@code connections} connections busy for {@code seconds}. */
    static List<String> command(final int threads, final int connections, final int seconds, final String url)
    {
        return List.of("wrk", "--latency", "-t" + threads, "-c" + connections, "-d" + seconds + "s", url);
    }

    /**
     * Runs wrk and reads its report.
     *
     * @throws IllegalStateException when wrk is missing, fails, or saw an error response or a socket error.
     */
    static Result run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run wrk (apt-get install wrk): " + ex.getMessage(), ex);
        }
        final String output;
        try (InputStream in = process.getInputStream())
        {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return parse(command, output);
    }

    /** Reads a {@code wrk --latency} report. */
    static Result parse(final List<String> command, final String output)
    {
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double perSecond = Double.NaN;
        long requests = -1;
        for (final String line : output.split("\n"))
        {
            final Matcher percentile = PERCENTILE.matcher(line);
            final Matcher rate = REQUESTS_PER_SECOND.matcher(line);
            final Matcher count = REQUESTS.matcher(line);
            if (ERRORS.matcher(line).matches())
            {
                // Every response must be a 200 with all its bars: a fast error is not a result.
                throw new IllegalStateException("wrk saw errors (" + line.strip() + "):\n" + output);
            }
            if (percentile.matches())
            {
                final double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
                if (percentile.group(1).equals("50"))
                {
                    p50 = millis;
                }
                else
                {
                    p99 = millis;
                }
            }
            else if (rate.matches())
            {
                perSecond = Double.parseDouble(rate.group(1));
            }
            else if (count.matches())
            {
                requests = Long.parseLong(count.group(1));
            }
        }
        if (Double.isNaN(p50) || Double.isNaN(p99) || Double.isNaN(perSecond) || requests < 0)
        {
            throw new IllegalStateException("cannot read wrk's report (was --latency given?):\n" + output);
        }
        return new Result(command, perSecond, p50, p99, requests, output);
    }

    private static double millis(final double value, final String unit)
    {
        switch (unit)
        {
            case "us":
                return value / 1_000;
            case "ms":
                return value;
            case "s":
                return value * 1_000;
            case "m":
                return value * 60_000;
            case "h":
                return value * 3_600_000;
            default:
                throw new IllegalArgumentException(String.format(Locale.ROOT, "unit %s", unit));
        }
    }
}

package io.barstore.tools.importer;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far an import has got, by bytes read of each file: a progress bar on a terminal, a plain line every few
 * seconds otherwise (logs, CI), or nothing.
 */
public abstract class Progress
{
    static final long LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Shows nothing. */
    public static Progress none()
    {
        return new Progress()
        {
            File start(final String name, final long totalBytes, final LongSupplier rows)
            {
                return File.NONE;
            }
        };
    }

    /** A bar on stderr, redrawn in place (for a terminal). */
    public static Progress bar()
    {
        return new Progress()
        {
            File start(final String name, final long totalBytes, final LongSupplier rows)
            {
                final ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                    .setUnit(totalBytes > 0 && totalBytes < 10L << 20 ? " KiB" : " MiB",
                        totalBytes > 0 && totalBytes < 10L << 20 ? 1 << 10 : 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    // Redrawn in place with a carriage return: the per-file lines printed between bars stay put
                    // (the default consumer moves the cursor up over them).
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
                return new File()
                {
                    void bytes(final long read)
                    {
                        bar.stepTo(read);
                    }

                    void phase(final String text)
                    {
                        bar.setExtraMessage(" " + text);
                    }

                    void close()
                    {
                        if (totalBytes > 0)
                        {
                            bar.stepTo(totalBytes);
                        }
                        bar.close();
                    }
                };
            }
        };
    }

    /** A line on {@code out} every {@code intervalNanos} while a file is read, and one when it is written. */
    public static Progress lines(final PrintWriter out, final long intervalNanos)
    {
        return new Progress()
        {
            File start(final String name, final long totalBytes, final LongSupplier rows)
            {
                return new File()
                {
                    private long next = System.nanoTime() + intervalNanos;
                    private long bytes;

                    void bytes(final long read)
                    {
                        bytes = read;
                        final long now = System.nanoTime();
                        if (now - next >= 0)
                        {
                            next = now + intervalNanos;
                            out.println("import: " + name + ": " + describe(read, totalBytes) + ", " +
                                String.format(Locale.ROOT, "%,d", rows.getAsLong()) + " rows");
                            out.flush();
                        }
                    }

                    void phase(final String text)
                    {
                        final long now = System.nanoTime();
                        if (now - next >= 0)
                        {
                            next = now + intervalNanos;
                            out.println("import: " + name + ": " + describe(bytes, totalBytes) + ", " + text);
                            out.flush();
                        }
                    }
                };
            }
        };
    }

    /** A line every 5 seconds. */
    public static Progress lines(final PrintWriter out)
    {
        return lines(out, LINE_INTERVAL_NANOS);
    }

    abstract File start(String name, long totalBytes, LongSupplier rows);

    static String describe(final long read, final long total)
    {
        final double mib = read / (double)(1 << 20);
        if (total > 0)
        {
            return String.format(Locale.ROOT, "%d%% (%.1f of %.1f MiB)",
                Math.min(100, read * 100 / total), mib, total / (double)(1 << 20));
        }
        return String.format(Locale.ROOT, "%.1f MiB", mib);
    }

    /** The progress of one file. Called on the importing thread. */
    abstract static class File
    {
        static final File NONE = new File()
        {
        };

        /** {@code read} bytes of the file (as stored: compressed for a .gz) have been read. */
        void bytes(final long read)
        {
        }

        /** What is happening now that reading is done ("writing 1,234 bars"). */
        void phase(final String text)
        {
        }

        void close()
        {
        }
    }
}

package io.barstore.tools;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What a long-running command waits on: SIGINT (Ctrl-C) or SIGTERM ({@code kill}, {@code docker stop}). Handling the
 * two signals, rather than leaving them to the JVM, lets the command stop cleanly on its own thread and exit 0. A
 * shutdown hook covers every other way the JVM ends (SIGHUP, {@code System.exit}), and the signals when the JVM does
 * not let them be handled ({@code -Xrs}): it runs the stop action itself. Closing restores the previous handlers.
 */
final class StopSignal implements AutoCloseable
{
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Thread hook;

    private StopSignal(final Runnable onShutdown)
    {
        hook = new Thread(() ->
        {
            stopRequested.countDown();
            onShutdown.run();
        }, "barstore-shutdown");
    }

    /** Handles SIGINT and SIGTERM from now on; {@code onShutdown} runs if the JVM shuts down while installed. */
    static StopSignal install(final Runnable onShutdown)
    {
        final StopSignal signal = new StopSignal(onShutdown);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        for (final String name : SIGNALS)
        {
            try
            {
                final Signal s = new Signal(name);
                signal.previous.put(s, Signal.handle(s, ignored -> signal.stopRequested.countDown()));
            }
            catch (final IllegalArgumentException ex)
            {
                // The JVM keeps this signal (-Xrs, or a debugger has it): the shutdown hook stops us instead.
            }
        }
        return signal;
    }

    /** Returns once a stop was asked for. */
    void await() throws InterruptedException
    {
        stopRequested.await();
    }

    public void close()
    {
        previous.forEach(Signal::handle);
        previous.clear();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is shutting down and the hook is running or has run; nothing to undo.
        }
    }
}

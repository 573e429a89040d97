package io.barstore.server.format;

import io.barstore.engine.BarCursor;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.io.IOException;

/**
 * Streams one response of bars in a text format, straight from positioned cursors: start it for one series, several,
 * or the latest bar of several, write each series' bars, then end it. Nothing is allocated per bar.
 */
public interface BarWriter
{
    /** Starts a response with the bars of one series. */
    void startSeries(SeriesKey key) throws IOException;

    /** Starts a response with the bars of several series, each written with {@link #writeBars}. */
    void startMulti(Timeframe timeframe, String source) throws IOException;

    /** Starts a response with the newest bar of several series, each written with {@link #writeBars}. */
    void startLatest(Timeframe timeframe, String source) throws IOException;

    /** Writes every bar left in {@code cursor}, a read of {@code key}; returns how many. */
    long writeBars(SeriesKey key, BarCursor cursor) throws IOException;

    /** Records that the store holds no series {@code key} (multi-series responses only). */
    void writeMissing(SeriesKey key) throws IOException;

    /** Ends the response and flushes it; the underlying stream stays open. */
    void end() throws IOException;
}

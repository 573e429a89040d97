package io.barstore.server.format;

import io.barstore.engine.BarBatch;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the bars of an ingest body into a {@link BarBatch} as the body streams in, one format per implementation,
 * with no object per bar. A row that cannot be read is recorded in {@link RowErrors} and reading goes on, so every
 * bad row is named; once a row is bad no more bars are added (the batch will be rejected whole).
 */
public interface BatchParser
{
    /**
     * Appends the body's bars to {@code batch}.
     *
     * @throws MalformedBodyException when the body is not in the format at all.
     * @throws IOException when the body cannot be read (the stream failed or was cut short).
     */
    void parse(InputStream body, BarBatch batch, RowErrors errors) throws IOException;
}

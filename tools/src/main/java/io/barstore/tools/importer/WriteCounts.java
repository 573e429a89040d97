package io.barstore.tools.importer;

import io.barstore.engine.WriteResult;

/** What the writes of one file did, summed over its batches. */
final class WriteCounts
{
    long appended;
    long replaced;
    long upserted;
    long batches;

    void add(final WriteResult result)
    {
        appended += result.appended();
        replaced += result.replaced();
        upserted += result.upserted();
        batches++;
    }

    long total()
    {
        return appended + replaced + upserted;
    }
}

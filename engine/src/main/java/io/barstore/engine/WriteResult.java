package io.barstore.engine;

/** What one accepted batch did: bars appended after the newest, replaced at an existing ts, upserted before the newest. */
public final class WriteResult
{
    long appended;
    long replaced;
    long upserted;
    long journalIndex;

    public long appended()
    {
        return appended;
    }

    public long replaced()
    {
        return replaced;
    }

    public long upserted()
    {
        return upserted;
    }

    /** The journal position of the batch: acknowledged batches have increasing indexes. */
    public long journalIndex()
    {
        return journalIndex;
    }

    public long total()
    {
        return appended + replaced + upserted;
    }

    void reset()
    {
        appended = 0;
        replaced = 0;
        upserted = 0;
        journalIndex = -1;
    }

    public String toString()
    {
        return "appended=" + appended + " replaced=" + replaced + " upserted=" + upserted;
    }
}

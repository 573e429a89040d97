package io.barstore.engine.fs;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** A {@link FileOps} that fails the Nth operation (once, or from then on until cleared), for fault tests. */
public final class FaultInjectingFileOps implements FileOps
{
    private final FileOps delegate = FileOps.SYSTEM;
    private long calls;
    private long failAt = Long.MAX_VALUE;
    private boolean persistent;
    private String lastFailed;

    public synchronized void failAt(final long call, final boolean persistent)
    {
        this.calls = 0;
        this.failAt = call;
        this.persistent = persistent;
        this.lastFailed = null;
    }

    public synchronized void clear()
    {
        failAt = Long.MAX_VALUE;
    }

    public synchronized long calls()
    {
        return calls;
    }

    public synchronized String lastFailed()
    {
        return lastFailed;
    }

    private synchronized void maybeFail(final String op, final Path path) throws IOException
    {
        final long call = ++calls;
        if (call == failAt || (persistent && call > failAt))
        {
            lastFailed = op + " " + path;
            throw new IOException("injected fault in call " + call + ": " + op + " " + path);
        }
    }

    public void createReserved(
        final Path path, final byte[] head, final long size, final long[] rangeStarts, final long rangeLength)
        throws IOException
    {
        maybeFail("createReserved", path);
        delegate.createReserved(path, head, size, rangeStarts, rangeLength);
    }

    public void reserve(final Path path, final long[] rangeStarts, final long rangeLength) throws IOException
    {
        maybeFail("reserve", path);
        delegate.reserve(path, rangeStarts, rangeLength);
    }

    public MappedByteBuffer map(final Path path, final boolean writable) throws IOException
    {
        maybeFail("map", path);
        return delegate.map(path, writable);
    }

    public byte[] read(final Path path, final long position, final int length) throws IOException
    {
        maybeFail("read", path);
        return delegate.read(path, position, length);
    }

    public long size(final Path path) throws IOException
    {
        maybeFail("size", path);
        return delegate.size(path);
    }

    public void force(final Path path) throws IOException
    {
        maybeFail("force", path);
        delegate.force(path);
    }

    public void forceDirectory(final Path dir) throws IOException
    {
        maybeFail("forceDirectory", dir);
        delegate.forceDirectory(dir);
    }

    public void writeAtomically(final Path path, final byte[] content) throws IOException
    {
        maybeFail("writeAtomically", path);
        delegate.writeAtomically(path, content);
    }

    public void delete(final Path path) throws IOException
    {
        maybeFail("delete", path);
        delegate.delete(path);
    }

    public void createDirectories(final Path dir) throws IOException
    {
        maybeFail("createDirectories", dir);
        delegate.createDirectories(dir);
    }

    public List<String> list(final Path dir) throws IOException
    {
        maybeFail("list", dir);
        return delegate.list(dir);
    }

    public long usableSpace(final Path path) throws IOException
    {
        maybeFail("usableSpace", path);
        return delegate.usableSpace(path);
    }
}

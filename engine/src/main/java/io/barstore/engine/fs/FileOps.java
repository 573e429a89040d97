package io.barstore.engine.fs;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation the store performs, behind one small interface so that tests can make the Nth call fail
 * (see the fault tests) and so that the engine has one place where I/O errors become typed errors.
 */
public interface FileOps
{
    /** The real file system. */
    FileOps SYSTEM = new SystemFileOps();

    /**
     * Creates a new file of {@code size} bytes whose first bytes are {@code head}, and allocates the blocks of the
     * ranges {@code [start, start + rangeLength)} for each start in {@code rangeStarts} by writing zeros there. The
     * rest of the file is a hole: a store through a mapping may only touch allocated ranges, since a store into a
     * hole on a full disk is a SIGBUS, not an exception. See {@link #reserve}.
     */
    void createReserved(Path path, byte[] head, long size, long[] rangeStarts, long rangeLength) throws IOException;

    /**
     * Allocates more of an existing file, as {@link #createReserved} does: writes zeros over
     * {@code [start, start + rangeLength)} for each start. The caller guarantees nothing there is data yet.
     */
    void reserve(Path path, long[] rangeStarts, long rangeLength) throws IOException;

    /** Maps the whole file; the channel is closed again at once, the mapping outlives it. */
    MappedByteBuffer map(Path path, boolean writable) throws IOException;

    /** Reads up to {@code length} bytes at {@code position}; fewer at the end of the file. */
    byte[] read(Path path, long position, int length) throws IOException;

    long size(Path path) throws IOException;

    /** fsync: the file's data and metadata, including pages dirtied through a mapping, reach the disk. */
    void force(Path path) throws IOException;

    /** fsync of a directory, so that creations, renames and deletions in it survive a power loss. */
    void forceDirectory(Path dir) throws IOException;

    /** Writes a small file whole under a temporary name, forces it and renames it over {@code path}. */
    void writeAtomically(Path path, byte[] content) throws IOException;

    void delete(Path path) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Names of the entries of a directory, or an empty list when it does not exist. */
    List<String> list(Path dir) throws IOException;

    /** Bytes free for this process on the file system of {@code path}. */
    long usableSpace(Path path) throws IOException;
}

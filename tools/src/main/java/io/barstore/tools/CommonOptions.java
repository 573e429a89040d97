package io.barstore.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command takes: where the data lives, and whether a failure shows its stack trace. */
final class CommonOptions
{
    static final String DATA_DEFAULT = "barstore-data";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA_DEFAULT,
        description = "Data directory (default: ./" + DATA_DEFAULT + ").")
    Path data;

    @Option(names = "--verbose", description = "On failure, print the stack trace too.")
    boolean verbose;

    Path dataDir()
    {
        return data.toAbsolutePath().normalize();
    }
}

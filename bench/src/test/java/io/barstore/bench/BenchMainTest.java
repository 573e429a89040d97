package io.barstore.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BenchMainTest
{
    @Test
    void forksGetTheArgfileAndNoBoundsChecksAfterWhichTheUsersArgsWin(@TempDir final Path root) throws Exception
    {
        final CommandLineOptions cmd = new CommandLineOptions(
            "-rf", "json", "-rff", "out.json", "-jvmArgsAppend", "-Xmx1g", "RangeRead");
        final Options options = BenchMain.options(cmd, root);

        assertEquals(List.of("@" + root.resolve("jvm.options"), "-Dbarstore.root=" + root,
            "-Dagrona.disable.bounds.checks=true", "-Xmx1g"), List.copyOf(options.getJvmArgsAppend().get()));
        assertEquals(ResultFormatType.JSON, options.getResultFormat().get());
        assertEquals("out.json", options.getResult().get());
        assertEquals(List.of("RangeRead"), options.getIncludes());
    }

    @Test
    void rootIsTheNearestDirectoryHoldingJvmOptions(@TempDir final Path dir) throws Exception
    {
        final Path nested = Files.createDirectories(dir.resolve("bench/target"));
        assertNull(BenchMain.walkUp(nested));
        Files.writeString(dir.resolve("jvm.options"), "-Dx=y\n");
        assertEquals(dir, BenchMain.walkUp(nested));
    }
}

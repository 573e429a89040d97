package io.barstore.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One command run in this process through {@link Main#run}: its exit status, stdout and stderr. */
record CliRun(int status, String out, String err)
{
    static CliRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(status, out.toString().replace(System.lineSeparator(), "\n"),
            err.toString().replace(System.lineSeparator(), "\n"));
    }

    /** Exit 0 and nothing on stderr. */
    CliRun assertOk()
    {
        assertEquals(0, status, this::toString);
        assertEquals("", err, this::toString);
        return this;
    }

    /** The exit status, with a one-line reason on stderr starting "barstore: ". */
    CliRun assertFails(final int expectedStatus)
    {
        assertEquals(expectedStatus, status, this::toString);
        assertFalse(err.isBlank(), this::toString);
        assertEquals(1, err.lines().count(), "one line on stderr:\n" + this);
        assertTrue(err.startsWith("barstore: "), this::toString);
        return this;
    }

    public String toString()
    {
        return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

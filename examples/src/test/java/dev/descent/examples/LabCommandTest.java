package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.examples.lab.LabServer;
import org.junit.jupiter.api.Test;

/** {@code descent lab} on the command line: its options and its plain-spoken errors. */
class LabCommandTest {
    @Test
    void isASubcommandWithAPortOption() {
        DescentCommandTest.Run help = DescentCommandTest.run("--help");
        assertTrue(help.out().contains("lab"), help.out());
        DescentCommandTest.Run lab = DescentCommandTest.run("lab", "--help");
        assertEquals(0, lab.code());
        assertTrue(lab.out().contains("--port") && lab.out().contains("127.0.0.1"), lab.out());
    }

    @Test
    void aBadPortIsRefusedInOneLine() {
        DescentCommandTest.Run r = DescentCommandTest.run("lab", "--port", "70000");
        assertEquals(1, r.code());
        assertEquals("descent lab: --port: expected a port in [0, 65535] (0: any free one), got 70000", r.err().strip());
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (LabServer first = LabServer.start(0)) {
            DescentCommandTest.Run r = DescentCommandTest.run("lab", "--port", Integer.toString(first.port()));
            assertEquals(1, r.code());
            assertTrue(r.err().contains("127.0.0.1:" + first.port() + " is in use"), r.err());
        }
    }
}

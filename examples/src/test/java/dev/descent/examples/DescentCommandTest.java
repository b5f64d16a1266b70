package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, messages, files written. */
class DescentCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Descent.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("tour") && r.out().contains("gradcheck"), r.out());
        for (String demo : new String[] {"vanishing", "exploding", "init", "dying-relu"}) {
            assertTrue(r.out().contains(demo), demo + " missing from " + r.out());
            Run help = run(demo, "--help");
            assertEquals(0, help.code(), demo);
            assertTrue(help.out().contains("--seed") && help.out().contains("--out"), help.out());
        }
        Run sub = run("gradcheck", "--help");
        assertTrue(sub.out().contains("--seed") && sub.out().contains("--out"), sub.out());
    }

    @Test
    void unknownSubcommandOrOptionIsAUsageErrorWithoutStackTrace() {
        Run r = run("bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unmatched argument") && r.err().contains("'bogus'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        Run o = run("gradcheck", "--frobnicate");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("Unknown option: '--frobnicate'"), o.err());
    }

    @Test
    void unwritableOutputDirectoryIsReportedPlainly(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Run r = run("gradcheck", "--out", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot create the output directory") && r.err().contains("--out"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void tourWritesOneReportWithEveryChart(@TempDir Path dir) throws Exception {
        Run r = run("tour", "--out", dir.toString(), "--seed", "7");
        assertEquals(0, r.code(), r.err());
        Path index = dir.resolve("tour/index.html");
        String html = Files.readString(index);
        assertTrue(html.contains("<img src=\"gradcheck-error-vs-h.png\""), html);
        assertTrue(Files.size(dir.resolve("tour/gradcheck-error-vs-h.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("tour/README.md")).contains("## Gradient checking"));
        assertTrue(r.out().contains("descent tour: wrote"), r.out());
    }
}

package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradCheckDemoTest {

    @Test
    void everyOpPassesBothChecks() {
        List<GradCheckDemo.Row> rows = GradCheckDemo.checkAll(42, Progress.silent());
        assertTrue(rows.size() >= 35, "rows: " + rows.size());
        for (GradCheckDemo.Row r : rows) {
            assertTrue(r.passed() && r.secondPassed(), r.toString());
        }
    }

    @Test
    void reportShowsTheUCurveTheCaughtBugAndTheKink(@TempDir Path dir) throws Exception {
        Section s = new GradCheckDemo().run(42, dir, Progress.silent());
        assertEquals(1, s.charts().size());
        Path png = s.charts().get(0);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, "PNG size " + bytes.length);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        // the error curve bottoms out between the extremes (truncation on one side, round-off on the other)
        var matcher = java.util.regex.Pattern.compile("bottoms out at h = (\\S+) ").matcher(s.markdown());
        assertTrue(matcher.find(), s.markdown());
        double best = Double.parseDouble(matcher.group(1));
        assertTrue(best >= 1e-9 && best <= 1e-3, "best h " + best);
        assertTrue(s.markdown().contains("gradient check FAILED"), "the wrong rule is caught");
        assertTrue(s.markdown().contains("straddles a kink"), "the kink is flagged");
    }
}

package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during repeated saves: a child JVM saves one checkpoint over and over and is killed at a random moment.
 * Afterwards the file loads, its checksum holds, it equals the state of one whole save no older than the last save the
 * child reported finished, and the next save removes the temporary file the killed one left.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void aKilledSaveLeavesTheLastCompleteCheckpoint() throws Exception {
        assertEquals(3, trials(3, 1));
    }

    @Test
    @Tag("long")
    void aHundredKilledSaves() throws Exception {
        assertEquals(100, trials(100, 2));
    }

    /** Runs {@code n} kill trials; returns how many passed (all, or an assertion fails first). */
    private int trials(int n, long seed) throws Exception {
        Random random = new Random(seed);
        int leftovers = 0;
        for (int trial = 0; trial < n; trial++) {
            Path file = dir.resolve("trial-" + trial + ".safetensors");
            Process child = ChildJvm.start(List.of("-Xmx128m"), SaveLoop.class, file.toString());
            long reported = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int wanted = 1 + random.nextInt(4);
                for (int i = 0; i < wanted; i++) {
                    String line = out.readLine();
                    assertTrue(line != null, "the saving child exited on its own (see its error output above)");
                    reported = Long.parseLong(line.strip());
                }
                Thread.sleep(random.nextInt(40)); // somewhere inside a later save
                // kill(1) rather than destroyForcibly, which closes the pipe before the last lines can be read
                assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor());
                assertEquals(137, child.waitFor(), "killed by SIGKILL");
                String line;
                while ((line = out.readLine()) != null) reported = Long.parseLong(line.strip());
            }
            long step = Long.parseLong(SafeTensors.read(file).metadata().get("step"));
            assertTrue(step >= reported, "trial " + trial + ": the file holds step " + step + ", but the save of step " + reported + " had returned");
            TrainingState loaded = SaveLoop.state(123_456);
            Checkpoint.restore(file, loaded);
            assertEquals(step, loaded.step());
            assertSameParts(SaveLoop.state(step), loaded);

            try (var files = Files.list(dir)) {
                leftovers += (int) files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
            }
            Checkpoint.save(file, SaveLoop.state(step + 1)); // removes the killed save's temporary file, if any
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "trial " + trial);
            }
        }
        System.out.println("CrashTest: " + n + " kills, " + leftovers + " temporary files left by killed saves and removed by the next save");
        return n;
    }

    private static void assertSameParts(TrainingState expected, TrainingState actual) {
        for (String part : expected.parts().keySet()) {
            Map<String, Tensor> e = expected.parts().get(part).stateTensors(), a = actual.parts().get(part).stateTensors();
            assertEquals(e.keySet(), a.keySet());
            e.forEach((k, v) -> assertArrayEquals(v.toArray(), a.get(k).toArray(), part + "." + k));
        }
    }
}

package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent train} as a user meets it on the command line: what it prints, and what it refuses. */
class TrainCommandLineTest {
    static TrainDemo.Config tiny(TrainDemo.Arch arch, int epochs, Integer batch, Double lr, boolean resume, Path dir) {
        return new TrainDemo.Config(arch, null, epochs, batch, lr, resume, 30, dir.resolve("no-fashion-mnist-here"));
    }

    @Test
    void printsOneLinePerEpochWithLossAccuracyAndTime(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TrainDemo(tiny(TrainDemo.Arch.mlp, 3, 16, 0.01, false, dir)).train(1, dir, Progress.reportingTo(new PrintStream(out, true, StandardCharsets.UTF_8)));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, out.toString());
        for (int e = 0; e < 3; e++) {
            assertTrue(lines[e].matches("epoch " + (e + 1) + "/3: train loss \\d+\\.\\d{4}, accuracy \\d+\\.\\d{2} % \\| test loss \\d+\\.\\d{4}, "
                    + "accuracy \\d+\\.\\d{2} % \\| \\d+\\.\\d s"), lines[e]);
        }
    }

    @Test
    void withoutATerminalThereIsNoBarButAStartAndAnEndLine() {
        assumeFalse(Progress.onTerminal(), "this JVM runs on a terminal");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (Progress p = Progress.of("demo")) {
            p.total(3);
            for (int i = 0; i < 3; i++) p.step();
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        assertTrue(text.matches("demo: running\\R" + "demo: done in \\d+\\.\\d s\\R"), text);
    }

    @Test
    void anEmptyOutIsRefused() {
        DescentCommandTest.Run r = DescentCommandTest.run("train", "--out", "");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Invalid value for option '--out': expected a directory, got an empty path"), r.err());
    }

    @Test
    void batchSizeOneIsFineForTheMlpAndRefusedWhereBatchNormIs(@TempDir Path dir) {
        TrainDemo.Result r = new TrainDemo(tiny(TrainDemo.Arch.mlp, 1, 1, 0.01, false, dir)).train(1, dir, Progress.silent());
        assertEquals(1, r.batchSize());
        for (TrainDemo.Arch arch : new TrainDemo.Arch[] {TrainDemo.Arch.bn, TrainDemo.Arch.residual}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainDemo(tiny(arch, 1, 1, 0.01, false, dir)).train(1, dir, Progress.silent()));
            assertEquals("--batch-size must be at least 2 for --arch " + arch + ": its BatchNorm layers need two examples per batch for a variance, got 1",
                    e.getMessage());
        }
    }

    @Test
    void resumeKeepsTheCheckpointsHyperparametersAndRefusesOthers(@TempDir Path dir) {
        new TrainDemo(tiny(TrainDemo.Arch.mlp, 1, 8, 0.02, false, dir)).train(1, dir, Progress.silent());
        TrainDemo.Result again = new TrainDemo(tiny(TrainDemo.Arch.mlp, 1, null, null, true, dir)).train(1, dir, Progress.silent());
        assertEquals(0.02, again.lr(), "left out on --resume: the checkpoint's");
        assertEquals(8, again.batchSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainDemo(tiny(TrainDemo.Arch.mlp, 1, 16, 0.1, true, dir)).train(1, dir, Progress.silent()));
        assertEquals("--resume: " + dir.resolve(TrainDemo.CHECKPOINT) + " was trained with --lr 0.02 (this run: 0.1) and --batch-size 8 (this run: 16); "
                + "resume with the same values, or start afresh without --resume", e.getMessage());
    }
}

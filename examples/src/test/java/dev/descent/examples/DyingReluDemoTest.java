package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.descent.nn.ReLU;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DyingReluDemoTest {

    static DyingReluDemo tiny() {
        DyingReluDemo d = new DyingReluDemo();
        d.steps = 60;
        d.width = 32;
        return d;
    }

    @Test
    void highLearningRateAndNegativeBiasKillReluUnitsButNeverLeakyReluOrEluUnits(@TempDir Path dir) throws Exception {
        DyingReluDemo d = tiny();
        List<DyingReluDemo.Run> runs = d.runAll(42, Progress.silent());
        DyingReluDemo.Run base = runs.get(0), high = runs.get(1), bias = runs.get(4);
        assertTrue(high.finalDead() >= 0.3, "ReLU at a high learning rate: " + high.finalDead());
        assertTrue(high.finalDead() > base.finalDead() + 0.2, "high lr " + high.finalDead() + " vs usual lr " + base.finalDead());
        assertTrue(bias.dead()[0] >= 0.5 && bias.finalDead() >= 0.5, "ReLU with negative bias: " + bias.dead()[0] + " -> " + bias.finalDead());
        for (DyingReluDemo.Run r : runs) {
            if (r.config().activation().get() instanceof ReLU) continue;
            for (double f : r.dead()) assertEquals(0.0, f, r.config().name());
        }
        // the negative-bias LeakyReLU network escapes the region that traps ReLU
        assertTrue(runs.get(5).loss()[d.steps - 1] < 0.5 * bias.loss()[d.steps - 1]);

        Section s = d.report(runs, dir);
        assertEquals(2, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| LeakyReLU(0.01), lr 0.1 | 0.0 % | 0.0 % |"), s.markdown());
    }
}

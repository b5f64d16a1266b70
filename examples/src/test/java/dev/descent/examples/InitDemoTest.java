package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitDemoTest {

    static InitDemo tiny() {
        InitDemo d = new InitDemo();
        d.steps = 60;
        d.depth = 10;
        d.width = 32;
        return d;
    }

    @Test
    void symmetricInitialisationKeepsHiddenUnitsIdenticalWhileRandomInitBreaksTheTie() {
        InitDemo d = tiny();
        InitDemo.SymmetryRun sym = d.symmetryRun("sym", true, 42, Progress.silent());
        InitDemo.SymmetryRun rnd = d.symmetryRun("rnd", false, 42, Progress.silent());
        assertTrue(sym.maxUnitDifference() <= 1e-12, "symmetric units differ by " + sym.maxUnitDifference());
        assertTrue(rnd.maxUnitDifference() > 0.1, "random units differ by " + rnd.maxUnitDifference());
        // the symmetric network did learn something (its weights moved), just not with more than one unit per layer
        assertTrue(sym.loss()[d.steps - 1] < sym.loss()[0], "symmetric loss " + sym.loss()[0] + " -> " + sym.loss()[d.steps - 1]);
        assertTrue(rnd.loss()[d.steps - 1] < sym.loss()[d.steps - 1], "random init ends lower");
    }

    @Test
    void heKeepsActivationSizeThroughTheDeepReluNetWhileZeroAndXavierLoseIt() {
        var profiles = tiny().profiles(42);
        double[] zero = profiles.get(0).std(), xavier = profiles.get(2).std(), he = profiles.get(3).std();
        int last = zero.length - 1;
        assertEquals(0.0, zero[last]);
        assertTrue(xavier[last] < 0.1 * xavier[0], "Xavier halves the variance per ReLU layer: " + xavier[0] + " -> " + xavier[last]);
        assertTrue(he[last] > 0.3 * he[0] && he[last] < 3 * he[0], "He keeps it: " + he[0] + " -> " + he[last]);
    }

    @Test
    void reportHasBothChartsAndTheNumbers(@TempDir Path dir) throws Exception {
        Section s = tiny().run(42, dir, Progress.silent());
        assertEquals(2, s.charts().size());
        for (Path png : s.charts()) assertTrue(Files.size(png) > 1000, png.toString());
        assertTrue(s.markdown().contains("| all weights 0.3, biases 0.1 | 0.00e+00 |"), s.markdown());
        assertTrue(s.markdown().contains("| He normal (gain √2) |"), s.markdown());
    }
}

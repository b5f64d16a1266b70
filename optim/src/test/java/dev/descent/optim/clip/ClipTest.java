package dev.descent.optim.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-parameter norm clipping and adaptive gradient clipping, against values computed by hand from their definitions. */
class ClipTest {

    @Test
    void perParameterNormClippingScalesEachGradientOnItsOwn() {
        Tensor a = Tensor.vector(0, 0).requiresGrad(true), b = Tensor.vector(0, 0).requiresGrad(true), c = Tensor.vector(0).requiresGrad(true);
        a.setGrad(Tensor.vector(3, 4));
        b.setGrad(Tensor.vector(0.3, 0.4));
        double[] norms = Clip.clipGradNormPerParameter(List.of(a, b, c), 1.0, 2.0);
        assertArrayEquals(new double[] {5, 0.5, Double.NaN}, norms, 1e-15);
        assertArrayEquals(new double[] {3 / (5 + 1e-6), 4 / (5 + 1e-6)}, a.grad().toArray(), 1e-15);
        assertArrayEquals(new double[] {0.3, 0.4}, b.grad().toArray(), 0.0, "a gradient within the bound is untouched");
    }

    @Test
    void adaptiveClippingBoundsEachUnitsGradientByItsWeights() {
        Tensor w = Tensor.matrix(new double[][] {{3, 4}, {0, 0}}).requiresGrad(true);
        Tensor bias = Tensor.vector(1).requiresGrad(true);
        w.setGrad(Tensor.matrix(new double[][] {{1, 0}, {0, 1}}));
        bias.setGrad(Tensor.vector(0.01));
        Clip.clipGradAdaptive(List.of(w, bias), 0.1, 1e-3);
        // row 0: ‖W‖ = 5, bound 0.5, ‖G‖ = 1 -> halved; row 1: ‖W‖ = 0 -> ε = 1e-3, bound 1e-4
        assertArrayEquals(new double[] {0.5, 0, 0, 1e-4}, w.grad().toArray(), 1e-18);
        assertArrayEquals(new double[] {0.01}, bias.grad().toArray(), 0.0, "a unit within the bound is untouched");
    }

    @Test
    void afterAdaptiveClippingNoUnitExceedsTheRatio() {
        Rng rng = new Rng(3);
        for (int trial = 0; trial < 20; trial++) {
            int rows = 1 + rng.nextInt(5), cols = 1 + rng.nextInt(5);
            Tensor w = Tensor.normal(rng, 0, 1, rows, cols).requiresGrad(true);
            Tensor g = Tensor.normal(rng, 0, 1, rows, cols);
            w.setGrad(g.copy());
            double clipping = 0.01 + rng.nextDouble();
            Clip.clipGradAdaptive(List.of(w), clipping, 1e-3);
            for (int r = 0; r < rows; r++) {
                double wNorm = 0, before = 0, after = 0;
                for (int j = 0; j < cols; j++) {
                    wNorm += w.get(r, j) * w.get(r, j);
                    before += g.get(r, j) * g.get(r, j);
                    after += w.grad().get(r, j) * w.grad().get(r, j);
                }
                double bound = clipping * Math.max(Math.sqrt(wNorm), 1e-3);
                assertTrue(Math.sqrt(after) <= bound * (1 + 1e-12) || Math.sqrt(before) < bound, "row " + r + " exceeds the bound");
                if (Math.sqrt(before) < bound) assertEquals(before, after, 0.0, "a unit within the bound is untouched");
            }
        }
    }
}

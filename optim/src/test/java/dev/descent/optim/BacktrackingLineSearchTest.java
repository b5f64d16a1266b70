package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient descent with Armijo backtracking: every accepted step satisfies the Armijo condition, and is the first that does. */
class BacktrackingLineSearchTest {

    @Test
    void everyAcceptedStepSatisfiesTheArmijoCondition() {
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p));
        double c = 1e-4;
        for (int step = 0; step < 300; step++) {
            double[] x = p.toArray();
            double f0 = Problems.loss("rosenbrock", p).item();
            double[] g = {-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])};
            double gg = g[0] * g[0] + g[1] * g[1];
            gd.step(() -> Problems.backward(gd, "rosenbrock", p));
            double t = gd.lastStepSize();
            assertArrayEquals(new double[] {x[0] - t * g[0], x[1] - t * g[1]}, p.toArray(), 1e-12, "x − t g");
            double f = Problems.loss("rosenbrock", p).item();
            assertTrue(f <= f0 - c * t * gg, "Armijo at step " + step + ": f = " + f + ", bound " + (f0 - c * t * gg));
            if (t < 1) {
                double longer = loss(x[0] - 2 * t * g[0], x[1] - 2 * t * g[1]);
                assertTrue(longer > f0 - c * 2 * t * gg, "step " + step + ": the step twice as long was rejected");
            }
            assertEquals(1 + Math.round(Math.log(t) / Math.log(0.5)) + 1, gd.lastEvaluations(), "one evaluation per trial");
        }
        assertTrue(Problems.loss("rosenbrock", p).item() < 1e-2, "descended the valley: " + Problems.loss("rosenbrock", p).item());
    }

    private static double loss(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    @Test
    void convergesOnTheIllConditionedQuadratic() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p));
        for (int t = 0; t < 300; t++) gd.step(() -> Problems.backward(gd, "quadratic", p));
        assertTrue(Problems.loss("quadratic", p).item() < 1e-6, "loss " + Problems.loss("quadratic", p).item());
    }

    @Test
    void aWrongGradientIsReportedAndTheParametersRestored() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p), BacktrackingLineSearch.DEFAULTS.withMaxShrinks(10));
        var e = assertThrows(IllegalStateException.class, () -> gd.step(() -> {
            gd.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = Problems.loss("quadratic", p);
                tape.backward(loss.neg()); // the gradient of −f: every step goes uphill
                return loss;
            }
        }));
        assertTrue(e.getMessage().contains("Armijo"), e.getMessage());
        assertArrayEquals(new double[] {1, 1}, p.toArray(), 0.0);
        assertThrows(UnsupportedOperationException.class, gd::step);
    }
}

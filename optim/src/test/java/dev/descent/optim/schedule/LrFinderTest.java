package dev.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.optim.Optimizer;
import dev.descent.optim.SGD;
import dev.descent.optim.StateDict;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LrFinderTest {
    /** f(x, y) = (x² + 10 y²) / 2: plain gradient descent converges for lr < 2/10 and diverges above. */
    private static Supplier<Tensor> quadratic(Optimizer<?> optimizer, Tensor p) {
        return () -> {
            optimizer.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
                Tensor loss = x.square().add(y.square().mul(10)).mul(0.5).sum();
                tape.backward(loss);
                return loss;
            }
        };
    }

    @Test
    void onAQuadraticItSuggestsARateBelowTheStabilityLimitAndStopsAtDivergence() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.01);
        LrFinder.Result r = LrFinder.run(sgd, quadratic(sgd, p), LrFinder.DEFAULTS.withRange(1e-4, 10));
        assertTrue(r.diverged(), "the sweep to 10 must blow up past lr = 0.2");
        assertTrue(r.lrs().length < 100, "stopped early: " + r.lrs().length);
        double last = r.smoothedLosses()[r.smoothedLosses().length - 1];
        double best = java.util.Arrays.stream(r.smoothedLosses()).min().orElseThrow();
        assertTrue(last > 4 * best, "stopped at 4x the best smoothed loss: " + last + " vs " + best);
        assertTrue(r.suggestion() > 1e-3 && r.suggestion() < 0.2, "suggestion " + r.suggestion());
        assertEquals(r.lrs()[r.suggestionIndex()], r.suggestion());
        // the rates grow geometrically from the start
        assertEquals(1e-4, r.lrs()[0], 0.0);
        assertEquals(Math.pow(1e5, 1.0 / 99), r.lrs()[1] / r.lrs()[0], 1e-12);
    }

    @Test
    void theOptimizerAndParametersAreRestored() {
        Tensor p = Tensor.vector(1.0, -2.0).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), SGD.Options.lr(0.05).withMomentum(0.9));
        Supplier<Tensor> closure = quadratic(sgd, p);
        for (int i = 0; i < 3; i++) sgd.step(closure); // momentum buffers and a gradient exist
        double[] values = p.toArray(), grad = p.grad().toArray();
        StateDict<SGD.Options> before = sgd.stateDict();

        LrFinder.run(sgd, closure, LrFinder.DEFAULTS.withNumIter(30));

        assertArrayEquals(values, p.toArray(), 0.0);
        assertArrayEquals(grad, p.grad().toArray(), 0.0);
        StateDict<SGD.Options> after = sgd.stateDict();
        assertEquals(before.paramGroups(), after.paramGroups());
        assertEquals(0.05, sgd.paramGroups().get(0).lr());
        assertArrayEquals(before.state().get(0).buffers().get("momentum_buffer"), after.state().get(0).buffers().get("momentum_buffer"), 0.0);
        assertEquals(before.state().get(0).step(), after.state().get(0).step());
    }

    @Test
    void aThrowingClosureStillRestores() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.01);
        Supplier<Tensor> good = quadratic(sgd, p);
        int[] calls = {0};
        Supplier<Tensor> failing = () -> {
            if (++calls[0] == 5) throw new IllegalStateException("boom");
            return good.get();
        };
        assertThrows(IllegalStateException.class, () -> LrFinder.run(sgd, failing));
        assertArrayEquals(new double[] {1.0, 1.0}, p.toArray(), 0.0);
        assertEquals(0.01, sgd.paramGroups().get(0).lr());
    }

    @Test
    void theSmoothedLossIsTheBiasCorrectedMovingAverage() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.01);
        LrFinder.Result r = LrFinder.run(sgd, quadratic(sgd, p), LrFinder.DEFAULTS.withRange(1e-6, 1e-5).withNumIter(20).withBeta(0.9));
        assertFalse(r.diverged());
        double avg = 0;
        for (int i = 0; i < r.losses().length; i++) {
            avg = 0.9 * avg + (1 - 0.9) * r.losses()[i];
            assertEquals(avg / (1 - Math.pow(0.9, i + 1)), r.smoothedLosses()[i], 1e-15);
        }
        assertEquals(r.losses()[0], r.smoothedLosses()[0], 1e-15);
    }

    @Test
    void theSuggestionIsTheSteepestDescentOfTheCurve() {
        double[] s = {5, 5, 4.9, 4.5, 3, 2.8, 2.7, 2.7, 3, 9};
        assertEquals(3, LrFinder.steepest(s, 0, 0)); // (3 − 4.9) / 2 is the most negative central difference
        assertEquals(5, LrFinder.steepest(s, 5, 0)); // (2.7 − 3) / 2 once the first five are dropped
        assertEquals(-1, LrFinder.steepest(new double[] {1, 2, 3}, 0, 0));
        assertEquals(3, LrFinder.steepest(s, 10, 5)); // too few points left: none dropped
    }

    @Test
    void badRangesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> LrFinder.DEFAULTS.withRange(1e-3, 1e-4));
        assertEquals("Expected end_lr greater than start_lr 0.001, but got 1.0E-4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LrFinder.DEFAULTS.withRange(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LrFinder.DEFAULTS.withNumIter(1));
        assertThrows(IllegalArgumentException.class, () -> LrFinder.DEFAULTS.withBeta(1.0));
    }
}

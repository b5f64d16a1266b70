package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Line searches and L-BFGS on objectives that are, or become, non-finite: the step throws and the parameters are
 * exactly where the step began (not x − 0·g, which is NaN where g is not finite), with the optimizer state unchanged.
 */
class NonFiniteObjectiveTest {

    /** The closure that zeroes p's gradient and records f(p) on a tape. */
    private static Supplier<Tensor> closure(Tensor p, Function<Tensor, Tensor> f) {
        return () -> {
            p.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = f.apply(p);
                tape.backward(loss);
                return loss;
            }
        };
    }

    @Test
    void backtrackingWithANonFiniteGradientThrowsAndRestoresTheParametersExactly() {
        // f = Σ √|x|: finite at x = (0, 1), but d/dx √|x| at 0 is 0 · ∞ = NaN
        Tensor p = Tensor.vector(0, 1).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gd.step(closure(p, x -> x.abs().sqrt().sum())));
        assertTrue(e.getMessage().startsWith("BacktrackingLineSearch: the gradient of the objective is NaN at element 0"), e.getMessage());
        assertArrayEquals(new double[] {0, 1}, p.toArray(), 0.0);
    }

    @Test
    void backtrackingWithANonFiniteObjectiveThrowsAndChangesNothing() {
        Tensor p = Tensor.vector(-1, 1).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gd.step(closure(p, x -> x.sqrt().sum())));
        assertTrue(e.getMessage().startsWith("BacktrackingLineSearch: the objective is NaN where the step begins"), e.getMessage());
        assertArrayEquals(new double[] {-1, 1}, p.toArray(), 0.0);
    }

    @Test
    void backtrackingTreatsANonFiniteTrialAsTooLongAStep() {
        // f = (x - 1/4)² + 1e-3 √x from x = 1 with lr 10: the first trial, x = 1 - 10 · 1.5005, is negative, where √x
        // is NaN; the search shortens the step instead of failing
        Tensor p = Tensor.vector(1).requiresGrad(true);
        BacktrackingLineSearch gd = new BacktrackingLineSearch(List.of(p), BacktrackingLineSearch.DEFAULTS.withLr(10));
        gd.step(closure(p, x -> x.sub(0.25).square().sum().add(x.sqrt().sum().mul(1e-3))));
        assertTrue(Double.isFinite(p.toArray()[0]) && p.toArray()[0] > 0, "accepted a finite point: " + p.toArray()[0]);
        assertTrue(gd.lastEvaluations() > 2, "the trial at a negative x (a NaN loss) was rejected and shortened");
    }

    @Test
    void lbfgsThatWouldEndAtNaNThrowsAndRestoresTheStart() {
        // f = √x from x = 1 has no minimum: L-BFGS walks x below 0, where f and its gradient are NaN
        Tensor p = Tensor.vector(1).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p));
        StateDict<LBFGS.Options> before = lbfgs.stateDict();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lbfgs.step(closure(p, x -> x.sqrt().sum())));
        assertTrue(e.getMessage().startsWith("LBFGS: "), e.getMessage());
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().endsWith("the parameters are back where the step began"), e.getMessage());
        assertArrayEquals(new double[] {1}, p.toArray(), 0.0);
        assertEquals(before.global(), lbfgs.stateDict().global(), "the history is unchanged");
    }

    @Test
    void lbfgsWithANonFiniteStartThrows() {
        Tensor p = Tensor.vector(-1).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p), LBFGS.DEFAULTS.withLineSearchFn(LBFGS.STRONG_WOLFE));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lbfgs.step(closure(p, x -> x.sqrt().sum())));
        assertTrue(e.getMessage().startsWith("LBFGS: the objective is NaN where the step begins"), e.getMessage());
        assertArrayEquals(new double[] {-1}, p.toArray(), 0.0);
    }

    @Test
    void newtonWithANonFiniteLossOrStepThrowsAndChangesNothing() {
        Tensor p = Tensor.vector(-1, 1).requiresGrad(true);
        Newton newton = new Newton(List.of(p));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> newton.step(ps -> ps.get(0).sqrt().sum()));
        assertTrue(e.getMessage().startsWith("Newton: the loss is NaN where the step begins"), e.getMessage());
        assertArrayEquals(new double[] {-1, 1}, p.toArray(), 0.0);
        // f = Σ √|x| is finite at (0, 1), its gradient at 0 is 0 · ∞ = NaN
        Tensor q = Tensor.vector(0, 1).requiresGrad(true);
        Newton other = new Newton(List.of(q));
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> other.step(ps -> ps.get(0).abs().sqrt().sum()));
        assertTrue(e2.getMessage().startsWith("Newton: the gradient is NaN at element 0"), e2.getMessage());
        assertArrayEquals(new double[] {0, 1}, q.toArray(), 0.0);
    }
}

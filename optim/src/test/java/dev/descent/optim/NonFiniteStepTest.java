package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No step writes a non-finite parameter or state value: huge but finite gradients (1e200 to the largest double) either
 * give a finite step or make the step throw, naming the optimizer, the parameter and the element, with everything
 * left as it was.
 */
class NonFiniteStepTest {

    /** Gradients from just below the square root of the largest double (1.34e154) up to the largest double. */
    private static final double[] HUGE = {1e140, 1e150, 1.3e154, -1.4e154, 1e160, 1e200, -1e250, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE};
    /** Parameter scales: ordinary, and near the top of the range, where a small step can overflow. */
    private static final double[] SCALES = {1, 1e150, 1e300, Double.MAX_VALUE / 2};

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.descent.optim.Optimizers#all")
    void hugeFiniteGradientsNeverWriteNonFiniteValues(String name, Function<List<Tensor>, Optimizer<?>> make) {
        for (double huge : HUGE) check(name, make, huge, 1);
        for (double scale : SCALES) check(name, make, 1e3, scale);
    }

    private static void check(String name, Function<List<Tensor>, Optimizer<?>> make, double huge, double scale) {
        Tensor a = Tensor.of(new double[] {-1.2, 1.0, 0.3, 0.7, -0.4, 2.0}, 2, 3).mul(scale).requiresGrad(true);
        Tensor b = Tensor.vector(0.5, -0.5, 1.5).mul(scale).requiresGrad(true);
        Optimizer<?> optimizer = make.apply(List.of(a, b));
        for (int t = 0; t < 3; t++) {
            a.setGrad(Tensor.of(new double[] {0.3 * t + 1, -2, 0.5, 1, -1, 0.25}, 2, 3));
            b.setGrad(Tensor.vector(1, 0.5, -0.5));
            if (!stepOrRefuse(name, optimizer, a, b, " (group 0) at element ", "a parameter scale of " + scale)) return;
        }
        a.setGrad(Tensor.of(new double[] {1, 1, 1, 1, 1, 1}, 2, 3));
        b.setGrad(Tensor.vector(0.5, huge, -1));
        // only b's gradient is huge, so a refusal names it (at some element: LAMB, LARS and Adafactor normalise by norms)
        String where = scale == 1 ? "parameter 1 (group 0) at element " : " (group 0) at element ";
        stepOrRefuse(name, optimizer, a, b, where, "a gradient of " + huge + " and a parameter scale of " + scale);
    }

    /** Steps; returns true with finite parameters and state, or false after a refusal that changed nothing. */
    private static boolean stepOrRefuse(String name, Optimizer<?> optimizer, Tensor a, Tensor b, String where, String after) {
        double[] aBefore = a.toArray(), bBefore = b.toArray();
        StateDict<?> before = optimizer.stateDict();
        try {
            optimizer.step();
        } catch (IllegalStateException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("step: " + optimizer.getClass().getSimpleName() + " would write "), m);
            assertTrue(m.contains(where) && m.endsWith("; nothing was changed"), m);
            assertArrayEquals(aBefore, a.toArray(), 0.0, "the parameters were not updated");
            assertArrayEquals(bBefore, b.toArray(), 0.0);
            assertStateEquals(before, optimizer.stateDict());
            return false;
        }
        for (double[] values : List.of(a.toArray(), b.toArray())) {
            for (double v : values) if (!Double.isFinite(v)) fail(name + " wrote " + v + " into a parameter after " + after);
        }
        optimizer.stateDict().state().forEach((index, s) -> {
            s.buffers().forEach((buffer, values) -> {
                for (double v : values) if (!Double.isFinite(v)) fail(name + " wrote " + v + " into " + buffer + " after " + after);
            });
            s.scalars().forEach((scalar, v) -> assertTrue(Double.isFinite(v), name + " wrote " + v + " into " + scalar));
        });
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.descent.optim.Optimizers#all")
    void ordinaryStepsAreCheckedByTheirBoundWithoutACopy(String name, Function<List<Tensor>, Optimizer<?>> make) {
        Tensor a = Tensor.of(new double[] {-1.2, 1.0, 0.3, 0.7, -0.4, 2.0}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.vector(0.5, -0.5, 1.5).requiresGrad(true);
        Optimizer<?> optimizer = make.apply(List.of(a, b));
        for (int t = 0; t < 20; t++) {
            a.setGrad(Tensor.of(new double[] {0.3 * t + 1, -2, 0.5, 1, -1, 0.25}, 2, 3).mul(Math.pow(10, t % 7 - 3)));
            b.setGrad(Tensor.vector(1, 0.5, -0.5 * t));
            optimizer.step();
        }
        // the first step of each parameter has no bounds yet
        assertEquals(2, optimizer.copyChecks(), "updates checked on a copy");
    }

    @org.junit.jupiter.api.Test
    void theMessageNamesTheOptimizerTheStateTheParameterAndTheElement() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true), b = Tensor.vector(0.5, -0.5, 1.5).requiresGrad(true);
        Adam adam = new Adam(List.of(a, b));
        a.setGrad(Tensor.vector(1, 1));
        b.setGrad(Tensor.vector(0.5, 1e200, -1));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, adam::step);
        // (1 - beta2) · (1e200)² overflows; the parameter itself would stay finite (m / √∞ = 0), as in PyTorch
        assertEquals("step: Adam would write Infinity into the state 'exp_avg_sq' of parameter 1 (group 0) at element 1; "
                + "nothing was changed", e.getMessage());
        assertEquals(null, adam.stateDict().state().get(0), "no state was created");
    }

    private static void assertStateEquals(StateDict<?> expected, StateDict<?> actual) {
        assertEquals(expected.state().keySet(), actual.state().keySet());
        expected.state().forEach((index, s) -> {
            assertEquals(s.step(), actual.state().get(index).step());
            assertEquals(s.scalars(), actual.state().get(index).scalars());
            s.buffers().forEach((buffer, values) -> assertArrayEquals(values, actual.state().get(index).buffers().get(buffer), 0.0, buffer));
        });
    }

    @org.junit.jupiter.api.Test
    void centeredRMSpropTakesARoundedNegativeVarianceAsZero() {
        // equal gradients: the variance v - avg² is 0 in exact arithmetic and rounds to either side of it; PyTorch's
        // sqrt then gives NaN wherever it lands below zero
        Tensor p = Tensor.zeros(64).requiresGrad(true);
        RMSprop rmsprop = new RMSprop(List.of(p), RMSprop.DEFAULTS.withLr(1e-3).withCentered(true));
        double[] g = new double[64];
        for (int i = 0; i < g.length; i++) g[i] = 0.1 + i * 0.37;
        boolean negative = false;
        for (int t = 0; t < 4000; t++) {
            p.setGrad(Tensor.vector(g.clone()));
            rmsprop.step();
            double[] v = rmsprop.stateDict().state().get(0).buffers().get("square_avg");
            double[] avg = rmsprop.stateDict().state().get(0).buffers().get("grad_avg");
            for (int i = 0; i < v.length; i++) negative |= v[i] - avg[i] * avg[i] < 0;
        }
        assertTrue(negative, "some variance rounded below zero");
        for (double v : p.toArray()) assertTrue(Double.isFinite(v), "finite parameters: " + v);
    }
}

package dev.descent.examples.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizer playground's endpoint: what the paths are, their limits, and that a seed fixes them. */
class TrajectoriesTest {
    static Trajectories.Result compute(String json) {
        return Trajectories.compute(Params.parse(json));
    }

    @Test
    void gradientDescentOnTheQuadraticShrinksEachEigenDirectionByItsOwnFactor() {
        // x_{t+1} = (1 − lr·λ) x_t along each eigen-direction: λ = 1 along x, λ = κ along y
        var r = compute("{\"landscape\":\"quadratic\",\"kappa\":10,\"steps\":20,\"optimizers\":[{\"name\":\"sgd\",\"params\":{\"lr\":0.05}}]}");
        var p = r.paths().get(0);
        assertEquals(21, p.x().length);
        for (int t = 0; t <= 20; t++) {
            assertEquals(4 * Math.pow(1 - 0.05, t), p.eigenError()[0][t], 1e-12);
            assertEquals(Math.pow(1 - 0.05 * 10, t), p.eigenError()[1][t], 1e-12);
        }
        assertEquals(0.5 * (p.x()[20] * p.x()[20] + 10 * p.y()[20] * p.y()[20]), p.gap()[20], 1e-15);
    }

    @Test
    void eigenErrorsOnlyOnTheQuadratic() {
        var r = compute("{\"landscape\":\"beale\",\"steps\":5,\"optimizers\":[{\"name\":\"adam\"}]}");
        assertNull(r.paths().get(0).eigenError());
        assertEquals(Trajectories.GRID * Trajectories.GRID, r.grid().length);
    }

    @Test
    void theSameSeedGivesTheSameNoisyPathAndAnotherSeedAnother() {
        String a = "{\"landscape\":\"rosenbrock\",\"steps\":50,\"noise\":1,\"seed\":7,\"optimizers\":[{\"name\":\"adam\",\"params\":{\"lr\":0.05}}]}";
        var p1 = compute(a).paths().get(0);
        var p2 = compute(a).paths().get(0);
        var p3 = compute(a.replace("\"seed\":7", "\"seed\":8")).paths().get(0);
        assertArrayEquals(p1.x(), p2.x());
        assertArrayEquals(p1.y(), p2.y());
        assertTrue(p1.x()[50] != p3.x()[50]);
    }

    @Test
    void everyLimitIsEnforcedWithTheParameterNamed() {
        String one = "[{\"name\":\"adam\"}]";
        assertEquals("steps: expected a whole number in [1, 2000], got 2001",
                assertThrows(IllegalArgumentException.class, () -> compute("{\"steps\":2001,\"optimizers\":" + one + "}")).getMessage());
        assertEquals("optimizers: expected 1 to 8 entries, got 9", assertThrows(IllegalArgumentException.class,
                () -> compute("{\"optimizers\":[" + String.join(",", java.util.Collections.nCopies(9, "{\"name\":\"adam\"}")) + "]}")).getMessage());
        assertEquals("kappa: expected a number in [1, 1000], got 0.5",
                assertThrows(IllegalArgumentException.class, () -> compute("{\"kappa\":0.5,\"optimizers\":" + one + "}")).getMessage());
        assertEquals("startX: expected a number in [-2, 2], got 5",
                assertThrows(IllegalArgumentException.class, () -> compute("{\"startX\":5,\"optimizers\":" + one + "}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> compute("{\"landscape\":\"moon\",\"optimizers\":" + one + "}"))
                .getMessage().startsWith("landscape: expected one of rosenbrock, beale, saddle, quadratic, local-minimum, got \"moon\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> compute("{\"optimizers\":[{\"name\":\"adam\",\"params\":{\"amsgrad\":1}}]}"))
                .getMessage().startsWith("optimizers[0].params.amsgrad: expected true or false"));
    }

    @Test
    void aDivergingPathStopsAndSaysWhere() {
        var p = compute("{\"landscape\":\"quadratic\",\"kappa\":100,\"steps\":500,\"optimizers\":[{\"name\":\"sgd\",\"params\":{\"lr\":0.05}}]}")
                .paths().get(0);
        // |1 − 0.05·100| = 4 per step along y: past 1e6 after ⌈log₄ 1e6⌉ = 10 steps
        assertEquals(10, p.diverged());
        assertEquals(11, p.x().length);
    }

    @Test
    void theLandscapesTensorLossMatchesItsArithmeticAndTheMinimumIsStationary() {
        for (Landscape land : Landscape.values()) {
            double[][] points = {{0.3, -0.7}, {-1.1, 0.4}, {land.startX, land.startY}};
            for (double[] pt : points) {
                Tensor t = land.loss(Tensor.scalar(pt[0]).reshape(1), Tensor.scalar(pt[1]).reshape(1), 7);
                assertEquals(land.f(pt[0], pt[1], 7), t.sum().item(), 1e-12 * Math.max(1, Math.abs(t.sum().item())), land.key());
            }
            double[] m = land.minimizer(7);
            Tensor p = Tensor.vector(m).requiresGrad(true);
            Tensor[] g;
            try (Tape tape = Tape.record()) {
                Tensor loss = land.loss(p.slice(0, 0, 1), p.slice(0, 1, 2), 7).sum();
                g = tape.gradient(loss, p);
            }
            assertNotNull(g[0]);
            assertEquals(0, Math.hypot(g[0].data()[0], g[0].data()[1]), 1e-9, land.key() + " gradient at its minimum");
        }
    }

    @Test
    void theCatalogueListsEveryOptimizerWithItsOwnDefaults() {
        List<Hyperparameter> adam = OptimizerKind.ADAM.hyperparameters;
        assertEquals(dev.descent.optim.Adam.DEFAULTS.beta2(), adam.stream().filter(h -> h.name().equals("beta2")).findFirst().orElseThrow().defaultValue());
        for (OptimizerKind k : OptimizerKind.values()) {
            assertEquals("lr", k.hyperparameters.get(0).name(), k.label);
            var spec = OptimizerKind.read(Params.parse("{\"name\":\"" + k.key() + "\"}"));
            assertNotNull(spec.create(List.of(Tensor.vector(1, 2).requiresGrad(true))), k.label + " builds from its defaults");
        }
    }
}

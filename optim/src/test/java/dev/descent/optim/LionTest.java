package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lion against the paper's Program 1 evaluated independently here, and its convergence on a convex problem. */
class LionTest {

    @Test
    void lionFollowsThePapersProgramOnRosenbrock() {
        double lr = 1e-3, beta1 = 0.9, beta2 = 0.99, wd = 0.1;
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        Lion lion = new Lion(List.of(p), Lion.DEFAULTS.withLr(lr).withWeightDecay(wd));
        double[] theta = {-1.2, 1.0}, m = new double[2];
        for (int t = 0; t < 50; t++) {
            // the analytic gradient of (1 - x)^2 + 100 (y - x^2)^2
            double x = theta[0], y = theta[1];
            double[] g = {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
            for (int i = 0; i < 2; i++) {
                double update = Math.signum(beta1 * m[i] + (1 - beta1) * g[i]) + wd * theta[i];
                theta[i] = theta[i] - lr * update;
                m[i] = beta2 * m[i] + (1 - beta2) * g[i];
            }
            Problems.backward(lion, "rosenbrock", p);
            lion.step();
            assertArrayEquals(theta, p.toArray(), 1e-12, "step " + (t + 1));
        }
    }

    @Test
    void lionConvergesOnAnIllConditionedQuadratic() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        Lion lion = new Lion(List.of(p), Lion.DEFAULTS.withLr(1e-2));
        Problems.run(lion, "quadratic", p, 300);
        // steps have size lr per element, so Lion ends oscillating within a few lr of the minimum at 0
        for (double v : p.toArray()) assertTrue(Math.abs(v) < 0.05, "ended at " + v);
    }
}

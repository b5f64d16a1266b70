package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * The optimizers beyond PyTorch against their papers' update equations, evaluated independently here on plain arrays
 * (with the analytic gradient of Rosenbrock, or of a quadratic over a matrix and a vector for the layer-wise and
 * factored ones), and their convergence on a convex problem.
 */
class PaperOptimizersTest {
    private static final int STEPS = 20;

    /** The gradient of Rosenbrock (1 − x)² + 100 (y − x²)², written out. */
    private static double[] rosenbrockGradient(double[] p) {
        double x = p[0], y = p[1];
        return new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
    }

    @Test
    void adaBeliefFollowsThePapersAlgorithm() {
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-16, wd = 0.01;
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        AdaBelief opt = new AdaBelief(List.of(p), AdaBelief.DEFAULTS.withLr(lr).withWeightDecay(wd));
        double[] theta = {-1.2, 1.0}, m = new double[2], s = new double[2];
        for (int t = 1; t <= STEPS; t++) {
            double[] g = rosenbrockGradient(theta);
            for (int i = 0; i < 2; i++) {
                theta[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                s[i] = b2 * s[i] + (1 - b2) * (g[i] - m[i]) * (g[i] - m[i]) + eps;
                double mHat = m[i] / (1 - Math.pow(b1, t)), sHat = s[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(sHat) + eps);
            }
            Problems.backward(opt, "rosenbrock", p);
            opt.step();
            assertArrayEquals(theta, p.toArray(), 1e-12, "step " + t);
        }
    }

    @Test
    void yogiFollowsThePapersAlgorithm() {
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-3;
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        Yogi opt = new Yogi(List.of(p), Yogi.DEFAULTS.withLr(lr));
        double[] theta = {-1.2, 1.0}, m = new double[2], v = {1e-6, 1e-6};
        for (int t = 1; t <= STEPS; t++) {
            double[] g = rosenbrockGradient(theta);
            for (int i = 0; i < 2; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                double g2 = g[i] * g[i];
                v[i] = v[i] - (1 - b2) * Math.signum(v[i] - g2) * g2;
                theta[i] -= lr * m[i] / (Math.sqrt(v[i]) + eps);
            }
            Problems.backward(opt, "rosenbrock", p);
            opt.step();
            assertArrayEquals(theta, p.toArray(), 1e-12, "step " + t);
        }
    }

    /** 0.5 Σ a_i w_i² over a 3×2 matrix and a 2-vector, whose gradient is a_i w_i. */
    private static final double[] A_MATRIX = {1, 2, 0.5, 3, 10, 0.2}, A_VECTOR = {4, 0.1};

    private static double[] grad(double[] a, double[] w) {
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) g[i] = a[i] * w[i];
        return g;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    /** A layer-wise reference: one parameter's update from its own arrays. */
    private interface Reference {
        void step(int t, double[] w, double[] g, double[][] state);
    }

    /** Steps {@code optimizer} over a matrix and a vector parameter and the reference on copies; both must agree. */
    private static void checkLayerwise(Function<List<Tensor>, Optimizer<?>> make, int buffers, Reference reference) {
        double[] w0 = {1.0, -0.5, 0.25, 2.0, -1.5, 0.75}, b0 = {0.5, -2.0};
        Tensor w = Tensor.of(w0.clone(), 3, 2).requiresGrad(true), b = Tensor.of(b0.clone(), 2).requiresGrad(true);
        Optimizer<?> opt = make.apply(List.of(w, b));
        double[][] ws = {w0.clone(), b0.clone()}, as = {A_MATRIX, A_VECTOR};
        double[][][] states = {new double[buffers][6], new double[buffers][2]};
        for (int t = 1; t <= STEPS; t++) {
            for (int k = 0; k < 2; k++) reference.step(t, ws[k], grad(as[k], ws[k]), states[k]);
            w.setGrad(Tensor.of(grad(A_MATRIX, w.toArray()), 3, 2));
            b.setGrad(Tensor.of(grad(A_VECTOR, b.toArray()), 2));
            opt.step();
            assertArrayEquals(ws[0], w.toArray(), 1e-12, "matrix, step " + t);
            assertArrayEquals(ws[1], b.toArray(), 1e-12, "vector, step " + t);
        }
    }

    @Test
    void lambFollowsThePapersAlgorithmPerLayer() {
        double lr = 0.02, b1 = 0.9, b2 = 0.999, eps = 1e-6, wd = 0.01;
        checkLayerwise(ps -> new LAMB(ps, LAMB.DEFAULTS.withLr(lr)), 2, (t, w, g, st) -> {
            double[] m = st[0], v = st[1], r = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                r[i] = (m[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + eps) + wd * w[i];
            }
            double ratio = norm(w) / norm(r);
            for (int i = 0; i < w.length; i++) w[i] -= lr * ratio * r[i];
        });
    }

    @Test
    void larsFollowsThePapersAlgorithmPerLayer() {
        double lr = 2.0, mu = 0.9, beta = 0.0005, eta = 0.001;
        checkLayerwise(ps -> new LARS(ps, LARS.DEFAULTS.withLr(lr)), 1, (t, w, g, st) -> {
            double local = eta * norm(w) / (norm(g) + beta * norm(w));
            for (int i = 0; i < w.length; i++) {
                st[0][i] = mu * st[0][i] + lr * local * (g[i] + beta * w[i]);
                w[i] -= st[0][i];
            }
        });
    }

    @Test
    void adafactorFactorsMatricesAndFollowsThePapersAlgorithm() {
        double eps1 = 1e-30, eps2 = 1e-3;
        checkLayerwise(Adafactor::new, 1, (t, w, g, st) -> {
            double beta2 = 1 - Math.pow(t, -0.8);
            double alpha = Math.max(eps2, norm(w) / Math.sqrt(w.length)) * Math.min(1e-2, 1 / Math.sqrt(t));
            double[] vHat = new double[w.length];
            if (w.length == 6) {
                // the matrix [[w0 w1] [w2 w3] [w4 w5]]: R (3 row sums) and C (2 column sums) packed in the state row
                double[] rc = st[0];
                for (int r = 0; r < 3; r++) rc[r] = beta2 * rc[r] + (1 - beta2) * (g[2 * r] * g[2 * r] + eps1 + g[2 * r + 1] * g[2 * r + 1] + eps1);
                for (int c = 0; c < 2; c++) {
                    double sum = 0;
                    for (int r = 0; r < 3; r++) sum += g[2 * r + c] * g[2 * r + c] + eps1;
                    rc[3 + c] = beta2 * rc[3 + c] + (1 - beta2) * sum;
                }
                double total = rc[0] + rc[1] + rc[2];
                for (int i = 0; i < 6; i++) vHat[i] = rc[i / 2] * rc[3 + i % 2] / total;
            } else {
                for (int i = 0; i < w.length; i++) vHat[i] = st[0][i] = beta2 * st[0][i] + (1 - beta2) * (g[i] * g[i] + eps1);
            }
            double[] u = new double[w.length];
            for (int i = 0; i < w.length; i++) u[i] = g[i] / Math.sqrt(vHat[i]);
            double clip = Math.max(1, norm(u) / Math.sqrt(w.length) / 1.0);
            for (int i = 0; i < w.length; i++) w[i] -= alpha * u[i] / clip;
        });
    }

    @Test
    void adafactorKeepsRowsAndColumnsForAMatrix() {
        Tensor w = Tensor.zeros(5, 7).requiresGrad(true), b = Tensor.zeros(7).requiresGrad(true);
        Adafactor opt = new Adafactor(List.of(w, b));
        w.setGrad(Tensor.full(1, 5, 7));
        b.setGrad(Tensor.full(1, 7));
        opt.step();
        var wState = opt.stateDict().state().get(0).buffers();
        assertEquals(List.of(5, 7, 0), List.of(wState.get("exp_avg_sq_row").length, wState.get("exp_avg_sq_col").length, wState.get("exp_avg_sq").length));
        var bState = opt.stateDict().state().get(1).buffers();
        assertEquals(List.of(0, 0, 7), List.of(bState.get("exp_avg_sq_row").length, bState.get("exp_avg_sq_col").length, bState.get("exp_avg_sq").length));
    }

    static Stream<Arguments> convex() {
        return Stream.of(
                Arguments.of("AdaBelief", (Function<List<Tensor>, Optimizer<?>>) ps -> new AdaBelief(ps, AdaBelief.DEFAULTS.withLr(0.05))),
                Arguments.of("Yogi", (Function<List<Tensor>, Optimizer<?>>) ps -> new Yogi(ps, Yogi.DEFAULTS.withLr(0.05))),
                Arguments.of("LAMB", (Function<List<Tensor>, Optimizer<?>>) ps -> new LAMB(ps, LAMB.DEFAULTS.withLr(0.05).withWeightDecay(0))),
                Arguments.of("LARS", (Function<List<Tensor>, Optimizer<?>>) ps -> new LARS(ps, LARS.DEFAULTS.withLr(20).withWeightDecay(0))),
                Arguments.of("Adafactor", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adafactor(ps, Adafactor.DEFAULTS.withRelativeStep(false).withLr(0.05))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convex")
    void convergesOnAnIllConditionedQuadratic(String name, Function<List<Tensor>, Optimizer<?>> make) {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        Optimizer<?> opt = make.apply(List.of(p));
        Problems.run(opt, "quadratic", p, 500);
        double loss = Problems.loss("quadratic", p).item();
        assertTrue(loss < 1e-4, name + " ended at " + java.util.Arrays.toString(p.toArray()) + ", loss " + loss);
    }
}

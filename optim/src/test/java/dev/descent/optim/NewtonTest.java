package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Newton's method with the exact Hessian: one step on a quadratic, quadratic convergence, conditioning, saddles. */
class NewtonTest {
    /** f(x) = 0.5 xᵀ A x − bᵀ x with the tridiagonal A = [[2,1,0],[1,2,1],[0,1,2]] (eigenvalues 2 − √2, 2, 2 + √2). */
    private static final double[][] A = {{2, 1, 0}, {1, 2, 1}, {0, 1, 2}};
    private static final double[] B = {1, -2, 3};

    private static Tensor quadratic(Tensor x) {
        Tensor a = Tensor.matrix(A), b = Tensor.vector(B);
        return x.reshape(1, 3).matmul(a).matmul(x.reshape(3, 1)).sum().mul(0.5).sub(x.mul(b).sum());
    }

    @Test
    void oneUndampedStepSolvesAQuadratic() {
        Tensor x = Tensor.vector(10, -7, 3).requiresGrad(true);
        Newton newton = new Newton(List.of(x));
        newton.step(ps -> quadratic(ps.get(0)));
        // A x* = b, solved by hand: 2x + y = 1, x + 2y + z = −2, y + 2z = 3 give x* = (2.5, −4, 3.5)
        assertArrayEquals(new double[] {2.5, -4, 3.5}, x.toArray(), 1e-12);
    }

    @Test
    void reportsTheHessiansEigenvaluesAndConditionNumber() {
        Tensor x = Tensor.vector(0, 0, 0).requiresGrad(true);
        Newton newton = new Newton(List.of(x));
        newton.step(ps -> quadratic(ps.get(0)));
        double r = Math.sqrt(2);
        assertArrayEquals(new double[] {2 - r, 2, 2 + r}, newton.lastEigenvalues(), 1e-14);
        assertEquals((2 + r) / (2 - r), newton.lastConditionNumber(), 1e-12, "= 3 + 2√2");
        Tensor p = Tensor.vector(1, 1).requiresGrad(true);
        Newton onIllConditioned = new Newton(List.of(p));
        onIllConditioned.step(ps -> Problems.loss("quadratic", ps.get(0)));
        assertEquals(100, onIllConditioned.lastConditionNumber(), 1e-12, "0.5 (x² + 100 y²)");
    }

    @Test
    void jacobiFindsTheEigenvaluesOfARotatedDiagonalMatrix() {
        // Q diag(−3, 0.5, 7, 20) Qᵀ for a product of two plane rotations Q
        double[] values = {-3, 0.5, 7, 20};
        int n = 4;
        double c1 = Math.cos(0.7), s1 = Math.sin(0.7), c2 = Math.cos(-1.3), s2 = Math.sin(-1.3);
        double[][] q1 = {{c1, -s1, 0, 0}, {s1, c1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        double[][] q2 = {{1, 0, 0, 0}, {0, c2, 0, -s2}, {0, 0, 1, 0}, {0, s2, 0, c2}};
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) q[i][j] += q1[i][k] * q2[k][j];
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) a[i * n + j] += q[i][k] * values[k] * q[j][k];
        assertArrayEquals(values, SymmetricEigen.eigenvalues(a, n), 1e-13);
        assertEquals(20 / 0.5, SymmetricEigen.conditionNumber(values), 1e-12);
    }

    /** Σ (eˣⁱ − xᵢ) + 0.5 (x₀ − x₁)²: strongly convex near its minimum at 0, and not quadratic. */
    private static Tensor convex(List<Tensor> ps) {
        Tensor x = ps.get(0);
        Tensor d = x.slice(0, 0, 1).sub(x.slice(0, 1, 2));
        return x.exp().sub(x).sum().add(d.square().sum().mul(0.5));
    }

    @Test
    void convergesQuadraticallyOnAStronglyConvexProblem() {
        Tensor x = Tensor.vector(1.0, -0.5).requiresGrad(true);
        Newton newton = new Newton(List.of(x));
        List<Double> errors = new ArrayList<>();
        errors.add(norm(x.toArray()));
        while (errors.get(errors.size() - 1) > 1e-12 && errors.size() < 20) {
            newton.step(NewtonTest::convex);
            errors.add(norm(x.toArray()));
        }
        // measured: e_k = 1.12, 0.434, 0.0607, 1.29e-3, 5.87e-7, then below 1e-12; e_{k+1}/e_k² = 0.35, 0.32, 0.35, 0.35, 0.35
        // (they settle to a constant: the hallmark of quadratic convergence)
        StringBuilder shown = new StringBuilder();
        for (int k = 0; k + 1 < errors.size(); k++) {
            double ratio = errors.get(k + 1) / (errors.get(k) * errors.get(k));
            shown.append(String.format("e_%d = %.3e, e_%d / e_%d² = %.3f%n", k, errors.get(k), k + 1, k, ratio));
            if (errors.get(k + 1) > 1e-13) assertTrue(ratio < 1, "quadratic convergence: " + shown);
        }
        System.out.print(shown);
        assertTrue(errors.size() <= 8, "converged to 1e-12 in " + (errors.size() - 1) + " steps:\n" + shown);
        assertTrue(errors.get(errors.size() - 1) <= 1e-12);
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    @Test
    void undampedNewtonGoesToTheSaddleWhileEnoughDampingGoesDownhill() {
        Function<List<Tensor>, Tensor> saddle = ps -> Problems.loss("saddle", ps.get(0));
        Tensor x = Tensor.vector(1.0, 0.01).requiresGrad(true);
        Newton undamped = new Newton(List.of(x));
        undamped.step(saddle);
        assertArrayEquals(new double[] {0, 0}, x.toArray(), 1e-15, "x² − y² has its only stationary point, a saddle, at 0");
        assertArrayEquals(new double[] {-2, 2}, undamped.lastEigenvalues(), 1e-15);

        // λ = 3 > 2 = −(most negative eigenvalue): H + λI = diag(5, 1) is positive definite, d = (−0.4 x, 2 y)
        Tensor y = Tensor.vector(1.0, 0.01).requiresGrad(true);
        Newton damped = new Newton(List.of(y), Newton.Options.damped(3));
        double previous = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 5; t++) {
            double loss = damped.step(saddle);
            assertTrue(loss < previous, "the loss decreases");
            previous = loss;
        }
        assertEquals(0.01 * Math.pow(3, 5), y.toArray()[1], 1e-12, "y moves away from the saddle by a factor 3 per step");
        assertEquals(Math.pow(0.6, 5), y.toArray()[0], 1e-12);

        Tensor z = Tensor.vector(1.0, 0.01).requiresGrad(true);
        Newton lm = new Newton(List.of(z), Newton.Options.levenbergMarquardt(1e-3));
        double before = Problems.loss("saddle", z).item();
        lm.step(saddle);
        assertTrue(lm.damping() > 2 * 0.1, "Levenberg–Marquardt raised λ past 2 to make H + λI positive definite: " + lm.damping());
        assertTrue(Problems.loss("saddle", z).item() < before);
    }

    @Test
    void levenbergMarquardtConvergesOnRosenbrockMonotonically() {
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        Newton lm = new Newton(List.of(p), Newton.Options.levenbergMarquardt(1.0));
        double previous = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 40; t++) {
            double loss = lm.step(ps -> Problems.loss("rosenbrock", ps.get(0)));
            assertTrue(loss <= previous, "step " + t);
            previous = loss;
        }
        assertArrayEquals(new double[] {1, 1}, p.toArray(), 1e-8);
    }

    @Test
    void aSingularSystemIsAClearErrorAndChangesNothing() {
        Tensor p = Tensor.vector(1.0, 2.0).requiresGrad(true);
        Function<List<Tensor>, Tensor> flat = ps -> ps.get(0).sum().square(); // (x + y)²: H = [[2, 2], [2, 2]]
        Newton newton = new Newton(List.of(p));
        var e = assertThrows(ArithmeticException.class, () -> newton.step(flat));
        assertTrue(e.getMessage().startsWith("Newton: H + λI is singular (λ = 0.0"), e.getMessage());
        assertArrayEquals(new double[] {1, 2}, p.toArray(), 0.0);
        Newton damped = new Newton(List.of(p), Newton.Options.damped(1e-3));
        damped.step(flat);
        // H = 2·11ᵀ, g = 2 (x + y)·1, so (H + λI) d = −g moves x + y from 3 to 3 λ / (4 + λ)
        assertEquals(3 * 1e-3 / 4.001, p.toArray()[0] + p.toArray()[1], 1e-12);
    }

    @Test
    void worksOnSeveralParametersOfDifferentShapes() {
        // 0.5 ‖W‖² + 0.5 (b − 1)² over a 2×2 matrix and a vector: one step lands on W = 0, b = 1
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true), b = Tensor.vector(-1, 5).requiresGrad(true);
        Newton newton = new Newton(List.of(w, b));
        newton.step(ps -> ps.get(0).square().sum().mul(0.5).add(ps.get(1).sub(1).square().sum().mul(0.5)));
        assertArrayEquals(new double[] {0, 0, 0, 0}, w.toArray(), 1e-15);
        assertArrayEquals(new double[] {1, 1}, b.toArray(), 1e-15);
        assertEquals(1, newton.lastConditionNumber(), 1e-15);
    }
}

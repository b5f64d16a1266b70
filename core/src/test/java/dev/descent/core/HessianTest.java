package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HessianTest {
    /** Rosenbrock: f(x, y) = (1 - x)^2 + 100 (y - x^2)^2. */
    static Tensor rosenbrock(Tensor v) {
        Tensor x = v.slice(0, 0, 1), y = v.slice(0, 1, 2);
        return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
    }

    /** The analytic Hessian [[2 - 400 (y - 3x^2), -400x], [-400x, 200]]. */
    static double[] analytic(double x, double y) {
        return new double[] {2 - 400 * (y - 3 * x * x), -400 * x, -400 * x, 200};
    }

    @Test
    void hessianOfRosenbrockEqualsTheAnalyticOne() {
        for (double[] p : new double[][] {{-1.2, 1}, {1, 1}, {0.3, -0.7}}) {
            Tensor h = Hessian.of(HessianTest::rosenbrock, Tensor.vector(p));
            assertArrayEquals(new int[] {2, 2}, h.shape());
            assertArrayEquals(analytic(p[0], p[1]), h.toArray(), 1e-9);
        }
    }

    @Test
    void hessianVectorProductEqualsHessianTimesV() {
        Tensor x = Tensor.vector(-1.2, 1);
        Tensor v = Tensor.vector(0.5, -2);
        double[] h = analytic(-1.2, 1);
        Tensor hv = Hessian.vectorProduct(HessianTest::rosenbrock, x, v);
        assertArrayEquals(new double[] {h[0] * 0.5 + h[1] * -2, h[2] * 0.5 + h[3] * -2}, hv.toArray(), 1e-9);
    }

    @Test
    void hessianOfAMatrixFunctionIsFlattenedRowMajor() {
        // f(A) = sum(A^2 * c): H = diag(2c)
        Tensor c = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor h = Hessian.of(a -> a.square().mul(c).sum(), Tensor.zeros(2, 2));
        assertArrayEquals(new double[] {2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 6, 0, 0, 0, 0, 8}, h.toArray(), 0);
    }

    @Test
    void hessianOfALinearFunctionIsZero() {
        Tensor h = Hessian.of(a -> a.mul(3).sum(), Tensor.vector(1, 2));
        assertArrayEquals(new double[4], h.toArray(), 0);
    }

    @Test
    void nonScalarFunctionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hessian.of(a -> a.square(), Tensor.vector(1, 2)));
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[2]"), e.getMessage());
    }
}

package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.Init;

/** Small synthetic problems, each drawn from an explicit {@link Rng}. */
public final class Synthetic {
    private Synthetic() {}

    /**
     * Two interleaving half circles, as scikit-learn's {@code make_moons}: {@code n} points in {@code [n, 2]}, the first
     * {@code n/2} (rounded up) on the upper moon {@code (cos t, sin t)} with class 0, the rest on the lower moon
     * {@code (1 − cos t, 0.5 − sin t)} with class 1, for {@code t} evenly spaced in {@code [0, π]}, plus N(0, noise²) on
     * each coordinate. Targets {@code [n]} hold the classes.
     */
    public static TensorDataset twoMoons(int n, double noise, Rng rng) {
        int upper = (n + 1) / 2, lower = n - upper;
        double[] x = new double[2 * n], y = new double[n];
        for (int i = 0; i < n; i++) {
            boolean up = i < upper;
            int k = up ? i : i - upper;
            int count = up ? upper : lower;
            double t = count > 1 ? Math.PI * k / (count - 1) : 0;
            x[2 * i] = (up ? Math.cos(t) : 1 - Math.cos(t)) + noise * rng.nextGaussian();
            x[2 * i + 1] = (up ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * rng.nextGaussian();
            y[i] = up ? 0 : 1;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /**
     * {@code classes} interleaved spiral arms with {@code perClass} points each (the CS231n spiral): for class c and
     * {@code r} evenly spaced in {@code [0, 1]}, the angle is {@code 4r + 2πc/classes} plus N(0, noise²) and the point
     * {@code r·(sin θ, cos θ)}. Inputs {@code [classes·perClass, 2]}, targets the class indices.
     */
    public static TensorDataset spirals(int perClass, int classes, double noise, Rng rng) {
        int n = perClass * classes;
        double[] x = new double[2 * n], y = new double[n];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < perClass; k++) {
                int i = c * perClass + k;
                double r = perClass > 1 ? (double) k / (perClass - 1) : 0;
                double theta = 4 * r + 2 * Math.PI * c / classes + noise * rng.nextGaussian();
                x[2 * i] = r * Math.sin(theta);
                x[2 * i + 1] = r * Math.cos(theta);
                y[i] = c;
            }
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /**
     * A linear regression {@code y = x·w + b + ε}: inputs U(−1, 1) of shape {@code [n, features]}, targets {@code [n, 1]},
     * with the given {@code weights} ({@code [features]}) and {@code bias}, and ε ~ N(0, noise²).
     */
    public static TensorDataset linearRegression(int n, double[] weights, double bias, double noise, Rng rng) {
        int f = weights.length;
        Tensor x = Tensor.uniform(rng, -1, 1, n, f);
        double[] xs = x.data(), y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = bias;
            for (int j = 0; j < f; j++) s += xs[i * f + j] * weights[j];
            y[i] = s + noise * rng.nextGaussian();
        }
        return new TensorDataset(x, Tensor.of(y, n, 1));
    }

    /**
     * The matrix {@code A = Q·diag(λ)·Qᵀ} of an ill-conditioned quadratic {@code f(x) = ½·xᵀAx}, for testing optimizers:
     * the eigenvalues {@code λ} are spaced geometrically from 1 to {@code conditionNumber} and {@code Q} is a random
     * orthogonal matrix ({@link Init#orthogonal}). The minimum is at 0; gradient descent converges only for learning
     * rates below {@code 2/conditionNumber}, and slowly along the directions of small curvature.
     */
    public static Tensor illConditionedQuadratic(int dim, double conditionNumber, Rng rng) {
        if (dim < 1 || !(conditionNumber >= 1)) {
            throw new IllegalArgumentException("illConditionedQuadratic: expected dim >= 1 and conditionNumber >= 1, got " + dim + ", " + conditionNumber);
        }
        Tensor q = Init.orthogonal(Tensor.zeros(dim, dim), 1.0, rng);
        double[] lambda = new double[dim];
        for (int i = 0; i < dim; i++) lambda[i] = dim == 1 ? 1 : Math.pow(conditionNumber, (double) i / (dim - 1));
        Tensor scaled = q.mul(Tensor.of(lambda, 1, dim)); // Q·diag(λ)
        return scaled.matmul(q.t());
    }
}

package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Yogi (Zaheer, Reddi, Sachan, Kale and Kumar, "Adaptive Methods for Nonconvex Optimization", NeurIPS 2018,
 * Algorithm 2): Adam with an additive second-moment update, so the effective learning rate cannot grow abruptly when
 * the gradients shrink. Per element:
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) g
 *   v ← v − (1 − β₂) sign(v − g²) g²             (sign(0) = 0)
 *   θ ← θ − lr m / (√v + ε)
 * </pre>
 *
 * with no bias correction, as the paper's algorithm. Not in {@code torch.optim}. Defaults are the paper's (lr 1e-2,
 * betas (0.9, 0.999), ε 1e-3) with {@code v₀ = 1e-6} everywhere, the initial value of the authors' TensorFlow
 * implementation ({@code tfa.optimizers.Yogi}'s {@code initial_accumulator_value}); the paper notes that v₀ should not
 * be zero.
 */
public final class Yogi extends Optimizer<Yogi.Options> {
    /** lr 1e-2, betas (0.9, 0.999), eps 1e-3, initial accumulator 1e-6. */
    public static final Options DEFAULTS = new Options(1e-2, 0.9, 0.999, 1e-3, 1e-6);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

    /**
     * The hyperparameters of Yogi; start from {@link Yogi#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 rate of the additive second-moment update, in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param initialAccumulatorValue {@code v₀}, {@code >= 0}
     */
    public record Options(double lr, double beta1, double beta2, double eps, double initialAccumulatorValue)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps, "epsilon value");
            requireBeta(beta1, 0);
            requireBeta(beta2, 1);
            requireNonNegative(initialAccumulatorValue, "initial_accumulator_value value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, eps, initialAccumulatorValue);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, initialAccumulatorValue);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, initialAccumulatorValue);
        }

        public Options withInitialAccumulatorValue(double initialAccumulatorValue) {
            return new Options(lr, beta1, beta2, eps, initialAccumulatorValue);
        }
    }

    /** Yogi with the defaults above. */
    public Yogi(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Yogi(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    @Override
    protected void initState(State state, Options o) {
        java.util.Arrays.fill(state.buffer(1), o.initialAccumulatorValue());
    }

    /** v moves by at most (1 - beta2) g² and stays non-negative; the step is at most lr · |m| / eps. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), g2 = gmax * gmax;
        next[0] = b1 * bounds[0] + (1 - b1) * gmax;
        next[1] = bounds[1] + (1 - o.beta2()) * g2;
        return Math.max(Math.max(pmax + Math.abs(o.lr()) * next[0] / o.eps(), Math.abs(o.lr()) * next[0]), Math.max(g2, next[1]));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double b1 = o.beta1(), b2 = o.beta2(), eps = o.eps(), lr = o.lr();
        double[] m = s.buffer(0), v = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.yogi(p, g, m, v, n, b1, b2, eps, lr);
        return update(p, g, m, v, 0, n, b1, b2, eps, lr);
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] m, double[] v, int from, int to, double b1, double b2, double eps, double lr) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double g2 = g[i] * g[i];
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] -= (1 - b2) * Math.signum(v[i] - g2) * g2;
            p[i] -= lr * m[i] / (Math.sqrt(v[i]) + eps);
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

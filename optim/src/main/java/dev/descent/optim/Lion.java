package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Lion, "evolved sign momentum" (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023, Program 1).
 * Every element moves by exactly {@code lr} (plus weight decay) in the direction of the sign of an interpolation
 * between the momentum and the gradient; the momentum is then updated with a second, slower rate. With {@code g} the
 * gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   c ← β₁ m + (1 − β₁) g
 *   θ ← θ − lr (sign(c) + λ θ)          (sign(0) = 0)
 *   m ← β₂ m + (1 − β₂) g
 * </pre>
 *
 * Not in {@code torch.optim}; the defaults are the paper's (lr 1e-4, betas (0.9, 0.99)). Because the update has unit
 * size per element, the paper recommends a learning rate 3–10 times smaller than AdamW's and a weight decay 3–10 times
 * larger.
 */
public final class Lion extends Optimizer<Lion.Options> {
    /** The paper's defaults: lr 1e-4, betas (0.9, 0.99), no weight decay. */
    public static final Options DEFAULTS = new Options(1e-4, 0.9, 0.99, 0.0, false);

    private static final List<String> BUFFERS = List.of("exp_avg");

    /**
     * The hyperparameters of Lion; start from {@link Lion#DEFAULTS}.
     *
     * @param lr learning rate (the size of every element's step), {@code >= 0}
     * @param beta1 interpolation weight of the momentum in the update direction, in [0, 1)
     * @param beta2 decay of the momentum, in [0, 1)
     * @param weightDecay decoupled weight decay coefficient {@code λ >= 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double beta1, double beta2, double weightDecay, boolean maximize) implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireBeta(beta1, 0);
            requireBeta(beta2, 1);
            requireNonNegative(weightDecay, "weight_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, weightDecay, maximize);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, weightDecay, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, weightDecay, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, beta1, beta2, weightDecay, maximize);
        }
    }

    /** Lion with the paper's defaults. */
    public Lion(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Lion(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /** The step is lr · (±1 + wd p); the momentum is a convex combination of gradients. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double b1 = o.beta1(), b2 = o.beta2();
        next[0] = b2 * bounds[0] + (1 - b2) * gmax;
        double mix = b1 * bounds[0] + (1 - b1) * gmax;
        return Math.max(pmax + Math.abs(o.lr()) * (1 + Math.abs(o.weightDecay()) * pmax), Math.max(mix, next[0]));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), b1 = o.beta1(), b2 = o.beta2(), wd = o.weightDecay();
        double[] m = s.buffer(0);
        if (vectorKernels()) return VectorUpdates.lion(p, g, m, n, lr, b1, b2, wd, o.maximize());
        return update(p, g, m, 0, n, lr, b1, b2, wd, o.maximize());
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] m, int from, int to, double lr, double b1, double b2, double wd, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            p[i] -= lr * (Math.signum(b1 * m[i] + (1 - b1) * d) + wd * p[i]);
            m[i] = b2 * m[i] + (1 - b2) * d;
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

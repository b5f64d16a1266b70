package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Adagrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization",
 * JMLR 2011), as <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adagrad.html">{@code torch.optim.Adagrad}</a>.
 * The accumulator starts at {@code initialAccumulatorValue}; at step {@code t}, with {@code g} the gradient
 * ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   lr_t ← lr / (1 + (t − 1) · lrDecay)
 *   s ← s + g²
 *   θ ← θ − lr_t · g / (√s + ε)
 * </pre>
 */
public final class Adagrad extends Optimizer<Adagrad.Options> {
    /** PyTorch's defaults: lr 1e-2, no lr decay or weight decay, accumulator starting at 0, eps 1e-10. */
    public static final Options DEFAULTS = new Options(1e-2, 0.0, 0.0, 0.0, 1e-10, false);

    private static final List<String> SUM = List.of("sum");

    /**
     * The hyperparameters of Adagrad; start from {@link Adagrad#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param lrDecay learning-rate decay per step, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
     * @param initialAccumulatorValue starting value of the sum of squared gradients, {@code >= 0}
     * @param eps added to the denominator, {@code >= 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(lrDecay, "lr_decay value");
            requireNonNegative(weightDecay, "weight_decay value");
            requireNonNegative(initialAccumulatorValue, "initial_accumulator_value value");
            requireNonNegative(eps, "epsilon value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        public Options withLrDecay(double lrDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        public Options withInitialAccumulatorValue(double initialAccumulatorValue) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        public Options withEps(double eps) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);
        }
    }

    /** Adagrad with PyTorch's defaults. */
    public Adagrad(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Adagrad(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return SUM;
    }

    @Override
    protected void initState(State s, Options o) {
        Arrays.fill(s.buffer(0), o.initialAccumulatorValue());
    }

    /** The sum grows by at most d²; the step is at most clr · |d| / eps. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double d = gmax + Math.abs(o.weightDecay()) * pmax;
        double clr = Math.abs(o.lr() / (1 + (step - 1) * o.lrDecay()));
        next[0] = bounds[0] + d * d;
        return Math.max(Math.max(pmax + clr * d / o.eps(), clr * d), next[0]);
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double wd = o.weightDecay(), eps = o.eps();
        double clr = o.lr() / (1 + (s.step() - 1) * o.lrDecay());
        double[] sum = s.buffer(0);
        if (vectorKernels()) return VectorUpdates.adagrad(p, g, sum, n, wd, eps, clr, o.maximize());
        return update(p, g, sum, 0, n, wd, eps, clr, o.maximize());
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] sum, int from, int to, double wd, double eps, double clr, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            sum[i] += d * d;
            p[i] += -clr * d / (Math.sqrt(sum[i]) + eps);
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

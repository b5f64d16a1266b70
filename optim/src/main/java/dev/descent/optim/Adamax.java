package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adamax, the infinity-norm variant of Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
 * section 7.1), as <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adamax.html">{@code torch.optim.Adamax}</a>.
 * At step {@code t}, with {@code g} the gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   m ← β₁ m + (1 − β₁) g
 *   u ← max(β₂ u, |g| + ε)
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / u
 * </pre>
 */
public final class Adamax extends Optimizer<Adamax.Options> {
    /** PyTorch's defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static final Options DEFAULTS = new Options(2e-3, 0.9, 0.999, 1e-8, 0.0, false);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_inf");

    /**
     * The hyperparameters of Adamax; start from {@link Adamax#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the infinity norm, in [0, 1)
     * @param eps added to {@code |g|}, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps, "epsilon value");
            requireBeta(beta1, 0);
            requireBeta(beta2, 1);
            requireNonNegative(weightDecay, "weight_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, eps, weightDecay, maximize);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay, maximize);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, beta1, beta2, eps, weightDecay, maximize);
        }
    }

    /** Adamax with PyTorch's defaults. */
    public Adamax(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Adamax(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /** u is at least eps, so the step is at most clr · |m| / eps. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double d = gmax + Math.abs(o.weightDecay()) * pmax, b1 = o.beta1();
        next[0] = b1 * bounds[0] + (1 - b1) * d;
        next[1] = Math.max(o.beta2() * bounds[1], d + o.eps());
        double clr = Math.abs(o.lr() / (1 - Math.pow(b1, step)));
        return Math.max(Math.max(pmax + clr * next[0] / o.eps(), clr * next[0]), next[1]);
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double b1 = o.beta1(), b2 = o.beta2(), eps = o.eps(), wd = o.weightDecay();
        double clr = o.lr() / (1 - Math.pow(b1, s.step()));
        double[] m = s.buffer(0), u = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.adamax(p, g, m, u, n, b1, b2, eps, wd, clr, o.maximize());
        return update(p, g, m, u, 0, n, b1, b2, eps, wd, clr, o.maximize());
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] m, double[] u, int from, int to, double b1, double b2, double eps, double wd,
                         double clr, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            m[i] = m[i] * b1 + (1 - b1) * d;
            u[i] = Math.max(u[i] * b2, Math.abs(d) + eps);
            p[i] += -clr * m[i] / u[i];
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), with the AMSGrad variant (Reddi et
 * al., "On the Convergence of Adam and Beyond", ICLR 2018), exactly as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html">{@code torch.optim.Adam}</a>'s single-tensor
 * implementation. At step {@code t}, with {@code g} the gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ θ                                   (L2 penalty, coupled into the gradient)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   v̂ ← max(v̂, v)                                 (amsgrad; the denominator then uses v̂)
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * Note where ε sits: it is added after the second-moment bias correction, so it is PyTorch's ε, not the paper's
 * {@code ε̂}. For weight decay decoupled from the gradient use {@link AdamW}.
 */
public final class Adam extends Optimizer<Adam.Options> {
    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, no amsgrad. */
    public static final Options DEFAULTS = new Options(1e-3, 0.9, 0.999, 1e-8, 0.0, false, false);

    private static final List<String> MOMENTS = List.of("exp_avg", "exp_avg_sq");
    private static final List<String> MOMENTS_AND_MAX = List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    /**
     * The hyperparameters of {@link Adam} and {@link AdamW} (which differ in what weight decay means and in its
     * default); start from {@link Adam#DEFAULTS} or {@link AdamW#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay weight decay coefficient {@code λ >= 0}
     * @param amsgrad normalise by the running maximum of the second moment
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize)
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
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        public Options withAmsgrad(boolean amsgrad) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }
    }

    /** Adam with PyTorch's defaults. */
    public Adam(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Adam(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return names(o);
    }

    static List<String> names(Options o) {
        return o.amsgrad() ? MOMENTS_AND_MAX : MOMENTS;
    }

    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        return bound(gmax, pmax, bounds, next, step, o, o.weightDecay(), 0.0);
    }

    /**
     * The bound of {@link #update(double[], double[], int, State, Options, double, double, boolean)}: the moments are convex
     * combinations, so they grow at most to the gradient's size (its square); the step is at most
     * lr / biasCorrection1 · |m| / eps, since the denominator is at least eps.
     */
    static double bound(double gmax, double pmax, double[] bounds, double[] next, long step, Options o, double coupledDecay,
                        double decoupledDecay) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), b2 = o.beta2();
        double p = pmax * Math.abs(1 - o.lr() * decoupledDecay);
        double d = gmax + Math.abs(coupledDecay) * p;
        next[0] = b1 * bounds[0] + (1 - b1) * d;
        next[1] = b2 * bounds[1] + (1 - b2) * d * d;
        if (o.amsgrad()) next[2] = Math.max(bounds[2], next[1]);
        double stepSize = Math.abs(o.lr()) / (1 - Math.pow(b1, step));
        double root = Math.sqrt(Math.max(next[1], o.amsgrad() ? next[2] : 0)) / Math.sqrt(1 - Math.pow(b2, step));
        return Math.max(Math.max(p + stepSize * next[0] / o.eps(), stepSize * next[0]), Math.max(d * d, root));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        return update(p, g, n, s, o, o.weightDecay(), 0.0, vectorKernels());
    }

    /**
     * The Adam update with weight decay either added to the gradient ({@code coupledDecay}, Adam) or applied to the
     * parameter before the step as {@code θ ← θ (1 − lr λ)} ({@code decoupledDecay}, AdamW); returns the largest |θ|.
     */
    static double update(double[] p, double[] g, int n, State s, Options o, double coupledDecay, double decoupledDecay, boolean vector) {
        double b1 = o.beta1(), b2 = o.beta2(), eps = o.eps();
        double biasCorrection1 = 1 - Math.pow(b1, s.step());
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, s.step()));
        double stepSize = o.lr() / biasCorrection1;
        double shrink = 1 - o.lr() * decoupledDecay;
        double[] m = s.buffer(0), v = s.buffer(1), vMax = o.amsgrad() ? s.buffer(2) : null;
        if (vector) {
            return VectorUpdates.adam(p, g, m, v, vMax, n, b1, b2, eps, stepSize, biasCorrection2Sqrt, coupledDecay, decoupledDecay, shrink, o.maximize());
        }
        return update(p, g, m, v, vMax, 0, n, b1, b2, eps, stepSize, biasCorrection2Sqrt, coupledDecay, decoupledDecay, shrink, o.maximize());
    }

    /** The reference loop over {@code [from, to)} ({@code vMax} null without amsgrad); returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] m, double[] v, double[] vMax, int from, int to, double b1, double b2, double eps,
                         double stepSize, double biasCorrection2Sqrt, double coupledDecay, double decoupledDecay, double shrink, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (decoupledDecay != 0) p[i] *= shrink;
            if (coupledDecay != 0) d += coupledDecay * p[i];
            m[i] = m[i] * b1 + (1 - b1) * d;
            v[i] = v[i] * b2 + (1 - b2) * d * d;
            double second = v[i];
            if (vMax != null) second = vMax[i] = Math.max(vMax[i], v[i]);
            // PyTorch's m / (√v / √c2 + eps) times the step, with √c2 moved to the numerator and eps: one division
            // instead of two (the update is bound by the divider), the same value to rounding
            p[i] += -stepSize * biasCorrection2Sqrt * m[i] / (Math.sqrt(second) + eps * biasCorrection2Sqrt);
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

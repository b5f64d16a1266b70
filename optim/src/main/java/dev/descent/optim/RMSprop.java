package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * RMSprop (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012), with the centered variant of Graves
 * ("Generating Sequences With Recurrent Neural Networks", 2013), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.RMSprop.html">{@code torch.optim.RMSprop}</a>. With
 * {@code g} the gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   v ← α v + (1 − α) g²
 *   ḡ ← α ḡ + (1 − α) g,   v' ← max(v − ḡ², 0)   (centered; otherwise v' = v)
 *   b ← μ b + g / (√v' + ε),  θ ← θ − lr b   (momentum μ > 0)
 *   θ ← θ − lr g / (√v' + ε)                  (no momentum)
 * </pre>
 *
 * v − ḡ² is a variance, but rounding can take it below zero (after a long run of equal gradients it is far smaller
 * than v), where PyTorch's square root gives NaN; here it is taken as 0, which changes nothing elsewhere.
 */
public final class RMSprop extends Optimizer<RMSprop.Options> {
    /** PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public static final Options DEFAULTS = new Options(1e-2, 0.99, 1e-8, 0.0, 0.0, false, false);

    // buffer lists by (momentum > 0, centered); the order fixes the buffer indices used in update
    private static final List<String> PLAIN = List.of("square_avg");
    private static final List<String> MOMENTUM = List.of("square_avg", "momentum_buffer");
    private static final List<String> CENTERED = List.of("square_avg", "grad_avg");
    private static final List<String> BOTH = List.of("square_avg", "grad_avg", "momentum_buffer");

    /**
     * The hyperparameters of RMSprop; start from {@link RMSprop#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param alpha smoothing constant {@code α >= 0}
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
     * @param momentum momentum factor {@code μ >= 0}
     * @param centered normalise by an estimate of the variance rather than the uncentered second moment
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps, "epsilon value");
            requireNonNegative(momentum, "momentum value");
            requireNonNegative(weightDecay, "weight_decay value");
            requireNonNegative(alpha, "alpha value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withAlpha(double alpha) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withEps(double eps) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withMomentum(double momentum) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withCentered(boolean centered) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }

    /** RMSprop with PyTorch's defaults. */
    public RMSprop(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public RMSprop(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        if (o.momentum() > 0) return o.centered() ? BOTH : MOMENTUM;
        return o.centered() ? CENTERED : PLAIN;
    }

    /**
     * The averages are convex combinations of d² and d; the denominator is at least eps (the centered variance is
     * clamped at 0), so the step is at most lr · |d| / eps (through the momentum buffer, mu b + |d| / eps).
     */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double d = gmax + Math.abs(o.weightDecay()) * pmax, alpha = o.alpha();
        next[0] = alpha * bounds[0] + (1 - alpha) * d * d;
        double avg2 = 0;
        if (o.centered()) {
            next[1] = alpha * bounds[1] + (1 - alpha) * d;
            avg2 = next[1] * next[1];
        }
        double dir = d / o.eps();
        if (o.momentum() > 0) {
            int b = o.centered() ? 2 : 1;
            dir = next[b] = o.momentum() * bounds[b] + dir;
        }
        return Math.max(Math.max(pmax + Math.abs(o.lr()) * dir, Math.abs(o.lr()) * d), Math.max(Math.max(next[0], avg2), d * d));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), alpha = o.alpha(), eps = o.eps(), wd = o.weightDecay(), mu = o.momentum();
        double[] sq = s.buffer(0);
        double[] avg = o.centered() ? s.buffer(1) : null;
        double[] buf = mu > 0 ? s.buffer(o.centered() ? 2 : 1) : null;
        if (vectorKernels()) return VectorUpdates.rmsprop(p, g, sq, avg, buf, n, lr, alpha, eps, wd, mu, o.maximize());
        return update(p, g, sq, avg, buf, 0, n, lr, alpha, eps, wd, mu, o.maximize());
    }

    /** The reference loop over {@code [from, to)} ({@code avg}, {@code buf} null when unused); returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] sq, double[] avg, double[] buf, int from, int to, double lr, double alpha, double eps,
                         double wd, double mu, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            sq[i] = sq[i] * alpha + (1 - alpha) * d * d;
            double var = sq[i];
            if (avg != null) {
                avg[i] = avg[i] * alpha + (1 - alpha) * d;
                var += -avg[i] * avg[i];
            }
            double denom = Math.sqrt(Math.max(var, 0.0)) + eps;
            if (buf != null) {
                buf[i] = buf[i] * mu + d / denom;
                p[i] += -lr * buf[i];
            } else {
                p[i] += -lr * d / denom;
            }
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

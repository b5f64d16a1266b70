package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman and Ginsburg, "Large Batch Training of Convolutional Networks",
 * arXiv:1708.03888, 2017, Algorithm 1): SGD with momentum whose learning rate is scaled per layer (here: per parameter
 * tensor) by the ratio of the weights' norm to the gradient's. With γ the (global) learning rate, η the trust
 * coefficient, β the weight decay and μ the momentum:
 *
 * <pre>
 *   λ_l ← η ‖θ‖ / (‖g‖ + β ‖θ‖)                  (local learning rate; 1 when ‖θ‖ or ‖g‖ is 0)
 *   v ← μ v + γ λ_l (g + β θ)
 *   θ ← θ − v
 * </pre>
 *
 * Note that γ sits inside the momentum, as in the paper (unlike {@link SGD}, whose momentum buffer excludes the
 * learning rate). Not in {@code torch.optim}. Defaults are the paper's: η 0.001, μ 0.9, β 0.0005; the paper schedules γ
 * (polynomial decay from a base of 2 to 29 for AlexNet with large batches), so the default γ is a neutral 1. The local
 * rate is 1 at a zero norm so that zero-initialised tensors can move, as the common implementations do.
 */
public final class LARS extends Optimizer<LARS.Options> {
    /** lr 1, momentum 0.9, weight decay 0.0005, trust coefficient 0.001. */
    public static final Options DEFAULTS = new Options(1.0, 0.9, 0.0005, 0.001);

    private static final List<String> BUFFERS = List.of("momentum_buffer");

    /**
     * The hyperparameters of LARS; start from {@link LARS#DEFAULTS}.
     *
     * @param lr global learning rate γ, {@code >= 0}
     * @param momentum momentum μ, {@code >= 0}
     * @param weightDecay weight decay β, {@code >= 0}
     * @param trustCoefficient η, {@code >= 0}
     */
    public record Options(double lr, double momentum, double weightDecay, double trustCoefficient) implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(momentum, "momentum value");
            requireNonNegative(weightDecay, "weight_decay value");
            requireNonNegative(trustCoefficient, "trust_coefficient");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, momentum, weightDecay, trustCoefficient);
        }

        public Options withMomentum(double momentum) {
            return new Options(lr, momentum, weightDecay, trustCoefficient);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, momentum, weightDecay, trustCoefficient);
        }

        public Options withTrustCoefficient(double trustCoefficient) {
            return new Options(lr, momentum, weightDecay, trustCoefficient);
        }
    }

    /** LARS with the paper's defaults. */
    public LARS(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public LARS(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /** The trust ratio uses the whole parameter, so a check on a copy (the first step, or a bound too large) runs on a full copy. */
    @Override
    protected boolean elementwise() {
        return false;
    }

    /**
     * The local rate times |g_i + wd p_i| is at most lr · trust · ||p|| (each term is at most its norm), and the rate
     * itself at most lr · trust · ||p|| / √(smallest positive double) when ||g|| &gt; 0, or lr.
     */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double n = 1;
        for (int d : s.shape()) n *= d;
        double lr = Math.abs(o.lr()), trust = Math.abs(o.trustCoefficient()), wd = Math.abs(o.weightDecay());
        double pNorm = Math.sqrt(n) * pmax;
        double rate = lr * Math.max(1, trust * pNorm / Math.sqrt(Double.MIN_VALUE));
        double push = Math.max(lr * trust * pNorm, lr * (gmax + wd * pmax));
        next[0] = Math.abs(o.momentum()) * bounds[0] + push;
        return Math.max(Math.max(pmax + next[0], rate), Math.max(n * Math.max(pmax * pmax, gmax * gmax), rate * (gmax + wd * pmax)));
    }

    /**
     * The gradient's check also sums its squares; the parameter's sum of squares is the one the last update computed
     * as it wrote the parameter, unless the parameter was changed since.
     */
    @Override
    protected double scan(double[] p, double[] g, int n, State s, Options o) {
        if (!s.parameterUnchanged()) s.setWork(1, Sums8.sumOfSquares(p, n, s.partials, 0, vectorKernels()));
        Sums8.clear(s.partials, 0);
        double gmax = vectorKernels() ? VectorUpdates.maxAbsAndSquares(g, n, s.partials, 0) : maxAbsAndSquares(g, 0, n, s.partials, 0);
        s.setWork(0, Sums8.total(s.partials, 0));
        return gmax;
    }

    /** The reference: the largest |g[i]| over {@code [from, to)}, adding the squares into the partial sums at {@code off}. */
    static double maxAbsAndSquares(double[] g, int from, int to, double[] partials, int off) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            if (Double.isNaN(g[i])) return Double.NaN;
            largest = Math.max(largest, Math.abs(g[i]));
            partials[off + (i & 7)] += g[i] * g[i];
        }
        return largest;
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double mu = o.momentum(), wd = o.weightDecay();
        double pNorm = Math.sqrt(s.work(1)), gNorm = Math.sqrt(s.work(0));
        double local = pNorm > 0 && gNorm > 0 ? o.trustCoefficient() * pNorm / (gNorm + wd * pNorm) : 1.0;
        double rate = o.lr() * local;
        double[] v = s.buffer(0);
        Sums8.clear(s.partials, 0);
        double largest = vectorKernels() ? VectorUpdates.lars(p, g, v, n, mu, rate, wd, s.partials, 0) : update(p, g, v, 0, n, mu, rate, wd, s.partials, 0);
        s.setWork(1, Sums8.total(s.partials, 0)); // the next scan's parameter norm
        return largest;
    }

    /** The reference loop over {@code [from, to)}, adding the squares of the new θ into the partial sums at {@code off}; returns the largest |θ|. */
    static double update(double[] p, double[] g, double[] v, int from, int to, double mu, double rate, double wd, double[] partials, int off) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] + rate * (g[i] + wd * p[i]);
            p[i] -= v[i];
            largest = Math.max(largest, Math.abs(p[i]));
            partials[off + (i & 7)] += p[i] * p[i];
        }
        return largest;
    }
}

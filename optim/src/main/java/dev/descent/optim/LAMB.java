package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * LAMB, layer-wise adaptive moments (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes", ICLR 2020, Algorithm 2): the Adam direction plus weight decay, rescaled per layer (here: per parameter
 * tensor) so that its norm is proportional to the norm of the layer's weights. At step {@code t}:
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) g,    v ← β₂ v + (1 − β₂) g²
 *   r ← (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) + λ θ
 *   θ ← θ − lr · (‖θ‖ / ‖r‖) · r                 (φ(z) = z; the ratio is 1 when ‖θ‖ or ‖r‖ is 0)
 * </pre>
 *
 * with Euclidean norms over the whole tensor. Not in {@code torch.optim}; the defaults are the paper's BERT settings
 * (lr 1e-3, betas (0.9, 0.999), ε 1e-6, λ 0.01). The ratio is 1 at a zero norm so that zero-initialised tensors
 * (biases) can move, as the common implementations do.
 */
public final class LAMB extends Optimizer<LAMB.Options> {
    /** lr 1e-3, betas (0.9, 0.999), eps 1e-6, weight decay 0.01. */
    public static final Options DEFAULTS = new Options(1e-3, 0.9, 0.999, 1e-6, 0.01);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

    /** r between the two passes of an update, as long as the largest parameter seen (not state: rebuilt every step). */
    private double[] rScratch = new double[0];

    /**
     * The hyperparameters of LAMB; start from {@link LAMB#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay weight decay {@code λ >= 0}, added to the direction before the trust ratio
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps, "epsilon value");
            requireBeta(beta1, 0);
            requireBeta(beta2, 1);
            requireNonNegative(weightDecay, "weight_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, eps, weightDecay);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay);
        }
    }

    /** LAMB with the paper's defaults. */
    public LAMB(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public LAMB(List<Tensor> params, Options options) {
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
     * m and v as Adam's; |r| is at most |m| / biasCorrection1 / eps + wd |p|. The trust ratio times r_i is at most
     * ||p|| (|r_i| &lt;= ||r||), and the ratio itself at most ||p|| / √(smallest positive double) since ||r||² &gt; 0.
     */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), b2 = o.beta2(), n = size(s);
        next[0] = b1 * bounds[0] + (1 - b1) * gmax;
        next[1] = b2 * bounds[1] + (1 - b2) * gmax * gmax;
        double r = next[0] / (1 - Math.pow(b1, step)) / o.eps() + Math.abs(o.weightDecay()) * pmax;
        double pNorm = Math.sqrt(n) * pmax, trust = Math.max(1, pNorm / Math.sqrt(Double.MIN_VALUE));
        double lr = Math.abs(o.lr());
        double scaled = next[1] / (1 - Math.pow(b2, step));
        return Math.max(Math.max(pmax + lr * Math.max(pNorm, r), lr * trust),
                Math.max(n * Math.max(pmax * pmax, r * r), Math.max(gmax * gmax, scaled)));
    }

    private static double size(State s) {
        double n = 1;
        for (int d : s.shape()) n *= d;
        return n;
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double b1 = o.beta1(), b2 = o.beta2(), eps = o.eps(), wd = o.weightDecay();
        double bc1 = 1 - Math.pow(b1, s.step()), bc2 = 1 - Math.pow(b2, s.step());
        double[] m = s.buffer(0), v = s.buffer(1), partials = s.partials;
        // first pass: the moments, r (kept in a scratch array: it costs three divisions and a square root per
        // element, more than the memory it moves) and the norm of r (and of θ, unless the last update left it in work
        // 1); the second applies r
        if (rScratch.length < n) rScratch = new double[n];
        double[] r = rScratch;
        boolean paramNorm = !s.parameterUnchanged();
        Sums8.clear(partials, 0);
        Sums8.clear(partials, Sums8.WIDTH);
        if (vectorKernels()) VectorUpdates.lambMoments(p, g, m, v, r, n, b1, b2, bc1, bc2, eps, wd, paramNorm, partials);
        else moments(p, g, m, v, r, 0, n, b1, b2, bc1, bc2, eps, wd, paramNorm, partials);
        double rNorm2 = Sums8.total(partials, 0), pNorm2 = paramNorm ? Sums8.total(partials, Sums8.WIDTH) : s.work(1);
        double trust = pNorm2 > 0 && rNorm2 > 0 ? Math.sqrt(pNorm2) / Math.sqrt(rNorm2) : 1.0;
        double step = o.lr() * trust;
        Sums8.clear(partials, 0);
        double largest = vectorKernels() ? VectorUpdates.lambApply(p, r, n, step, partials) : apply(p, r, 0, n, step, partials);
        s.setWork(1, Sums8.total(partials, 0)); // the next step's ‖θ‖²
        return largest;
    }

    /**
     * The reference first pass over {@code [from, to)}: updates the moments, writes r, and adds r² into partial sums 0
     * to 7 (and θ² into 8 to 15 when {@code paramNorm}).
     */
    static void moments(double[] p, double[] g, double[] m, double[] v, double[] r, int from, int to, double b1, double b2, double bc1,
                        double bc2, double eps, double wd, boolean paramNorm, double[] partials) {
        for (int i = from; i < to; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            r[i] = (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps) + wd * p[i];
            partials[i & 7] += r[i] * r[i];
            if (paramNorm) partials[Sums8.WIDTH + (i & 7)] += p[i] * p[i];
        }
    }

    /** The reference second pass over {@code [from, to)}: θ ← θ − step · r, adding the new θ² into partial sums 0 to 7; returns the largest |θ|. */
    static double apply(double[] p, double[] r, int from, int to, double step, double[] partials) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            p[i] -= step * r[i];
            largest = Math.max(largest, Math.abs(p[i]));
            partials[i & 7] += p[i] * p[i];
        }
        return largest;
    }
}

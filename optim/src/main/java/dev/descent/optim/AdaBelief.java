package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * AdaBelief (Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients", NeurIPS
 * 2020, Algorithm 2): Adam whose second moment tracks the variance of the gradient around its running mean (the
 * "belief") rather than its raw square, so steps are large where the gradient is predictable. At step {@code t}, per
 * element:
 *
 * <pre>
 *   θ ← θ (1 − lr λ)                              (decoupled weight decay, as the authors' implementation)
 *   m ← β₁ m + (1 − β₁) g
 *   s ← β₂ s + (1 − β₂) (g − m)² + ε
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)
 * </pre>
 *
 * Not in {@code torch.optim}. Defaults: lr 1e-3 and betas (0.9, 0.999) as the paper; ε 1e-16, the default of the
 * authors' {@code adabelief-pytorch} since 0.1 (ε enters {@code s} at every step, so it acts much larger than Adam's).
 * State names are the authors': {@code exp_avg}, {@code exp_avg_var}.
 */
public final class AdaBelief extends Optimizer<AdaBelief.Options> {
    /** lr 1e-3, betas (0.9, 0.999), eps 1e-16, no weight decay. */
    public static final Options DEFAULTS = new Options(1e-3, 0.9, 0.999, 1e-16, 0.0);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_var");

    /**
     * The hyperparameters of AdaBelief; start from {@link AdaBelief#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the mean, in [0, 1)
     * @param beta2 decay of the variance, in [0, 1)
     * @param eps added to the variance at every step and to the denominator, {@code >= 0}
     * @param weightDecay decoupled weight decay {@code λ >= 0}
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

    /** AdaBelief with the defaults above. */
    public AdaBelief(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public AdaBelief(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /** As Adam's, with the belief g - m in place of g: |g - m| is at most gmax + |m|. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), b2 = o.beta2();
        double p = pmax * Math.abs(1 - o.lr() * o.weightDecay());
        next[0] = b1 * bounds[0] + (1 - b1) * gmax;
        double diff = gmax + next[0];
        next[1] = b2 * bounds[1] + (1 - b2) * diff * diff + o.eps();
        double stepSize = Math.abs(o.lr()) / (1 - Math.pow(b1, step));
        double scaled = next[1] / (1 - Math.pow(b2, step));
        return Math.max(Math.max(p + stepSize * next[0] / o.eps(), stepSize * next[0]), Math.max(diff * diff, scaled));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double b1 = o.beta1(), b2 = o.beta2(), eps = o.eps();
        // the paper's lr / c1 · m / (√(s / c2) + eps) with √c2 moved to the numerator and eps (as Adam's): one division
        // per element instead of two, the same value to rounding
        double root = Math.sqrt(1 - Math.pow(b2, s.step()));
        double step = o.lr() / (1 - Math.pow(b1, s.step())) * root, denomEps = eps * root;
        double shrink = 1 - o.lr() * o.weightDecay();
        double[] m = s.buffer(0), v = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.adaBelief(p, g, m, v, n, b1, b2, eps, step, denomEps, shrink);
        return update(p, g, m, v, 0, n, b1, b2, eps, step, denomEps, shrink);
    }

    /**
     * The reference loop over {@code [from, to)}: {@code s} gets eps added, {@code θ −= step·m / (√s + denomEps)};
     * returns the largest |θ| written.
     */
    static double update(double[] p, double[] g, double[] m, double[] v, int from, int to, double b1, double b2, double eps, double step,
                         double denomEps, double shrink) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            if (shrink != 1) p[i] *= shrink;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            double diff = g[i] - m[i];
            v[i] = b2 * v[i] + (1 - b2) * diff * diff + eps;
            p[i] -= step * m[i] / (Math.sqrt(v[i]) + denomEps);
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

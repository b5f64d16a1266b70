package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Rectified Adam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.RAdam.html">{@code torch.optim.RAdam}</a>. At step
 * {@code t}, with {@code ρ∞ = 2 / (1 − β₂) − 1} and {@code ρₜ = ρ∞ − 2 t β₂ᵗ / (1 − β₂ᵗ)}, per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   m̂ = m / (1 − β₁ᵗ)
 *   θ ← θ − lr m̂ · r · √(1 − β₂ᵗ) / (√v + ε)     if ρₜ > 5, with r = √((ρₜ − 4)(ρₜ − 2) ρ∞ / ((ρ∞ − 4)(ρ∞ − 2) ρₜ))
 *   θ ← θ − lr m̂                                  otherwise (the variance of the adaptive rate is intractable: plain momentum SGD)
 * </pre>
 */
public final class RAdam extends Optimizer<RAdam.Options> {
    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static final Options DEFAULTS = new Options(1e-3, 0.9, 0.999, 1e-8, 0.0);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

    /**
     * The hyperparameters of RAdam; start from {@link RAdam#DEFAULTS}. (PyTorch 1.13's RAdam has no maximize.)
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
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

    /** RAdam with PyTorch's defaults. */
    public RAdam(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public RAdam(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /**
     * As Adam's; the rectification factor is at most 1 (it rises to 1 as rho_t approaches rho_inf) and so is
     * √biasCorrection2, so the step is at most lr |m| / biasCorrection1 · max(1, 1 / eps).
     */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), b2 = o.beta2();
        double d = gmax + Math.abs(o.weightDecay()) * pmax;
        next[0] = b1 * bounds[0] + (1 - b1) * d;
        next[1] = b2 * bounds[1] + (1 - b2) * d * d;
        double corrected = next[0] / (1 - Math.pow(b1, step)) * Math.abs(o.lr());
        return Math.max(pmax + corrected * Math.max(1, 1 / o.eps()), Math.max(corrected, d * d));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), b1 = o.beta1(), b2 = o.beta2(), eps = o.eps(), wd = o.weightDecay();
        long t = s.step();
        double biasCorrection1 = 1 - Math.pow(b1, t);
        double biasCorrection2 = 1 - Math.pow(b2, t);
        double rhoInf = 2 / (1 - b2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(b2, t) / biasCorrection2;
        boolean rectify = rhoT > 5;
        double rect = rectify ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        // PyTorch's m / c1 · lr · (√c2 / (√v + eps)) · rect (or m / c1 · lr unrectified) with its constant factors
        // gathered into one: one division per element instead of two, the same value to rounding
        double step = lr / biasCorrection1;
        if (rectify) step = step * Math.sqrt(biasCorrection2) * rect;
        double[] m = s.buffer(0), v = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.radam(p, g, m, v, n, b1, b2, eps, wd, step, rectify);
        return update(p, g, m, v, 0, n, b1, b2, eps, wd, step, rectify);
    }

    /**
     * The reference loop over {@code [from, to)}: {@code θ −= step·m / (√v + eps)}, or {@code θ −= step·m} unrectified;
     * returns the largest |θ| written.
     */
    static double update(double[] p, double[] g, double[] m, double[] v, int from, int to, double b1, double b2, double eps,
                         double wd, double step, boolean rectify) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = g[i];
            if (wd != 0) d += wd * p[i];
            m[i] = m[i] * b1 + (1 - b1) * d;
            v[i] = v[i] * b2 + (1 - b2) * d * d;
            if (rectify) p[i] -= m[i] * step / (Math.sqrt(v[i]) + eps);
            else p[i] -= m[i] * step;
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

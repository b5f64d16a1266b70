package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireBeta;
import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop), as
 * <a href="https://pytorch.org/docs/2.0/generated/torch.optim.NAdam.html">{@code torch.optim.NAdam}</a>, with the
 * momentum schedule {@code μₜ = β₁ (1 − ½ · 0.96^(t ψ))} ({@code ψ} the momentum decay). At step {@code t}, per
 * element:
 *
 * <pre>
 *   g ← g + λ θ
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,   d = √v / √(1 − β₂ᵗ) + ε
 *   θ ← θ − lr (1 − μₜ) / (1 − ∏ᵢ₌₁ᵗ μᵢ) · g / d − lr μₜ₊₁ / (1 − ∏ᵢ₌₁ᵗ⁺¹ μᵢ) · m / d
 * </pre>
 *
 * The running product {@code ∏ μᵢ} is per-parameter state ({@code mu_product}). This is the paper's update, the one of
 * PyTorch 2.0 and of PyTorch 1.13's multi-tensor ({@code foreach}) implementation; PyTorch 1.13's single-tensor
 * implementation multiplies {@code μₜ} into the second product twice, a bug fixed in PyTorch pull request 92699.
 */
public final class NAdam extends Optimizer<NAdam.Options> {
    /** PyTorch's defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, momentum decay 4e-3. */
    public static final Options DEFAULTS = new Options(2e-3, 0.9, 0.999, 1e-8, 0.0, 4e-3);

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");
    private static final List<String> SCALARS = List.of("mu_product");

    /**
     * The hyperparameters of NAdam; start from {@link NAdam#DEFAULTS}. (PyTorch 1.13's NAdam has no maximize.)
     *
     * @param lr learning rate, {@code >= 0}
     * @param beta1 base momentum, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
     * @param momentumDecay {@code ψ >= 0} in the momentum schedule
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps, "epsilon value");
            requireBeta(beta1, 0);
            requireBeta(beta2, 1);
            requireNonNegative(weightDecay, "weight_decay value");
            requireNonNegative(momentumDecay, "momentum_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay);
        }

        public Options withMomentumDecay(double momentumDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, momentumDecay);
        }
    }

    /** NAdam with PyTorch's defaults. */
    public NAdam(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public NAdam(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    @Override
    protected List<String> scalarNames(Options o) {
        return SCALARS;
    }

    @Override
    protected void initState(State s, Options o) {
        s.setScalar(0, 1.0);
    }

    /** The momentum coefficient of step t (Dozat's schedule as PyTorch implements it). */
    private static double mu(double b1, long t, Options o) {
        return b1 * (1 - 0.5 * Math.pow(0.96, t * o.momentumDecay()));
    }

    /** As Adam's: the denominator is at least eps, and the two step coefficients come from mu_product. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double b1 = o.beta1(), b2 = o.beta2();
        double mu = mu(b1, step, o), muNext = mu(b1, step + 1, o), muProduct = s.scalar(0) * mu;
        double gradStep = Math.abs(o.lr() * (1 - mu) / (1 - muProduct)), momentumStep = Math.abs(o.lr() * muNext / (1 - muProduct * muNext));
        double d = gmax + Math.abs(o.weightDecay()) * pmax;
        next[0] = b1 * bounds[0] + (1 - b1) * d;
        next[1] = b2 * bounds[1] + (1 - b2) * d * d;
        double root = Math.sqrt(next[1]) / Math.sqrt(1 - Math.pow(b2, step));
        double change = (gradStep * d + momentumStep * next[0]) / o.eps();
        return Math.max(Math.max(pmax + change, gradStep * d + momentumStep * next[0]), Math.max(d * d, root));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), b1 = o.beta1(), b2 = o.beta2(), eps = o.eps(), wd = o.weightDecay();
        long t = s.step();
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double mu = mu(b1, t, o), muNext = mu(b1, t + 1, o);
        double muProduct = s.scalar(0) * mu;
        s.setScalar(0, muProduct);
        // PyTorch's two addcdiv of -lr·(1 − μ)/(1 − ∏μ)·g and -lr·μ'/(1 − ∏μ·μ')·m by √v / √c2 + eps, with √c2 moved
        // to the numerators and eps (as Adam's) and both quotients over the one denominator: one division per element
        // instead of three, the same value to rounding
        double gradStep = -lr * (1 - mu) / (1 - muProduct) * biasCorrection2Sqrt;
        double momentumStep = -lr * muNext / (1 - muProduct * muNext) * biasCorrection2Sqrt;
        double denomEps = eps * biasCorrection2Sqrt;
        double[] m = s.buffer(0), v = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.nadam(p, g, m, v, n, b1, b2, wd, gradStep, momentumStep, denomEps);
        return update(p, g, m, v, 0, n, b1, b2, wd, gradStep, momentumStep, denomEps);
    }

    /**
     * The reference loop over {@code [from, to)}: {@code θ += (gradStep·g + momentumStep·m) / (√v + denomEps)}; returns
     * the largest |θ| written.
     */
    static double update(double[] p, double[] g, double[] m, double[] v, int from, int to, double b1, double b2, double wd,
                         double gradStep, double momentumStep, double denomEps) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = g[i];
            if (wd != 0) d += wd * p[i];
            m[i] = m[i] * b1 + (1 - b1) * d;
            v[i] = v[i] * b2 + (1 - b2) * d * d;
            p[i] += (gradStep * d + momentumStep * m[i]) / (Math.sqrt(v[i]) + denomEps);
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

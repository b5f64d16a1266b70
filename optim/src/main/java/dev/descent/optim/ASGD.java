package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Averaged stochastic gradient descent (Polyak and Juditsky, "Acceleration of Stochastic Approximation by Averaging",
 * SIAM J. Control Optim. 1992; the schedule of Bottou, "Stochastic Gradient Descent Tricks", 2012), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.ASGD.html">{@code torch.optim.ASGD}</a>. The step size
 * {@code ηₜ} (starting at lr) and the averaging weight {@code μₜ} (starting at 1) are per-parameter state. At step
 * {@code t}, with {@code g} the gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ_wd θ
 *   θ ← θ (1 − λ ηₜ) − ηₜ g
 *   θ̄ ← θ̄ + μₜ (θ − θ̄)     (θ̄ ← θ while μₜ = 1)
 * </pre>
 *
 * then {@code ηₜ₊₁ = lr / (1 + λ lr t)^α} and {@code μₜ₊₁ = 1 / max(1, t − t₀)}. The average {@code θ̄} is the
 * buffer {@code ax}; as in PyTorch the parameters themselves follow plain SGD and the average is only recorded.
 */
public final class ASGD extends Optimizer<ASGD.Options> {
    /** PyTorch's defaults: lr 1e-2, lambd 1e-4, alpha 0.75, t0 1e6, no weight decay. */
    public static final Options DEFAULTS = new Options(1e-2, 1e-4, 0.75, 1e6, 0.0, false);

    private static final List<String> BUFFERS = List.of("ax");
    private static final List<String> SCALARS = List.of("eta", "mu");

    /**
     * The hyperparameters of ASGD; start from {@link ASGD#DEFAULTS}.
     *
     * @param lr learning rate, {@code >= 0}
     * @param lambd decay term {@code λ}
     * @param alpha power {@code α} of the step-size decay
     * @param t0 step at which averaging starts
     * @param weightDecay L2 penalty coefficient, {@code >= 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double lambd, double alpha, double t0, double weightDecay, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(weightDecay, "weight_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }

        public Options withLambd(double lambd) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }

        public Options withAlpha(double alpha) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }

        public Options withT0(double t0) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, lambd, alpha, t0, weightDecay, maximize);
        }
    }

    /** ASGD with PyTorch's defaults. */
    public ASGD(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public ASGD(List<Tensor> params, Options options) {
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
        s.setScalar(0, o.lr());
        s.setScalar(1, 1.0);
    }

    /** eta and mu are the state's scalars; the average moves toward the new parameter by mu. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double eta = Math.abs(s.scalar(0)), mu = Math.abs(s.scalar(1));
        double d = gmax + Math.abs(o.weightDecay()) * pmax;
        double p = pmax * Math.abs(1 - o.lambd() * s.scalar(0)) + eta * d;
        next[0] = s.scalar(1) != 1 ? bounds[0] + (p + bounds[0]) * mu : p;
        return Math.max(Math.max(p, next[0]), eta * d);
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double eta = s.scalar(0), mu = s.scalar(1), wd = o.weightDecay();
        double shrink = 1 - o.lambd() * eta;
        double[] ax = s.buffer(0);
        double largest = vectorKernels() ? VectorUpdates.asgd(p, g, ax, n, eta, mu, wd, shrink, o.maximize())
                : update(p, g, ax, 0, n, eta, mu, wd, shrink, o.maximize());
        long t = s.step();
        s.setScalar(0, o.lr() / Math.pow(1 + o.lambd() * o.lr() * t, o.alpha()));
        s.setScalar(1, 1 / Math.max(1, t - o.t0()));
        return largest;
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] ax, int from, int to, double eta, double mu, double wd, double shrink, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            p[i] *= shrink;
            p[i] += -eta * d;
            ax[i] = mu != 1 ? ax[i] + (p[i] - ax[i]) * mu : p[i];
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

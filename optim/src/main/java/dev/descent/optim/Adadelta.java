package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adadelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Adadelta.html">{@code torch.optim.Adadelta}</a>. With
 * {@code g} the gradient ({@code -g} when maximizing), per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   v ← ρ v + (1 − ρ) g²
 *   Δ ← √(u + ε) / √(v + ε) · g
 *   u ← ρ u + (1 − ρ) Δ²
 *   θ ← θ − lr Δ
 * </pre>
 *
 * The paper has no learning rate ({@code lr = 1}, PyTorch's default, recovers it).
 */
public final class Adadelta extends Optimizer<Adadelta.Options> {
    /** PyTorch's defaults: lr 1.0, rho 0.9, eps 1e-6, no weight decay. */
    public static final Options DEFAULTS = new Options(1.0, 0.9, 1e-6, 0.0, false);

    private static final List<String> BUFFERS = List.of("square_avg", "acc_delta");

    /**
     * The hyperparameters of Adadelta; start from {@link Adadelta#DEFAULTS}.
     *
     * @param lr scale of the update, {@code >= 0}
     * @param rho decay of both running averages, in [0, 1]
     * @param eps added inside both square roots, {@code >= 0}
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double rho, double eps, double weightDecay, boolean maximize) implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            if (!(rho >= 0.0 && rho <= 1.0)) throw new IllegalArgumentException("Invalid rho value: " + rho);
            requireNonNegative(eps, "epsilon value");
            requireNonNegative(weightDecay, "weight_decay value");
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        public Options withRho(double rho) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        public Options withEps(double eps) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, rho, eps, weightDecay, maximize);
        }
    }

    /** Adadelta with PyTorch's defaults. */
    public Adadelta(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Adadelta(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    /** delta is at most √(u + eps) / √eps · |d|; both averages are convex combinations of squares. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        if (!(o.eps() > 0)) return Double.POSITIVE_INFINITY;
        double d = gmax + Math.abs(o.weightDecay()) * pmax, rho = o.rho();
        next[0] = rho * bounds[0] + (1 - rho) * d * d;
        double ratio = Math.sqrt(bounds[1] + o.eps()) / Math.sqrt(o.eps()), delta = ratio * d;
        next[1] = rho * bounds[1] + (1 - rho) * delta * delta;
        return Math.max(Math.max(pmax + Math.abs(o.lr()) * delta, ratio), Math.max(Math.max(next[0], next[1]), Math.max(d * d, delta * delta)));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), rho = o.rho(), eps = o.eps(), wd = o.weightDecay();
        double[] v = s.buffer(0), u = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.adadelta(p, g, v, u, n, lr, rho, eps, wd, o.maximize());
        return update(p, g, v, u, 0, n, lr, rho, eps, wd, o.maximize());
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] v, double[] u, int from, int to, double lr, double rho, double eps, double wd,
                         boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            v[i] = v[i] * rho + (1 - rho) * d * d;
            // PyTorch's √(u + eps) / √(v + eps) as one square root of the quotient: two divider operations per element
            // instead of three, the same value to rounding
            double delta = Math.sqrt((u[i] + eps) / (v[i] + eps)) * d;
            u[i] = u[i] * rho + (1 - rho) * delta * delta;
            p[i] += -lr * delta;
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

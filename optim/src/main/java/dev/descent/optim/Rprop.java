package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Resilient backpropagation (Riedmiller and Braun, "A Direct Adaptive Method for Faster Backpropagation Learning: The
 * RPROP Algorithm", ICNN 1993), as <a href="https://pytorch.org/docs/1.13/generated/torch.optim.Rprop.html">{@code
 * torch.optim.Rprop}</a>: only the sign of the gradient is used, with a per-element step size that grows while the
 * sign holds and shrinks when it flips. With {@code g} the gradient ({@code -g} when maximizing) and {@code g'} the
 * one remembered from the previous step (initially 0), per element:
 *
 * <pre>
 *   η ← η₊ if g g' &gt; 0,   η₋ if g g' &lt; 0,   1 otherwise
 *   s ← clamp(s η, stepMin, stepMax)             (s starts at lr)
 *   g ← 0 if g g' &lt; 0                             (after a sign flip, no move and no memory of it)
 *   θ ← θ − sign(g) s,   g' ← g
 * </pre>
 *
 * This is the variant without weight backtracking (Rprop⁻), as PyTorch; it is meant for full-batch gradients.
 */
public final class Rprop extends Optimizer<Rprop.Options> {
    /** PyTorch's defaults: lr 1e-2, etas (0.5, 1.2), step sizes (1e-6, 50). */
    public static final Options DEFAULTS = new Options(1e-2, 0.5, 1.2, 1e-6, 50, false);

    private static final List<String> BUFFERS = List.of("prev", "step_size");

    /**
     * The hyperparameters of Rprop; start from {@link Rprop#DEFAULTS}.
     *
     * @param lr initial step size, {@code >= 0}
     * @param etaMinus shrink factor after a sign flip; {@code 0 < etaMinus < 1 < etaPlus}
     * @param etaPlus growth factor while the sign holds
     * @param stepSizeMin smallest step size
     * @param stepSizeMax largest step size
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double etaMinus, double etaPlus, double stepSizeMin, double stepSizeMax, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            if (!(0.0 < etaMinus && etaMinus < 1.0 && 1.0 < etaPlus)) {
                throw new IllegalArgumentException("Invalid eta values: " + etaMinus + ", " + etaPlus);
            }
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, etaMinus, etaPlus, stepSizeMin, stepSizeMax, maximize);
        }

        public Options withEtas(double etaMinus, double etaPlus) {
            return new Options(lr, etaMinus, etaPlus, stepSizeMin, stepSizeMax, maximize);
        }

        public Options withStepSizes(double stepSizeMin, double stepSizeMax) {
            return new Options(lr, etaMinus, etaPlus, stepSizeMin, stepSizeMax, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, etaMinus, etaPlus, stepSizeMin, stepSizeMax, maximize);
        }
    }

    /** Rprop with PyTorch's defaults. */
    public Rprop(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Rprop(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    @Override
    protected void initState(State s, Options o) {
        Arrays.fill(s.buffer(1), o.lr());
    }

    /** The step sizes are clamped to at most stepSizeMax; the previous gradient is the gradient or 0. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double grown = bounds[1] * Math.max(Math.abs(o.etaPlus()), Math.max(Math.abs(o.etaMinus()), 1));
        next[0] = gmax;
        next[1] = Math.max(Math.min(grown, Math.abs(o.stepSizeMax())), Math.abs(o.stepSizeMin()));
        return Math.max(pmax + next[1], Math.max(grown, gmax * bounds[0]));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double[] prev = s.buffer(0), step = s.buffer(1);
        if (vectorKernels()) return VectorUpdates.rprop(p, g, prev, step, n, o.etaMinus(), o.etaPlus(), o.stepSizeMin(), o.stepSizeMax(), o.maximize());
        return update(p, g, prev, step, 0, n, o.etaMinus(), o.etaPlus(), o.stepSizeMin(), o.stepSizeMax(), o.maximize());
    }

    /** The reference loop over {@code [from, to)}; returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] prev, double[] step, int from, int to, double etaMinus, double etaPlus,
                         double stepSizeMin, double stepSizeMax, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            double agreement = d * prev[i];
            double eta = agreement > 0 ? etaPlus : agreement < 0 ? etaMinus : 1.0;
            step[i] = Math.min(Math.max(step[i] * eta, stepSizeMin), stepSizeMax);
            if (agreement < 0) d = 0;
            p[i] += -Math.signum(d) * step[i];
            prev[i] = d;
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

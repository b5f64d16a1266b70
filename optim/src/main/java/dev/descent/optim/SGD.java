package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum (Polyak's heavy ball, or Nesterov's), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html">{@code torch.optim.SGD}</a>. With
 * {@code g} the gradient ({@code -g} when maximizing), {@code λ} the weight decay, {@code μ} the momentum and
 * {@code τ} the dampening, per element:
 *
 * <pre>
 *   g ← g + λ θ
 *   b ← g                          on the first step
 *   b ← μ b + (1 − τ) g            after it
 *   g ← g + μ b   (nesterov)   or   g ← b
 *   θ ← θ − lr g
 * </pre>
 *
 * <p>Momentum is applied to the gradient before the learning rate, as PyTorch (and unlike Sutskever et al., "On the
 * importance of initialization and momentum in deep learning", ICML 2013, who scale the gradient by lr inside the
 * velocity); the two differ only when the learning rate changes. Nesterov momentum follows that paper's reformulation.
 *
 * <p><b>Full-batch, stochastic and mini-batch gradient descent are all this class.</b> They differ only in the loss
 * whose gradient is fed to {@link #step()}: over the whole training set (batch gradient descent), over one example
 * (stochastic gradient descent, batch size 1) or over a mini-batch of {@code B} examples. Drive the same {@code SGD}
 * with a data loader of the batch size you want.
 */
public final class SGD extends Optimizer<SGD.Options> {
    private static final List<String> NO_BUFFERS = List.of();
    private static final List<String> MOMENTUM = List.of("momentum_buffer");

    /**
     * The hyperparameters of SGD; {@link #lr(double)} gives PyTorch's defaults (no momentum, dampening or weight
     * decay) for a learning rate, which SGD requires.
     *
     * @param lr learning rate, {@code >= 0}
     * @param momentum momentum factor {@code μ >= 0}
     * @param dampening dampening {@code τ} of the gradient in the momentum buffer
     * @param weightDecay L2 penalty coefficient {@code λ >= 0}, added to the gradient
     * @param nesterov Nesterov momentum; needs {@code μ > 0} and {@code τ = 0}
     * @param maximize ascend the objective instead of descending it
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(momentum, "momentum value");
            requireNonNegative(weightDecay, "weight_decay value");
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
            }
        }

        /** PyTorch's defaults with the given learning rate. */
        public static Options lr(double lr) {
            return new Options(lr, 0.0, 0.0, 0.0, false, false);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options withMomentum(double momentum) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options withDampening(double dampening) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options withNesterov(boolean nesterov) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options withMaximize(boolean maximize) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, Options.lr(lr));
    }

    public SGD(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return o.momentum() != 0 ? MOMENTUM : NO_BUFFERS;
    }

    /** |d| &lt;= gmax + wd pmax, the buffer mu b + (1 - dampening) d, the step d + mu b' (Nesterov) or b'. */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double d = gmax + Math.abs(o.weightDecay()) * pmax, dir = d;
        if (o.momentum() != 0) {
            double mu = Math.abs(o.momentum());
            next[0] = step == 1 ? d : mu * bounds[0] + Math.abs(1 - o.dampening()) * d;
            dir = o.nesterov() ? d + mu * next[0] : next[0];
        }
        return Math.max(pmax + Math.abs(o.lr()) * dir, dir);
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        double lr = o.lr(), mu = o.momentum(), wd = o.weightDecay(), keep = 1 - o.dampening();
        boolean first = s.step() == 1;
        double[] b = mu != 0 ? s.buffer(0) : null;
        if (vectorKernels()) return VectorUpdates.sgd(p, g, b, n, lr, mu, wd, keep, first, o.nesterov(), o.maximize());
        return update(p, g, b, 0, n, lr, mu, wd, keep, first, o.nesterov(), o.maximize());
    }

    /** The reference loop over {@code [from, to)} ({@code b} null without momentum); returns the largest |θ| written. */
    static double update(double[] p, double[] g, double[] b, int from, int to, double lr, double mu, double wd, double keep, boolean first,
                         boolean nesterov, boolean maximize) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) d += wd * p[i];
            if (b != null) {
                b[i] = first ? d : b[i] * mu + keep * d;
                d = nesterov ? d + mu * b[i] : b[i];
            }
            p[i] += -lr * d;
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

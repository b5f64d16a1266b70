package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Gradient descent with Armijo backtracking line search (Armijo, "Minimization of functions having Lipschitz
 * continuous first partial derivatives", Pacific J. Math. 16, 1966; Nocedal and Wright, "Numerical Optimization", 2nd
 * ed., Algorithm 3.1). With {@code x} all parameters, {@code f₀} and {@code g} the loss and gradient at the start of a
 * step, it tries {@code t = lr, lr·shrink, lr·shrink², …} and takes the first step that satisfies the Armijo
 * (sufficient decrease) condition
 *
 * <pre>
 *   f(x − t g) &lt;= f₀ − c · t · ‖g‖²
 * </pre>
 *
 * Defaults: initial step {@code lr} 1 (every step starts again from it), {@code c} 1e-4, {@code shrink} 0.5, at most
 * 60 halvings. For a gradient that is Lipschitz with constant L the condition holds for every {@code t <= 2(1 − c)/L},
 * so the search ends with {@code t > shrink · 2(1 − c)/L} or at lr. If no trial step is accepted (a wrong
 * gradient, or a loss that is not smooth), the parameters are restored exactly (copied back, not recomputed as
 * {@code x − 0·g}) and {@link IllegalStateException} is thrown. A zero gradient takes no step. A loss or gradient
 * that is not finite where the step begins throws at once, changing nothing; a trial step whose loss is not finite is
 * rejected like any other that fails the condition (NaN compares false), so the search shortens it.
 *
 * <p>Driven only through {@link #step(Supplier)}: the closure zeroes the gradients, recomputes the loss under a tape,
 * fills the gradients and returns the loss; it is called once at the start of the step and once per trial step.
 * All parameters form one vector: one group, as {@link LBFGS}.
 */
public final class BacktrackingLineSearch extends ClosureOptimizer<BacktrackingLineSearch.Options> {
    /** Initial step 1, c 1e-4, shrink 0.5, at most 60 shrinks. */
    public static final Options DEFAULTS = new Options(1.0, 1e-4, 0.5, 60);

    /**
     * The hyperparameters of Armijo backtracking.
     *
     * @param lr the initial (largest) step length tried at every step, {@code > 0}
     * @param c the sufficient-decrease constant, in (0, 1)
     * @param shrink the factor applied to a rejected step length, in (0, 1)
     * @param maxShrinks trial steps after the first before giving up, {@code >= 0}
     */
    public record Options(double lr, double c, double shrink, int maxShrinks) implements Hyperparameters<Options> {
        public Options {
            if (!(lr > 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(c > 0 && c < 1)) throw new IllegalArgumentException("Invalid Armijo constant c: " + c);
            if (!(shrink > 0 && shrink < 1)) throw new IllegalArgumentException("Invalid shrink factor: " + shrink);
            if (maxShrinks < 0) throw new IllegalArgumentException("Invalid max_shrinks: " + maxShrinks);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, c, shrink, maxShrinks);
        }

        public Options withC(double c) {
            return new Options(lr, c, shrink, maxShrinks);
        }

        public Options withShrink(double shrink) {
            return new Options(lr, c, shrink, maxShrinks);
        }

        public Options withMaxShrinks(int maxShrinks) {
            return new Options(lr, c, shrink, maxShrinks);
        }
    }

    private double lastStepSize = Double.NaN;
    private int lastEvaluations;

    /** With the defaults above. */
    public BacktrackingLineSearch(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public BacktrackingLineSearch(List<Tensor> params, Options options) {
        super(params, options);
    }

    /** The step length {@code t} accepted by the last step (0 if its gradient was zero). */
    public double lastStepSize() {
        return lastStepSize;
    }

    /** The closure evaluations of the last step (1 + the number of trial steps). */
    public int lastEvaluations() {
        return lastEvaluations;
    }

    /** Takes one Armijo step; returns the loss at its start. */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        Objects.requireNonNull(closure, "closure");
        List<Tensor> params = onlyGroupParams();
        Options o = paramGroups().get(0).options();
        Tensor loss = evaluate(closure);
        double f0 = loss.item();
        double[] x = flatParams(params), g = flatGrad(params);
        checkStart(f0, g);
        double gg = 0;
        for (double v : g) gg += v * v;
        int evaluations = 1;
        if (gg == 0) {
            lastStepSize = 0;
            lastEvaluations = evaluations;
            return loss;
        }
        double t = o.lr();
        try {
            for (int trial = 0; trial <= o.maxShrinks(); trial++, t *= o.shrink()) {
                set(params, x, t, g);
                double f = evaluate(closure).item();
                evaluations++;
                if (f <= f0 - o.c() * t * gg) {
                    lastStepSize = t;
                    lastEvaluations = evaluations;
                    return loss;
                }
            }
        } catch (RuntimeException | Error e) {
            setParams(params, x);
            throw e;
        }
        setParams(params, x);
        throw new IllegalStateException("BacktrackingLineSearch: no step down to " + t / o.shrink() + " satisfied the Armijo condition from loss "
                + f0 + " (‖g‖² = " + gg + "); is the gradient that of the loss?");
    }

    /** x − t g into the parameters. */
    private static void set(List<Tensor> params, double[] x, double t, double[] g) {
        int offset = 0;
        for (Tensor p : params) {
            double[] data = p.data();
            for (int i = 0; i < p.size(); i++) data[i] = x[offset + i] - t * g[offset + i];
            offset += p.size();
            p.markModified();
        }
    }
}

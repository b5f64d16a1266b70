package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * An optimizer that evaluates the loss several times per step (line searches, L-BFGS), so it steps only through
 * {@link #step(Supplier)}, works on one parameter group viewed as a single flat vector, and keeps no per-parameter
 * buffers.
 */
abstract class ClosureOptimizer<H extends Hyperparameters<H>> extends Optimizer<H> {

    ClosureOptimizer(List<Tensor> params, H defaults) {
        super(params, defaults);
    }

    @Override
    protected final List<String> bufferNames(H options) {
        return List.of();
    }

    @Override
    protected final double update(double[] param, double[] grad, int n, State state, H options) {
        throw new AssertionError(getClass().getSimpleName() + " steps only through step(closure)");
    }

    /** Always throws: this optimizer evaluates the loss several times per step, so it needs {@link #step(Supplier)}. */
    @Override
    public final void step() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " needs a closure that recomputes the loss: call step(closure)");
    }

    @Override
    public abstract Tensor step(Supplier<Tensor> closure);

    /** The parameters of the single group; more than one group is an error, as in PyTorch's L-BFGS. */
    final List<Tensor> onlyGroupParams() {
        if (paramGroups().size() != 1) {
            throw new IllegalStateException(getClass().getSimpleName() + " doesn't support per-parameter options (parameter groups)");
        }
        return paramGroups().get(0).params();
    }

    static int numel(List<Tensor> params) {
        int n = 0;
        for (Tensor p : params) n += p.size();
        return n;
    }

    /** All parameters' values as one vector, in list order, each row-major. */
    static double[] flatParams(List<Tensor> params) {
        double[] out = new double[numel(params)];
        int offset = 0;
        for (Tensor p : params) {
            System.arraycopy(p.data(), 0, out, offset, p.size());
            offset += p.size();
        }
        return out;
    }

    /** Copies the flat vector {@code x} back into the parameters, exactly. */
    static void setParams(List<Tensor> params, double[] x) {
        int offset = 0;
        for (Tensor p : params) {
            System.arraycopy(x, offset, p.data(), 0, p.size());
            offset += p.size();
            p.markModified();
        }
    }

    /**
     * Throws {@link IllegalStateException} unless the objective {@code f} and its flat gradient {@code g} where the
     * step begins are finite; nothing has been changed at that point.
     */
    final void checkStart(double f, double[] g) {
        String name = getClass().getSimpleName();
        if (!Double.isFinite(f)) {
            throw new IllegalStateException(name + ": the objective is " + f + " where the step begins; nothing was changed");
        }
        for (int i = 0; i < g.length; i++) {
            if (!Double.isFinite(g[i])) {
                throw new IllegalStateException(name + ": the gradient of the objective is " + g[i] + " at element " + i
                        + " (of the parameters flattened in order) where the step begins; nothing was changed");
            }
        }
    }

    /** All parameters' gradients as one vector (zeros where a parameter has none). */
    static double[] flatGrad(List<Tensor> params) {
        double[] out = new double[numel(params)];
        int offset = 0;
        for (Tensor p : params) {
            if (p.grad() != null) System.arraycopy(p.grad().data(), 0, out, offset, p.size());
            offset += p.size();
        }
        return out;
    }
}

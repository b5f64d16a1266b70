package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html">{@code torch.optim.AdamW}</a>: before the
 * {@link Adam} update (which then sees the raw gradient), every parameter shrinks as
 *
 * <pre>
 *   θ ← θ (1 − lr λ)
 * </pre>
 *
 * so the decay is not rescaled by the adaptive denominator. It takes {@link Adam.Options}; its defaults differ from
 * Adam's only in {@code weightDecay = 1e-2}.
 */
public final class AdamW extends Optimizer<Adam.Options> {
    /** PyTorch's defaults: Adam's, with weight decay 1e-2. */
    public static final Adam.Options DEFAULTS = Adam.DEFAULTS.withWeightDecay(1e-2);

    /** AdamW with PyTorch's defaults. */
    public AdamW(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public AdamW(List<Tensor> params, Adam.Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Adam.Options o) {
        return Adam.names(o);
    }

    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Adam.Options o) {
        return Adam.bound(gmax, pmax, bounds, next, step, o, 0.0, o.weightDecay());
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Adam.Options o) {
        return Adam.update(p, g, n, s, o, 0.0, o.weightDecay(), vectorKernels());
    }
}

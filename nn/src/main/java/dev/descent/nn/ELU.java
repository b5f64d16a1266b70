package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x} for {@code x > 0} and {@code alpha·(eˣ − 1)} otherwise (Clevert et al., 2015), as PyTorch's {@code nn.ELU}. */
public final class ELU extends Module {
    private final double alpha;

    /** PyTorch's default, alpha = 1. */
    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.elu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}

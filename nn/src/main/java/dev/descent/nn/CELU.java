package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code max(0, x) + min(0, alpha·(e^(x/alpha) − 1))} (Barron, 2017), as PyTorch's {@code nn.CELU} (default alpha 1). */
public final class CELU extends Module {
    private final double alpha;

    /** PyTorch's default, alpha = 1. */
    public CELU() {
        this(1.0);
    }

    public CELU(double alpha) {
        if (alpha == 0) throw new IllegalArgumentException("CELU: alpha must not be 0");
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.celu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}

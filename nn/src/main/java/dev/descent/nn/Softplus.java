package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * Elementwise {@code log(1 + e^(βx))/β}, and {@code x} itself where {@code βx > threshold}, as PyTorch's
 * {@code nn.Softplus} (defaults β = 1, threshold = 20).
 */
public final class Softplus extends Module {
    private final double beta;
    private final double threshold;

    /** PyTorch's defaults, beta = 1 and threshold = 20. */
    public Softplus() {
        this(1, 20);
    }

    public Softplus(double beta, double threshold) {
        if (!(beta > 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("Softplus: expected a finite beta > 0, got " + beta);
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softplus(beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}

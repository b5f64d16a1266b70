package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise clamp into [minVal, maxVal], as PyTorch's {@code nn.Hardtanh} (gradient 0 on the bounds; defaults −1, 1). */
public final class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    /** PyTorch's defaults, [−1, 1]. */
    public Hardtanh() {
        this(-1, 1);
    }

    public Hardtanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) throw new IllegalArgumentException("Hardtanh: expected minVal <= maxVal, got " + minVal + " > " + maxVal);
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.hardtanh(minVal, maxVal);
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + minVal + ", max_val=" + maxVal;
    }
}

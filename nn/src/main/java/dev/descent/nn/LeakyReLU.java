package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x} for {@code x > 0} and {@code negativeSlope·x} otherwise, as PyTorch's {@code nn.LeakyReLU}. */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    /** PyTorch's default slope, 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negativeSlope=" + negativeSlope;
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code max(0, x); the derivative at 0 is taken as 0}, as PyTorch's {@code nn.ReLU}. */
public final class ReLU extends Module {
    /** The ReLU activation; it has no parameters. */
    public ReLU() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}

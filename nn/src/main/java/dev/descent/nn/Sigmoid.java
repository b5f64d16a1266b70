package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code 1 / (1 + e^(−x))}, as PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {
    /** The Sigmoid activation; it has no parameters. */
    public Sigmoid() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code log(1 + e^x) (PyTorch's defaults beta = 1, computed stably for large x)}, as PyTorch's {@code nn.Softplus}. */
public final class Softplus extends Module {
    /** The Softplus activation; it has no parameters. */
    public Softplus() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.softplus();
    }
}

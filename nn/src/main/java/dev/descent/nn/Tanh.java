package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code tanh(x)}, as PyTorch's {@code nn.Tanh}. */
public final class Tanh extends Module {
    /** The Tanh activation; it has no parameters. */
    public Tanh() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}

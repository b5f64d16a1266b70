package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x·σ(x), also called swish}, as PyTorch's {@code nn.SiLU}. */
public final class SiLU extends Module {
    /** The SiLU activation; it has no parameters. */
    public SiLU() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}

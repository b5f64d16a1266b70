package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x·tanh(softplus(x))} (Misra, 2019), as PyTorch's {@code nn.Mish}. */
public final class Mish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.mish();
    }
}

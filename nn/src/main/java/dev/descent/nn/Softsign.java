package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x / (1 + |x|)}, as PyTorch's {@code nn.Softsign}. */
public final class Softsign extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.softsign();
    }
}

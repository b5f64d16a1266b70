package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x·Φ(x) with Φ the standard normal CDF (the exact, erf-based form, PyTorch's default)}, as PyTorch's {@code nn.GELU}. */
public final class GELU extends Module {
    /** The GELU activation; it has no parameters. */
    public GELU() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}

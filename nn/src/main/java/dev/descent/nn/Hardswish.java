package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code x·relu6(x + 3)/6} (Howard et al., 2019), as PyTorch's {@code nn.Hardswish}. */
public final class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.hardswish();
    }
}

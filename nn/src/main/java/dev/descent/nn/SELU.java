package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code scale·elu(x, alpha)} with PyTorch's constants (Klambauer et al., 2017), as PyTorch's {@code nn.SELU}. */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.selu();
    }
}

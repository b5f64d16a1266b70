package dev.descent.nn;

import dev.descent.core.Tensor;

/** Elementwise {@code log σ(x)}, exact in both tails, as PyTorch's {@code nn.LogSigmoid}. */
public final class LogSigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.logSigmoid();
    }
}

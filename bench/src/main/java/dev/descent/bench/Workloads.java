package dev.descent.bench;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Module;

/** The forward + backward workload the layer benchmarks share. */
final class Layers {
    private Layers() {}

    /**
     * One forward and backward pass of {@code module} on {@code x} with the loss {@code sum(module(x) * w)}, so every
     * output gets its own gradient; parameter gradients and {@code x}'s are cleared first, so none accumulate.
     * Returns {@code x}'s gradient.
     */
    static Tensor forwardBackward(Module module, Tensor x, Tensor w) {
        module.zeroGrad();
        x.setGrad(null);
        try (Tape tape = Tape.record()) {
            tape.backward(module.forward(x).mul(w).sum());
        }
        return x.grad();
    }
}

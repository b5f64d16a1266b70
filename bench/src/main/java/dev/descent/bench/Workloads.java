package dev.descent.bench;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import java.util.function.Supplier;

/** The two workloads the benchmarks share: a layer's forward + backward, and a training step. */
final class Workloads {
    private Workloads() {}

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

    /**
     * One training step as a user writes it: zero the gradients, record {@code loss} and differentiate it, step
     * {@code optimizer}. Returns the loss before the step.
     */
    static double trainStep(Optimizer<?> optimizer, Supplier<Tensor> loss) {
        optimizer.zeroGrad();
        Tensor l;
        try (Tape tape = Tape.record()) {
            l = loss.get();
            tape.backward(l);
        }
        optimizer.step();
        return l.item();
    }
}

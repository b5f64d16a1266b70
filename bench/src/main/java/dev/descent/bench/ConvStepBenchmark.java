package dev.descent.bench;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Forward and backward of one {@code Conv2d(32, 64, 3, padding = 1)} with bias on a batch of 32 images of 28x28, in
 * float64: the input, weight and bias gradients of {@code (conv(x) * seed).sum()}. {@code compare_conv.py} times the
 * same in PyTorch (float64) for the same-run reference. DESIGN target: no slower than PyTorch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvStepBenchmark {
    private Tensor x, weight, bias, seed;
    private final Conv2dOptions options = Conv2dOptions.DEFAULT.padding(1);

    @Setup
    public void setup() {
        Rng rng = new Rng(7);
        double bound = 1 / Math.sqrt(32 * 9);
        x = Tensor.uniform(rng, 0, 1, 32, 32, 28, 28).requiresGrad(true);
        weight = Tensor.uniform(rng, -bound, bound, 64, 32, 3, 3).requiresGrad(true);
        bias = Tensor.uniform(rng, -bound, bound, 64).requiresGrad(true);
        seed = Tensor.uniform(rng, 0, 1, 32, 64, 28, 28);
    }

    @Benchmark
    public Tensor forwardBackward() {
        try (Tape tape = Tape.record()) {
            tape.backward(x.conv2d(weight, bias, options), seed);
        }
        Tensor g = weight.grad();
        x.setGrad(null);
        weight.setGrad(null);
        bias.setGrad(null);
        return g;
    }
}

package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Module;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Forward plus backward of {@code BatchNorm1d(256)} (training mode) and {@code LayerNorm(256)} on a {@code [128, 256]}
 * float64 batch that requires grad, seeded with a fixed output gradient. {@code compare_norm.py} times the same in
 * PyTorch for the same-run reference. DESIGN target: no slower than PyTorch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class NormBenchmark {
    @Param({"batchNorm1d", "layerNorm"})
    public String layer;

    private Module norm;
    private Tensor x, seed;

    @Setup
    public void setup() {
        Rng rng = new Rng(1);
        norm = layer.equals("batchNorm1d") ? new BatchNorm1d(256) : new LayerNorm(256);
        x = Tensor.normal(rng, 0, 1, 128, 256).requiresGrad(true);
        seed = Tensor.normal(rng, 0, 1, 128, 256);
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.setGrad(null);
        norm.zeroGrad();
        try (Tape tape = Tape.record()) {
            tape.backward(norm.forward(x), seed);
        }
        return x.grad();
    }
}

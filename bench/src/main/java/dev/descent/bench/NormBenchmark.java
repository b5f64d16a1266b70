package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Module;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Forward and backward of a normalisation layer in training mode on a {@code [batch, features]} input: the loss is
 * {@code sum(layer(x) * w)} for a fixed random {@code w}, so every output gets a different gradient. Gradients reach
 * the input and the affine parameters. {@code reference.py norm} times the same in PyTorch. Issue target: at most
 * PyTorch's time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class NormBenchmark {
    @Param({"batchnorm1d", "layernorm"})
    public String layer;

    @Param({"128"})
    public int batch;

    @Param({"256"})
    public int features;

    private Module module;
    private Tensor x, w;

    @Setup
    public void setup() {
        Rng rng = new Rng(5);
        module = switch (layer) {
            case "batchnorm1d" -> new BatchNorm1d(features);
            case "layernorm" -> new LayerNorm(features);
            default -> throw new IllegalArgumentException("NormBenchmark: layer must be batchnorm1d or layernorm, got " + layer);
        };
        x = Tensor.normal(rng, 0.5, 2, batch, features).requiresGrad(true);
        w = Tensor.normal(rng, 0, 1, batch, features);
    }

    @Benchmark
    public Tensor forwardBackward() {
        return Workloads.forwardBackward(module, x, w);
    }
}

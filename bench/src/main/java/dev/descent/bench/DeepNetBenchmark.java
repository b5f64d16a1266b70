package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.Reduction;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.optim.SGD;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One SGD step of a deep narrow net, {@code depth} x (Linear(width, width) + Tanh), MSE against a fixed random
 * target, batch 64, float64: small matrices, so the per-op cost of the tape and the kernels' start-up dominate.
 * {@code reference.py deep} times the same step in PyTorch. Issue target: at most 0.6 of PyTorch's time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DeepNetBenchmark {
    @Param({"20"})
    public int depth;

    @Param({"64"})
    public int width;

    @Param({"64"})
    public int batch;

    private Module model;
    private SGD sgd;
    private Tensor x, target;

    @Setup
    public void setup() {
        Rng rng = new Rng(11);
        Module[] layers = new Module[2 * depth];
        for (int l = 0; l < depth; l++) {
            layers[2 * l] = new Linear(width, width, rng);
            layers[2 * l + 1] = new Tanh();
        }
        model = new Sequential(layers);
        sgd = new SGD(model.parameters(), 0.01);
        x = Tensor.uniform(rng, -1, 1, batch, width);
        target = Tensor.uniform(rng, -1, 1, batch, width);
    }

    @Benchmark
    public double step() {
        return Workloads.trainStep(sgd, () -> Losses.mseLoss(model.forward(x), target, Reduction.MEAN));
    }
}

package dev.descent.bench;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.optim.Adam;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One Adam training step of the {@code descent train --arch cnn} network (3x3 convolutions to 32 then 64 channels,
 * each with BatchNorm2d, ReLU and a 2x2 max pool, then a linear head) on a Fashion-MNIST-shaped batch
 * {@code [64, 1, 28, 28]} with cross-entropy. {@code reference.py conv} times the same in PyTorch. Issue target: at
 * most PyTorch's time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CnnStepBenchmark {
    @Param({"64"})
    public int batch;

    private Module cnn;
    private Adam adam;
    private Tensor images;
    private int[] labels;

    @Setup
    public void setup() {
        Rng rng = new Rng(19);
        cnn = new Sequential(
                new Conv2d(1, 32, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 3, Conv2dOptions.DEFAULT.padding(1), false, rng), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, 10, rng));
        adam = new Adam(cnn.parameters());
        images = Tensor.uniform(rng, 0, 1, batch, 1, 28, 28);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
    }

    @Benchmark
    public double step() {
        return Workloads.trainStep(adam, () -> Losses.crossEntropy(cnn.forward(images), labels));
    }
}

package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Reduction;
import dev.descent.nn.Sequential;
import dev.descent.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One SGD training step of a ReLU MLP (784-256-256-10 by default) with cross-entropy on a batch of 128, in float64,
 * written as a user writes it: {@link Sequential} of {@link Linear} and {@link ReLU}, {@link Losses#crossEntropy},
 * {@link SGD}. {@code reference.py mlp} times the same step in PyTorch. Issue target: at most 0.85 of PyTorch's time
 * at one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MlpStepBenchmark {
    /** Layer widths, input first. */
    @Param({"784,256,256,10"})
    public String widths;

    @Param({"128"})
    public int batch;

    private Module model;
    private SGD sgd;
    private Tensor x;
    private int[] labels;

    @Setup
    public void setup() {
        Rng rng = new Rng(7);
        int[] w = widths(widths);
        List<Module> layers = new ArrayList<>();
        for (int l = 0; l + 1 < w.length; l++) {
            if (l > 0) layers.add(new ReLU());
            layers.add(new Linear(w[l], w[l + 1], rng));
        }
        model = new Sequential(layers.toArray(Module[]::new));
        sgd = new SGD(model.parameters(), 0.01);
        x = Tensor.uniform(rng, 0, 1, batch, w[0]);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(w[w.length - 1]);
    }

    @Benchmark
    public double step() {
        return Workloads.trainStep(sgd, () -> Losses.crossEntropy(model.forward(x), labels, Reduction.MEAN));
    }

    /**
     * The bytes a step cannot avoid holding: every layer's output (Linear and ReLU, kept for backward), the gradient
     * of each of those activations, and the parameters' gradients, in float64. The allocation target compares JMH's
     * {@code gc.alloc.rate.norm} (bytes allocated per step) with this.
     */
    public static long essentialBytes(String widths, int batch) {
        int[] w = widths(widths);
        long activations = 0, paramGrads = 0;
        for (int l = 0; l + 1 < w.length; l++) {
            activations += (long) batch * w[l + 1] * (l + 2 < w.length ? 2 : 1); // Linear output, then ReLU output
            paramGrads += (long) w[l + 1] * w[l] + w[l + 1];
        }
        return 8 * (2 * activations + paramGrads);
    }

    /** Prints {@link #essentialBytes} for the default widths and batch (used by {@code run.sh alloc}). */
    public static void main(String[] args) {
        System.out.println(essentialBytes("784,256,256,10", 128));
    }

    static int[] widths(String spec) {
        String[] parts = spec.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < w.length; i++) w[i] = Integer.parseInt(parts[i].trim());
        if (w.length < 2) throw new IllegalArgumentException("MlpStepBenchmark: expected at least two widths, got " + spec);
        return w;
    }
}

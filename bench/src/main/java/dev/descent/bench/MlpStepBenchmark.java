package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One SGD training step of a 784-256-256-10 ReLU MLP with cross-entropy on a batch of 128, in float64: forward,
 * backward and the parameter update. {@code compare_mlp.py} times the same step in PyTorch (float64) for the
 * same-run reference. DESIGN target: no slower than PyTorch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MlpStepBenchmark {
    private Tensor[] params;
    private Tensor x, labels;

    @Setup
    public void setup() {
        Rng rng = new Rng(7);
        int[] widths = {784, 256, 256, 10};
        params = new Tensor[6];
        for (int l = 0; l < 3; l++) {
            double bound = 1 / Math.sqrt(widths[l]);
            params[2 * l] = Tensor.uniform(rng, -bound, bound, widths[l + 1], widths[l]).requiresGrad(true);
            params[2 * l + 1] = Tensor.uniform(rng, -bound, bound, widths[l + 1]).requiresGrad(true);
        }
        x = Tensor.uniform(rng, 0, 1, 128, 784);
        double[] y = new double[128];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
        labels = Tensor.of(y, 128, 1);
    }

    @Benchmark
    public double step() {
        double loss;
        try (Tape tape = Tape.record()) {
            Tensor h = Tensor.linear(x, params[0], params[1]).relu();
            h = Tensor.linear(h, params[2], params[3]).relu();
            Tensor logits = Tensor.linear(h, params[4], params[5]);
            Tensor l = logits.logSoftmax(1).gather(1, labels).mean().neg();
            tape.backward(l);
            loss = l.item();
        }
        for (Tensor p : params) {
            p.addInPlace(-0.01, p.grad());
            p.zeroGrad();
        }
        return loss;
    }
}

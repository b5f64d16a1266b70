package dev.descent.bench;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.GRU;
import dev.descent.nn.LSTM;
import dev.descent.nn.Module;
import dev.descent.nn.RNN;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Forward and backward of a one-layer recurrent network over a sequence ({@code steps} x {@code batch} x
 * {@code input}, 50 x 32 x 128 by default, hidden 128): the loss is {@code sum(output * w)} for a fixed random
 * {@code w}, and gradients reach the input and every weight. {@code reference.py recurrent} times the same in
 * PyTorch. Issue target: at most PyTorch's time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrentBenchmark {
    @Param({"lstm", "gru", "rnn"})
    public String cell;

    @Param({"50"})
    public int steps;

    @Param({"32"})
    public int batch;

    @Param({"128"})
    public int input;

    @Param({"128"})
    public int hidden;

    private Module module;
    private Tensor x, w;

    @Setup
    public void setup() {
        Rng rng = new Rng(13);
        module = switch (cell) {
            case "lstm" -> new LSTM(input, hidden, rng);
            case "gru" -> new GRU(input, hidden, rng);
            case "rnn" -> new RNN(input, hidden, rng);
            default -> throw new IllegalArgumentException("RecurrentBenchmark: cell must be lstm, gru or rnn, got " + cell);
        };
        x = Tensor.normal(rng, 0, 1, steps, batch, input).requiresGrad(true);
        w = Tensor.normal(rng, 0, 1, steps, batch, hidden);
    }

    @Benchmark
    public Tensor forwardBackward() {
        return Workloads.forwardBackward(module, x, w);
    }
}

package dev.descent.bench;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The cost of recording and differentiating scalar-shaped ops: a chain of {@link #OPS} mul/add ops on a scalar
 * variable, recorded and then differentiated. The reference is the same chain computed without a tape, so the
 * difference is the tape's own overhead. DESIGN target: at most 1 µs per op (record + backward).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TapeBenchmark {
    /** Ops per invocation; divide the reported time by this for the cost per op. */
    public static final int OPS = 100;

    private final Tensor x = Tensor.scalar(0.5).requiresGrad(true);

    @Benchmark
    public Tensor recordAndBackward() {
        try (Tape tape = Tape.record()) {
            Tensor y = x;
            for (int i = 0; i < OPS / 2; i++) y = y.mul(1.0001).add(0.001);
            tape.backward(y);
        }
        Tensor g = x.grad();
        x.setGrad(null);
        return g;
    }

    @Benchmark
    public Tensor forwardWithoutTape() {
        Tensor y = x;
        for (int i = 0; i < OPS / 2; i++) y = y.mul(1.0001).add(0.001);
        return y;
    }
}

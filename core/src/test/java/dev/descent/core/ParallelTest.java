package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.kernel.Parallel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Parallel}'s split, and the ops that use it giving the same bits for every thread count. */
class ParallelTest {

    @Test
    void forRangeVisitsEveryIndexOnceInContiguousRanges() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 7}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {0, 1, 99, 100, 1000, 1001}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(n);
                    Parallel.forRange(n, 100, (from, to) -> {
                        if (to - from < Math.min(n, 100)) throw new AssertionError("range [" + from + ", " + to + ") is below the grain");
                        for (int i = from; i < to; i++) seen.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "index " + i + " of " + n + " with " + threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertEquals("Parallel.setThreads: expected at least 1 thread, got 0", e.getMessage());
    }

    @Test
    void largeElementwiseAndPoolingOpsGiveTheSameBitsForEveryThreadCount() {
        // larger than a few grains, so that 2 and 3 threads really split
        Rng rng = new Rng(5);
        Tensor x0 = Tensor.uniform(rng, -1, 1, 4, 8, 30, 30), y0 = Tensor.uniform(rng, -1, 1, 4, 8, 30, 30);
        Supplier<double[][]> run = () -> {
            Tensor x = x0.copy().requiresGrad(true), y = y0.copy().requiresGrad(true);
            Tensor out;
            try (Tape tape = Tape.record()) {
                out = x.relu().mul(y).add(x.tanh()).maxPool2d(Pool2dOptions.of(3, 2));
                tape.backward(out.square().sum());
            }
            return new double[][] {out.toArray(), x.grad().toArray(), y.grad().toArray()};
        };
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double[][] reference = run.get();
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                double[][] now = run.get();
                for (int i = 0; i < now.length; i++) assertArrayEquals(reference[i], now[i], 0, "result " + i + " with " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}

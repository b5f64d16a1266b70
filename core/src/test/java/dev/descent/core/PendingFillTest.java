package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A tensor broadcast from one value is a pending fill ({@link Tensor#filled}): its array exists only once someone asks
 * for it, and binary ops read it as one value. Whatever reads it, it must behave as the filled array: same values,
 * same bits of every op on either side, writes and views as on any tensor, and the gradients of {@code sum(x · w)}
 * (whose sum's gradient is such a fill) exactly the other factor times the seed.
 */
class PendingFillTest {
    private static final int[] SHAPE = {3, 7};

    private static final List<BinaryOperator<Tensor>> OPS = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div,
            Tensor::pow, Tensor::maximum, Tensor::minimum, Tensor::gt, Tensor::lt, Tensor::ge, Tensor::le, Tensor::eq);

    @Test
    void everyBinaryOpGivesTheBitsOfTheFilledArrayOnEitherSide() {
        Tensor x = Tensor.normal(new Rng(3), 0, 2, SHAPE);
        x.data()[4] = Double.NaN;
        x.data()[5] = -0.0;
        x.data()[6] = Double.POSITIVE_INFINITY;
        for (double v : new double[] {1.5, -0.0, 0.0, -3, Double.NaN, Double.NEGATIVE_INFINITY}) {
            for (int k = 0; k < OPS.size(); k++) {
                BinaryOperator<Tensor> op = OPS.get(k);
                Tensor dense = Tensor.full(v, SHAPE);
                assertArrayEquals(op.apply(dense, x).data(), op.apply(Tensor.filled(v, SHAPE), x).data(), "op " + k + ", fill " + v + " on the left");
                assertArrayEquals(op.apply(x, dense).data(), op.apply(x, Tensor.filled(v, SHAPE)).data(), "op " + k + ", fill " + v + " on the right");
                assertArrayEquals(op.apply(dense, dense).data(), op.apply(Tensor.filled(v, SHAPE), Tensor.filled(v, SHAPE)).data(),
                        "op " + k + ", fills on both sides");
            }
        }
    }

    @Test
    void largeFillsSplitBetweenThreadsGiveTheSameBits() {
        int[] shape = {5, 3 * kernelGrain() + 17};
        Tensor x = Tensor.normal(new Rng(4), 0, 2, shape);
        for (BinaryOperator<Tensor> op : List.<BinaryOperator<Tensor>>of(Tensor::add, Tensor::mul, Tensor::sub)) {
            assertArrayEquals(op.apply(Tensor.full(0.75, shape), x).data(), op.apply(Tensor.filled(0.75, shape), x).data());
            assertArrayEquals(op.apply(x, Tensor.full(0.75, shape)).data(), op.apply(x, Tensor.filled(0.75, shape)).data());
        }
    }

    private static int kernelGrain() {
        return dev.descent.core.kernel.Parallel.GRAIN;
    }

    @Test
    void aFillBehavesAsItsArray() {
        Tensor f = Tensor.scalar(2.5).broadcastTo(SHAPE);
        assertTrue(f.pendingFill(), "a broadcast scalar is not copied out until it is read");
        assertEquals(2.5, f.get(1, 2));
        assertFalse(f.pendingFill());
        Tensor g = Tensor.filled(-1, SHAPE);
        Tensor view = g.reshape(SHAPE[0] * SHAPE[1]);
        view.set(7, 3);
        assertEquals(7, g.data()[3], "a view of a fill shares its array");
        assertArrayEquals(new double[] {-1, -1, -1, 7}, java.util.Arrays.copyOf(g.toArray(), 4));
        Tensor h = Tensor.filled(4, SHAPE).fill(1);
        assertArrayEquals(Tensor.full(1, SHAPE).data(), h.data());
    }

    @Test
    void threadsReadingAFillAtOnceShareOneArray() throws Exception {
        for (int round = 0; round < 50; round++) {
            Tensor f = Tensor.filled(0.5, SHAPE);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.Callable<double[]> read = () -> {
                start.await();
                return f.data();
            };
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(read);
                var b = pool.submit(read);
                assertSame(a.get(), b.get(), "round " + round);
                assertArrayEquals(Tensor.full(0.5, SHAPE).data(), a.get());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theGradientOfAProductsSumIsTheOtherFactorTimesTheSeed() {
        Rng rng = new Rng(9);
        Tensor w = Tensor.normal(rng, 0, 1, SHAPE), x = Tensor.normal(rng, 0, 1, SHAPE).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(x.mul(w).sum().mul(Tensor.scalar(3))); // sum's gradient is the fill 3, read once by mul's rule
        }
        double[] expected = new double[w.size()];
        for (int i = 0; i < expected.length; i++) expected[i] = 3 * w.data()[i];
        assertArrayEquals(expected, x.grad().data(), "d sum(x·w)·3 / dx = 3 w, exactly");
    }
}

package dev.descent.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * How many threads descent's kernels use, and the split of independent work over them (PyTorch's
 * {@code torch.set_num_threads} and {@code at::parallel_for}).
 *
 * <p>Large elementwise maps, pooling, batch normalisation, convolutions and products split their work into
 * contiguous ranges, one per thread, run on the {@link ForkJoinPool#commonPool() common pool} and the calling thread. Work is split only where each
 * element of the result is computed by the same arithmetic whatever the split (an elementwise map, one window of a
 * pooling, one image of a convolution, one block of rows of a product), so results are bit-identical for every thread
 * count. Below {@link #GRAIN} elements per range the hand-off costs more than it saves and everything runs on the
 * calling thread.
 */
public final class Parallel {
    /**
     * The fewest elements worth a range of their own: handing a task to another thread costs a few microseconds, about
     * a pass over 32 K doubles.
     */
    public static final int GRAIN = 1 << 15;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Parallel() {}

    /** A body run over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /**
         * Runs the work for indices {@code from} (inclusive) to {@code to} (exclusive).
         *
         * @param from first index
         * @param to   one past the last index
         */
        void run(int from, int to);
    }

    /**
     * The number of threads kernels split large ops over; {@link Runtime#availableProcessors()} unless set.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads kernels split large ops over, as {@code torch.set_num_threads}; 1 runs everything on
     * the calling thread. Results do not depend on it.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected at least 1 thread, got " + n);
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into up to {@link #threads()} contiguous ranges of at least
     * {@code grain} indices each (one range, on the calling thread, when {@code n < 2 grain}), and returns when all
     * are done. The ranges must be independent: no range may read what another writes.
     *
     * @param n     number of indices
     * @param grain the fewest indices worth a range of their own, at least 1
     * @param body  the work for one range
     */
    public static void forRange(int n, int grain, Range body) {
        forRange(n, grain, threads, body);
    }

    /**
     * As {@link #forRange(int, int, Range)}, over at most {@code threads} ranges instead of {@link #threads()} (for
     * kernels that take their thread count as an argument).
     *
     * @param n       number of indices
     * @param grain   the fewest indices worth a range of their own, at least 1
     * @param threads the most ranges to run at once; 1 or less runs everything on the calling thread
     * @param body    the work for one range
     */
    public static void forRange(int n, int grain, int threads, Range body) {
        int parts = (int) Math.min(threads, n / Math.max(1L, grain));
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
        try {
            for (int p = 1; p < parts; p++) {
                int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
                others[p - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
            }
            body.run(0, (int) ((long) n / parts));
        } finally {
            for (ForkJoinTask<?> task : others) {
                if (task != null) task.join();
            }
        }
    }
}

package dev.descent.bench;

import dev.descent.core.kernel.MatMul;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * descent's matmul against OpenBLAS's {@code cblas_dgemm} with the two calls {@linkplain Alternated alternated}, call
 * by call, in one JVM: the JMH rows of {@link MatMulBenchmark} time the two kernels minutes apart. Prints one JSON line
 * per size: the median of the per-pair ratios (OpenBLAS's time over descent's, so higher is better for descent), their
 * range, and each side's median GFLOP/s. {@code run.sh matmul} runs it and the table quotes it beside the JMH rows.
 *
 * <p>One thread only: after a threaded call OpenBLAS's workers keep spinning for a while, so on two cores a descent
 * call right after one runs beside them (measured: n = 1024 at 67 GFLOP/s on two threads, its one-thread speed).
 *
 * <p>Arguments: {@code [scale]} (1 = the default counts; {@code run.sh} with {@code QUICK} passes a small one).
 */
public final class InterleavedMatMul {
    private InterleavedMatMul() {}

    /** One measurement: the per-pair ratios' median, min and max, and each side's median GFLOP/s. */
    record Result(int n, int threads, double ratio, double ratioMin, double ratioMax, double descentGflops, double openBlasGflops) {
        String json() {
            return String.format(Locale.ROOT, "{\"n\": %d, \"threads\": %d, \"ratio\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": %.4f, "
                    + "\"descent_gflops\": %.2f, \"openblas_gflops\": %.2f}", n, threads, ratio, ratioMin, ratioMax, descentGflops, openBlasGflops);
        }
    }

    /** {@code rounds} alternated pairs of n x n products on {@code threads} threads, after as many warm-up pairs. */
    static Result measure(OpenBlas blas, int n, int threads, int rounds) {
        if (n < 1) throw new IllegalArgumentException("InterleavedMatMul: expected n >= 1, got " + n);
        SplittableRandom random = new SplittableRandom(42);
        double[] a = random.doubles((long) n * n, -1, 1).toArray(), b = random.doubles((long) n * n, -1, 1).toArray(), c = new double[n * n];
        blas.setThreads(threads);
        // OpenBLAS's time over descent's
        Alternated r = Alternated.measure(() -> blas.gemm(n, n, n, a, b, c),
                () -> MatMul.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0, c, 0, n, threads), rounds);
        double flop = 2.0 * n * n * n;
        return new Result(n, threads, r.ratio(), r.ratioMin(), r.ratioMax(), flop / r.denominatorNanos(), flop / r.numeratorNanos());
    }

    public static void main(String[] args) {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        OpenBlas blas = OpenBlas.load().orElseThrow(() -> new IllegalStateException(OpenBlas.missingReason()));
        for (int n : new int[] {256, 512, 1024}) {
            int rounds = Math.max(1, (int) Math.round(scale * (n == 1024 ? 40 : n == 512 ? 150 : 600)));
            System.out.println(measure(blas, n, 1, rounds).json());
        }
    }
}

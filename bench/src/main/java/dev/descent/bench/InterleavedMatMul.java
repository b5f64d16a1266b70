package dev.descent.bench;

import dev.descent.core.kernel.MatMul;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * descent's matmul against OpenBLAS's {@code cblas_dgemm} with the two calls alternated, call by call, in one JVM: on
 * a shared machine whose speed drifts within seconds, the JMH rows of {@link MatMulBenchmark} time the two kernels
 * minutes apart, while here each ratio compares two neighbouring calls, and each kernel goes first in every other
 * pair, so that whatever the first call of a pair leaves in the caches favours neither. Prints one JSON line per
 * size: the median of the per-round ratios (OpenBLAS's time over descent's, so higher is better for descent), their
 * range, and each side's median GFLOP/s. {@code run.sh matmul} runs it and the table quotes it beside the JMH rows.
 *
 * <p>One thread only: after a threaded call OpenBLAS's workers keep spinning for a while, so on two cores a descent
 * call right after one runs beside them (measured: n = 1024 at 67 GFLOP/s on two threads, its one-thread speed).
 *
 * <p>Arguments: {@code [rounds scale]} (1 = the default counts; {@code run.sh} with {@code QUICK} passes a small one).
 */
public final class InterleavedMatMul {
    private InterleavedMatMul() {}

    /** One measurement: the per-round ratios' median, min and max, and each side's median GFLOP/s. */
    record Result(int n, int threads, double ratio, double ratioMin, double ratioMax, double descentGflops, double openBlasGflops) {
        String json() {
            return String.format(Locale.ROOT, "{\"n\": %d, \"threads\": %d, \"ratio\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": %.4f, "
                    + "\"descent_gflops\": %.2f, \"openblas_gflops\": %.2f}", n, threads, ratio, ratioMin, ratioMax, descentGflops, openBlasGflops);
        }
    }

    /**
     * {@code rounds} alternated pairs of n x n products on {@code threads} threads, after as many warm-up pairs; each
     * kernel goes first in every other pair.
     */
    static Result measure(OpenBlas blas, int n, int threads, int rounds) {
        if (n < 1 || rounds < 1) throw new IllegalArgumentException("InterleavedMatMul: expected n, rounds >= 1, got n = " + n + ", rounds = " + rounds);
        SplittableRandom random = new SplittableRandom(42);
        double[] a = random.doubles((long) n * n, -1, 1).toArray(), b = random.doubles((long) n * n, -1, 1).toArray(), c = new double[n * n];
        blas.setThreads(threads);
        double[] ratios = new double[rounds], ours = new double[rounds], theirs = new double[rounds];
        for (int r = -rounds; r < rounds; r++) {
            boolean oursFirst = (r & 1) == 0;
            long t0 = System.nanoTime();
            if (!oursFirst) blas.gemm(n, n, n, a, b, c);
            long t1 = System.nanoTime();
            MatMul.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0, c, 0, n, threads);
            long t2 = System.nanoTime();
            if (oursFirst) blas.gemm(n, n, n, a, b, c);
            long t3 = System.nanoTime();
            if (r < 0) continue; // warm-up
            ours[r] = t2 - t1;
            theirs[r] = oursFirst ? t3 - t2 : t1 - t0;
            ratios[r] = theirs[r] / ours[r];
        }
        double flop = 2.0 * n * n * n;
        return new Result(n, threads, median(ratios), Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(),
                flop / median(ours), flop / median(theirs));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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

package dev.descent.core.kernel;

import java.util.SplittableRandom;

/**
 * One gemm problem for tests: sizes, transposes, beta, row padding of every leading dimension and an offset into
 * every array, with contents drawn from {@code seed}. Arrays are exactly as long as the arguments require, so any
 * read past the last element fails, and C's padding holds values that must survive.
 */
record GemmCase(boolean transA, boolean transB, int m, int n, int k, double beta, int pad, int off, long seed) {

    /** A gemm implementation under test, {@code threads} ignored by those that have none. */
    interface Kernel {
        void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                  double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, int threads);
    }

    static final Kernel SCALAR = (ta, tb, m, n, k, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads) ->
            ScalarMatMul.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
    /** (A lambda, not a method reference, so that a JVM without the Vector API can load this class.) */
    static final Kernel VECTOR = (ta, tb, m, n, k, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads) ->
            VectorMatMul.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads);

    int lda() {
        return Math.max(1, transA ? m : k) + pad;
    }

    int ldb() {
        return Math.max(1, transB ? k : n) + pad;
    }

    int ldc() {
        return Math.max(1, n) + pad;
    }

    double[] a() {
        return random(transA ? k : m, transA ? m : k, lda(), 1);
    }

    double[] b() {
        return random(transB ? n : k, transB ? k : n, ldb(), 2);
    }

    double[] c() {
        return random(m, n, ldc(), 3);
    }

    /** Runs the kernel on fresh copies of the inputs and returns the whole C array. */
    double[] run(Kernel kernel, int threads) {
        double[] c = c();
        kernel.gemm(transA, transB, m, n, k, a(), off, lda(), b(), off, ldb(), beta, c, off, ldc(), threads);
        return c;
    }

    /** Per element of C, the sum of the magnitudes of the terms: |op(A)| |op(B)| + |beta| |C|. */
    double[] scale() {
        double[] c = abs(c());
        ScalarMatMul.gemm(transA, transB, m, n, k, abs(a()), off, lda(), abs(b()), off, ldb(), Math.abs(beta),
                c, off, ldc());
        return c;
    }

    /** Whether index {@code at} of the C array lies inside the m x n window. */
    boolean inWindow(int at) {
        int rel = at - off;
        return rel >= 0 && rel / ldc() < m && rel % ldc() < n;
    }

    private double[] random(int rows, int cols, int ld, int which) {
        int length = rows == 0 || cols == 0 ? off : off + (rows - 1) * ld + cols;
        SplittableRandom random = new SplittableRandom(seed * 31 + which);
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        return x;
    }

    private static double[] abs(double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.abs(y[i]);
        }
        return y;
    }
}

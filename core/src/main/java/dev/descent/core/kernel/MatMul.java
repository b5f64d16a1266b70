package dev.descent.core.kernel;

/**
 * General matrix multiplication over row-major {@code double[]} storage: {@code C = op(A) * op(B) + beta * C}, where
 * {@code op(X)} is {@code X} or its transpose.
 *
 * <p>This is the entry point the rest of the library uses. It runs {@link VectorMatMul} when the
 * {@code jdk.incubator.vector} module is present at run time (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, or descent is on the module path) and {@link ScalarMatMul} otherwise; in
 * the fallback case no class that mentions the Vector API is loaded, and the first call logs one warning
 * ({@link Kernels}).
 *
 * <p>Conventions, shared by both kernels:
 * <ul>
 *   <li>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}.</li>
 *   <li>Every matrix is row-major with its own offset and leading dimension (row stride) <em>as stored</em>: when
 *       {@code transA}, A is stored {@code k x m} and element {@code op(A)[i][p]} is {@code a[aOff + p * lda + i]};
 *       otherwise it is {@code a[aOff + i * lda + p]}. Likewise for B. A leading dimension must be at least
 *       {@code max(1, columns as stored)}, as in BLAS.</li>
 *   <li>{@code beta == 0} means C's old contents are ignored, even NaN or infinite; otherwise they are scaled.
 *       {@code k == 0} gives {@code C = beta * C}.</li>
 *   <li>Elements of {@code c} outside the {@code m x n} window (padding between rows, anything before {@code cOff})
 *       are never written. C must not overlap A or B.</li>
 *   <li>Results agree with the scalar reference to float64 rounding (the vector kernel fuses multiply-adds and
 *       sums k in blocks), and are bit-identical for every thread count.</li>
 * </ul>
 * Invalid sizes, strides, offsets or arrays that are too short throw {@link IllegalArgumentException} naming the
 * expected and the given values; null arrays throw {@link NullPointerException}.
 */
public final class MatMul {

    private static final boolean VECTOR_API = Kernels.VECTOR_API;

    private MatMul() {
    }

    /**
     * {@code C[m x n] = op(A) * op(B) + beta * C} using up to {@link Parallel#threads()} threads for large
     * products. See the class documentation for the storage conventions.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, Parallel.threads());
    }

    /**
     * As {@link #gemm(boolean, boolean, int, int, int, double[], int, int, double[], int, int, double, double[], int,
     * int) gemm}, using at most {@code threads} threads (at least 1). With 1, all work runs on the calling thread;
     * more threads only help large products, and the result does not depend on the count. The scalar fallback always
     * runs on the calling thread.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc, int threads) {
        if (VECTOR_API) {
            VectorMatMul.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads);
        } else {
            checkThreads(threads);
            Kernels.scalarFallback();
            ScalarMatMul.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Whether {@link #gemm} runs the Vector API kernel in this JVM. */
    public static boolean vectorized() {
        return VECTOR_API;
    }

    /** Validates the arguments of a gemm call as documented on {@link MatMul}. */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                               double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                               double[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "gemm: sizes must be non-negative, got m = " + m + ", n = " + n + ", k = " + k);
        }
        checkMatrix("A", transA ? "k x m" : "m x k", transA, a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", transB ? "n x k" : "k x n", transB, b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", "m x n", false, c, cOff, ldc, m, n);
    }

    static void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("gemm: threads must be at least 1, got " + threads);
        }
    }

    /** Checks one matrix stored {@code rows x cols}; messages are only built on failure, as this runs per call. */
    private static void checkMatrix(String name, String shape, boolean transposed, double[] x, int off, int ld,
                                    int rows, int cols) {
        if (x == null) {
            throw new NullPointerException("gemm: array " + name.toLowerCase() + " is null");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: " + stored(name, shape, transposed, rows, cols) + ", so ld"
                    + name.toLowerCase() + " must be at least " + Math.max(1, cols) + ", got ld" + name.toLowerCase()
                    + " = " + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException("gemm: " + name.toLowerCase() + "Off must be non-negative, got " + off);
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > x.length) {
            String array = name.toLowerCase();
            throw new IllegalArgumentException("gemm: " + stored(name, shape, transposed, rows, cols) + " with ld"
                    + array + " = " + ld + " from " + array + "Off = " + off + ", so " + array
                    + ".length must be at least " + end + ", got " + x.length);
        }
    }

    private static String stored(String name, String shape, boolean transposed, int rows, int cols) {
        return name + " is stored " + shape + " = " + rows + " x " + cols + (transposed ? " (trans" + name + ")" : "");
    }
}

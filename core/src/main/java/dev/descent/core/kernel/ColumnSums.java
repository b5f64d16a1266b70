package dev.descent.core.kernel;

/**
 * Column sums of a row-major {@code [rows, cols]} matrix held in {@code x[0 .. rows·cols)}: per-feature sums over a
 * batch, and the order of the batch-norm statistics ({@link ChannelKernels} folds these sums per channel).
 *
 * <p><b>Order.</b> Column {@code j} is summed from {@code +0.0} over the rows in order, {@code i = 0, 1, ...}, one
 * IEEE addition per term (products and differences rounded first, no fused multiply-add). The order does not depend on
 * the implementation, so both give the same bits: the scalar one walks the rows, adding each into a row of
 * accumulators (contiguous, so C2 vectorises it, but it loads and stores the accumulators for every row); the Vector
 * API one keeps a block of columns' accumulators in registers down all the rows, several times faster. The facade
 * uses the vector version when the {@code jdk.incubator.vector} module is present.
 *
 * <p><b>Arguments.</b> {@code x} must hold at least {@code rows·cols} values and every other array {@code cols}; the
 * checks are O(1) and throw {@link IllegalArgumentException} naming the kernel.
 */
public final class ColumnSums {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private ColumnSums() {}

    /** {@code out[j] = Σ_i x[i·cols + j]}. */
    public static void sums(double[] x, int rows, int cols, double[] out) {
        check("sums", x, rows, cols, out);
        if (VECTOR) VectorColumnSums.sums(x, rows, cols, out);
        else scalarSums(x, rows, cols, out);
    }

    /** {@code out[j] = Σ_i (x[i·cols + j] − center[j])²}. */
    public static void centeredSquares(double[] x, int rows, int cols, double[] center, double[] out) {
        check("centeredSquares", x, rows, cols, out);
        length("centeredSquares", "center", center, cols);
        if (VECTOR) VectorColumnSums.centeredSquares(x, rows, cols, center, out);
        else scalarCenteredSquares(x, rows, cols, center, out);
    }

    /** {@code sg[j] = Σ_i g[i·cols + j]} and {@code sgx[j] = Σ_i g[i·cols + j]·(x[i·cols + j] − center[j])}. */
    public static void sumsAndCenteredProducts(double[] g, double[] x, int rows, int cols, double[] center, double[] sg, double[] sgx) {
        check("sumsAndCenteredProducts", x, rows, cols, sg);
        check("sumsAndCenteredProducts", g, rows, cols, sgx);
        length("sumsAndCenteredProducts", "center", center, cols);
        if (VECTOR) VectorColumnSums.sumsAndCenteredProducts(g, x, rows, cols, center, sg, sgx);
        else scalarSumsAndCenteredProducts(g, x, rows, cols, center, sg, sgx);
    }

    // ---------------------------------------------------------------- scalar reference

    /** Scalar reference of {@link #sums}. Arguments are not checked. */
    static void scalarSums(double[] x, int rows, int cols, double[] out) {
        java.util.Arrays.fill(out, 0, cols, 0.0);
        for (int i = 0, off = 0; i < rows; i++, off += cols) {
            for (int j = 0; j < cols; j++) out[j] += x[off + j];
        }
    }

    /** Scalar reference of {@link #centeredSquares}. Arguments are not checked. */
    static void scalarCenteredSquares(double[] x, int rows, int cols, double[] center, double[] out) {
        java.util.Arrays.fill(out, 0, cols, 0.0);
        for (int i = 0, off = 0; i < rows; i++, off += cols) {
            for (int j = 0; j < cols; j++) {
                double d = x[off + j] - center[j];
                out[j] += d * d;
            }
        }
    }

    /** Scalar reference of {@link #sumsAndCenteredProducts}. Arguments are not checked. */
    static void scalarSumsAndCenteredProducts(double[] g, double[] x, int rows, int cols, double[] center, double[] sg, double[] sgx) {
        java.util.Arrays.fill(sg, 0, cols, 0.0);
        java.util.Arrays.fill(sgx, 0, cols, 0.0);
        for (int i = 0, off = 0; i < rows; i++, off += cols) {
            for (int j = 0; j < cols; j++) {
                double gj = g[off + j];
                sg[j] += gj;
                sgx[j] += gj * (x[off + j] - center[j]);
            }
        }
    }

    private static void check(String op, double[] x, int rows, int cols, double[] out) {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": expected rows >= 0 and cols >= 0 with rows·cols within an array, got rows = "
                    + rows + ", cols = " + cols);
        }
        length(op, "x", x, rows * cols);
        length(op, "out", out, cols);
    }

    private static void length(String op, String name, double[] a, int n) {
        if (a == null) throw new NullPointerException(op + ": expected an array for " + name + ", got null");
        if (a.length < n) throw new IllegalArgumentException(op + ": expected " + name + " of at least " + n + " values, got " + a.length);
    }
}

package dev.descent.core.kernel;

/**
 * The per-row kernels of layer and group normalisation: {@code x} is viewed as {@code [rows, len]}, each row is
 * standardised with its own mean and biased variance, and row {@code r} uses the affine rows {@code w, b} (each
 * {@code groups·len} long) at offset {@code (r % groups)·len}; a null {@code w} or {@code b} means ones or zeros.
 *
 * <p><b>Formulas and order.</b> Forward, per row: {@code mean = sum(x)/len}, {@code var = sum((x − mean)²)/len},
 * {@code rstd = 1/√(var + eps)}, {@code y = ((x − mean)·rstd)·w + b}. Backward, per row, with {@code ĝ = g·w} and
 * {@code x̂ = (x − mean)·rstd}: {@code a = sum(ĝ)/len}, {@code c = sum(ĝ·x̂)/len},
 * {@code dx = rstd·((ĝ − a) − x̂·c)}, and the affine rows accumulate {@code dw += g·x̂}, {@code db += g} row after row.
 * Every sum over a row is taken in the interleaved order of {@code InterleavedSums} (the order of
 * {@link Elementwise#sum}), each term rounded before it is added, so the result does not depend on the vector width.
 * The scalar reference computes each sum with that class over temporaries; the fast kernel ({@code VectorRowKernels},
 * when the Vector API is present and its lanes divide 16 into at most four accumulators) fuses each row into two or
 * three passes without temporaries and gives the same bits.
 *
 * <p><b>Arguments.</b> {@code x}, {@code y}, {@code g} and {@code dx} hold at least {@code rows·len} values,
 * {@code mean} and {@code rstd} {@code rows}, the affine rows {@code groups·len}; {@code dw} and {@code db} are added
 * into (pass zeros for a plain gradient). Checks are O(1) and throw {@link IllegalArgumentException} naming the kernel.
 */
public final class RowKernels {
    private static final boolean VECTOR = Kernels.VECTOR_API && VectorRowKernels.fits();

    private RowKernels() {}

    /** Standardises each row of {@code x} into {@code y} and stores each row's mean and rstd; see the class. */
    public static void forward(double[] x, double[] y, int rows, int len, int groups, double[] w, double[] b, double eps,
                               double[] mean, double[] rstd) {
        check("forward", rows, len, groups);
        length("forward", "x", x, rows * len);
        length("forward", "y", y, rows * len);
        affine("forward", w, b, groups * len);
        length("forward", "mean", mean, rows);
        length("forward", "rstd", rstd, rows);
        if (VECTOR) VectorRowKernels.forward(x, y, rows, len, groups, ones(w, groups * len), zeros(b, groups * len), eps, mean, rstd);
        else scalarForward(x, y, rows, len, groups, w, b, eps, mean, rstd);
    }

    /**
     * The input gradient of {@link #forward} into {@code dx}, adding the affine rows' gradients into {@code dw, db}.
     * {@code dx} may be {@code g}: each element of {@code g} is read before the element of {@code dx} at its index is
     * written.
     */
    public static void backward(double[] g, double[] x, double[] dx, int rows, int len, int groups, double[] w,
                                double[] mean, double[] rstd, double[] dw, double[] db) {
        check("backward", rows, len, groups);
        length("backward", "g", g, rows * len);
        length("backward", "x", x, rows * len);
        length("backward", "dx", dx, rows * len);
        affine("backward", w, null, groups * len);
        length("backward", "mean", mean, rows);
        length("backward", "rstd", rstd, rows);
        length("backward", "dw", dw, groups * len);
        length("backward", "db", db, groups * len);
        if (VECTOR) VectorRowKernels.backward(g, x, dx, rows, len, groups, ones(w, groups * len), mean, rstd, dw, db);
        else scalarBackward(g, x, dx, rows, len, groups, w, mean, rstd, dw, db);
    }

    // ---------------------------------------------------------------- scalar references

    /** Scalar reference of {@link #forward}. Arguments are not checked. */
    static void scalarForward(double[] x, double[] y, int rows, int len, int groups, double[] w, double[] b, double eps,
                              double[] mean, double[] rstd) {
        double[] wr = ones(w, groups * len), br = zeros(b, groups * len);
        double[] d = new double[len];
        for (int r = 0; r < rows; r++) {
            int off = r * len, go = (r % groups) * len;
            double mu = InterleavedSums.sum(x, off, len) / len;
            for (int j = 0; j < len; j++) d[j] = x[off + j] - mu;
            double rs = 1 / Math.sqrt(InterleavedSums.sumOfSquares(d, 0, len) / len + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < len; j++) y[off + j] = d[j] * rs * wr[go + j] + br[go + j];
        }
    }

    /** Scalar reference of {@link #backward}. Arguments are not checked. */
    static void scalarBackward(double[] g, double[] x, double[] dx, int rows, int len, int groups, double[] w,
                               double[] mean, double[] rstd, double[] dw, double[] db) {
        double[] wr = ones(w, groups * len);
        double[] gh = new double[len], xh = new double[len];
        for (int r = 0; r < rows; r++) {
            int off = r * len, go = (r % groups) * len;
            double mu = mean[r], rs = rstd[r];
            for (int j = 0; j < len; j++) {
                double gj = g[off + j], xj = (x[off + j] - mu) * rs;
                xh[j] = xj;
                gh[j] = gj * wr[go + j];
                dw[go + j] += gj * xj;
                db[go + j] += gj;
            }
            double a = InterleavedSums.sum(gh, 0, len) / len, c = InterleavedSums.dot(gh, 0, xh, 0, len) / len;
            for (int j = 0; j < len; j++) dx[off + j] = rs * (gh[j] - a - xh[j] * c);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static double[] ones(double[] w, int n) {
        if (w != null) return w;
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0);
        return a;
    }

    private static double[] zeros(double[] b, int n) {
        return b != null ? b : new double[n];
    }

    private static void check(String op, int rows, int len, int groups) {
        if (rows < 0 || len < 0 || groups < 1 || (long) rows * len > Integer.MAX_VALUE || (long) groups * len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": expected rows, len >= 0 and groups >= 1 with rows·len within an array, got rows = "
                    + rows + ", len = " + len + ", groups = " + groups);
        }
    }

    private static void affine(String op, double[] w, double[] b, int n) {
        if (w != null) length(op, "w", w, n);
        if (b != null) length(op, "b", b, n);
    }

    private static void length(String op, String name, double[] a, int n) {
        if (a == null) throw new NullPointerException(op + ": expected an array for " + name + ", got null");
        if (a.length < n) throw new IllegalArgumentException(op + ": expected " + name + " of at least " + n + " values, got " + a.length);
    }
}

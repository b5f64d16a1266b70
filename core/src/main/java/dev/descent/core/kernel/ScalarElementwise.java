package dev.descent.core.kernel;

/**
 * Plain-loop reference implementation of the elementwise maps and reductions: the specification that
 * {@link VectorElementwise} is tested against. Every method processes elements in index order, one at a time, with
 * ordinary Java floating-point arithmetic; when a fast kernel and this class disagree, this class is right.
 *
 * <p>Most callers want {@link Elementwise}, which picks the faster of the two implementations per kernel. This class
 * is public so that benchmarks can measure the fast kernels against it.
 *
 * <p>Argument conventions are those of {@link Elementwise}: every array comes with an offset, one length {@code n}
 * applies to all of them, ranges are checked in O(1) with {@link IllegalArgumentException}s (a {@code null} array gives
 * a {@link NullPointerException}), and an output may coincide with an input (same array, same offset) but may not
 * overlap it otherwise.
 */
public final class ScalarElementwise {

    private ScalarElementwise() {}

    /** {@code out[outOff+i] = a[aOff+i] + b[bOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#add}. */
    public static void add(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("add", a, aOff, b, bOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    /** {@code out[outOff+i] = a[aOff+i] - b[bOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#sub}. */
    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("sub", a, aOff, b, bOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    /** {@code out[outOff+i] = a[aOff+i] * b[bOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#mul}. */
    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("mul", a, aOff, b, bOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    /** {@code out[outOff+i] = x[xOff+i] <= c ? 0 : g[gOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#threshold}. */
    public static void threshold(double[] x, int xOff, double c, double[] g, int gOff, double[] out, int outOff, int n) {
        KernelArgs.binary("threshold", x, xOff, g, gOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] <= c ? 0 : g[gOff + i];
        }
    }

    /**
     * {@code out[outOff+i] = e^x[xOff+i]} for {@code 0 <= i < n} by {@link Transcendentals#exp} (within 1 ulp of
     * {@link Math#exp}; the vector kernel gives the same bits). See {@link Elementwise#exp}.
     */
    public static void exp(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("exp", x, xOff, "out", out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Transcendentals.exp(x[xOff + i]);
        }
    }

    /** {@code out[outOff+i] = tanh(x[xOff+i])} by {@link Transcendentals#tanh}, as {@link #exp}. See {@link Elementwise#tanh}. */
    public static void tanh(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("tanh", x, xOff, "out", out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Transcendentals.tanh(x[xOff + i]);
        }
    }

    /**
     * The logistic function {@code out[outOff+i] = 1 / (1 + e^-x)} by {@link Transcendentals#sigmoid}:
     * {@code 1 / (1 + e^-x)} for {@code x >= 0} and {@code e^x / (1 + e^x)} below, so no large number is
     * exponentiated. See {@link Elementwise#sigmoid}.
     */
    public static void sigmoid(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("sigmoid", x, xOff, "out", out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Transcendentals.sigmoid(x[xOff + i]);
        }
    }

    /** {@code out[outOff+i] = a[aOff+i] / b[bOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#div}. */
    public static void div(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("div", a, aOff, b, bOff, out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    /**
     * {@code y[yOff+i] = y[yOff+i] + alpha * x[xOff+i]} for {@code 0 <= i < n}, with the product rounded before the
     * sum (no fused multiply-add). See {@link Elementwise#axpy}.
     */
    public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        KernelArgs.unary("axpy", x, xOff, "y", y, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** {@code out[outOff+i] = alpha * x[xOff+i]} for {@code 0 <= i < n}. See {@link Elementwise#scale}. */
    public static void scale(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("scale", x, xOff, "out", out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    /** {@code out[outOff+i] = x[xOff+i] + alpha} for {@code 0 <= i < n}. See {@link Elementwise#addScalar}. */
    public static void addScalar(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("addScalar", x, xOff, "out", out, outOff, n);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] + alpha;
        }
    }

    /**
     * {@code x[xOff] + x[xOff+1] + ... + x[xOff+n-1]}, summed left to right starting from {@code +0.0}; {@code 0.0}
     * when {@code n == 0}. See {@link Elementwise#sum}.
     *
     * @return the sum
     */
    public static double sum(double[] x, int xOff, int n) {
        KernelArgs.length("sum", n);
        KernelArgs.range("sum", "x", x, xOff, n);
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    /**
     * {@code sum over i of x[xOff+i] * y[yOff+i]}, left to right starting from {@code +0.0}, each product rounded
     * before it is added; {@code 0.0} when {@code n == 0}. See {@link Elementwise#dot}.
     *
     * @return the dot product
     */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        KernelArgs.length("dot", n);
        KernelArgs.range("dot", "x", x, xOff, n);
        KernelArgs.range("dot", "y", y, yOff, n);
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    /**
     * {@code sum over i of x[xOff+i]^2}, left to right starting from {@code +0.0}, each square rounded before it is
     * added; {@code 0.0} when {@code n == 0}. See {@link Elementwise#sumOfSquares}.
     *
     * @return the sum of squares
     */
    public static double sumOfSquares(double[] x, int xOff, int n) {
        KernelArgs.length("sumOfSquares", n);
        KernelArgs.range("sumOfSquares", "x", x, xOff, n);
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            s += v * v;
        }
        return s;
    }

    /**
     * The largest of {@code x[xOff..xOff+n)} in the order of {@link Math#max} ({@code -0.0 < +0.0}), or
     * {@link Double#NaN} if any element is NaN. See {@link Elementwise#max}.
     *
     * @return the largest element, or {@link Double#NaN} if any element is NaN
     * @throws IllegalArgumentException if {@code n < 1}: the maximum of no elements is undefined
     */
    public static double max(double[] x, int xOff, int n) {
        KernelArgs.nonEmpty("max", n);
        KernelArgs.range("max", "x", x, xOff, n);
        double m = x[xOff];
        for (int i = 1; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return Double.isNaN(m) ? Double.NaN : m;
    }

    /** Reference for {@link Elementwise#maxAbs}. */
    public static double maxAbs(double[] x, int xOff, int n) {
        KernelArgs.range("maxAbs", "x", x, xOff, n);
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(x[xOff + i]));
        }
        return Double.isNaN(m) ? Double.NaN : m;
    }
}

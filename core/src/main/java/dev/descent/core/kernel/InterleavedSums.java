package dev.descent.core.kernel;

/**
 * The summation order of the vectorised reductions ({@link VectorElementwise#sum}, {@link VectorElementwise#dot},
 * {@link VectorElementwise#sumOfSquares}), written as plain scalar code. It defines the order independently of the
 * vector width, which is what makes those reductions give the same bits on every machine.
 *
 * <p>Let {@code m = n - n % 16}. The first {@code m} terms are split into {@value #WIDTH} interleaved partial sums:
 * partial {@code r} adds terms {@code r, r + 16, r + 32, ...} in that order, starting from {@code +0.0}. The partials
 * are then combined by halving, {@code p[j] += p[j + 8]}, then {@code p[j] += p[j + 4]}, {@code p[j] += p[j + 2]},
 * {@code p[0] += p[1]}. The last {@code n % 16} terms are summed left to right from {@code +0.0} into {@code t}, and
 * the result is {@code p[0] + t} (just {@code t} when {@code m == 0}, which is the same value since {@code t} is never
 * {@code -0.0}). A term is {@code x[i]}, {@code x[i] * y[i]} or {@code x[i] * x[i]}, each product rounded before it is
 * added. Summing the tail apart from the partials keeps two short dependency chains instead of one long one.
 *
 * <p>In the vector kernels the partials are the lanes of {@code 16 / L} accumulators of {@code L} lanes each, and the
 * first halvings are lanewise additions of whole accumulators; the recursion below visits the same additions one
 * partial at a time. For fewer than 16 terms the order is plain left to right, as in {@link ScalarElementwise}, and
 * the vector kernels simply call this class.
 *
 * <p>{@link VectorElementwise} falls back to these methods when the preferred vector holds more than 16 doubles (or
 * fewer than 2), where its accumulator layout does not apply; tests use them to check the vector kernels bit for bit.
 * They make one strided pass over the data per partial, so they are meant as a definition, not as a fast path.
 */
final class InterleavedSums {

    /** Number of interleaved partial sums. */
    static final int WIDTH = 16;

    private InterleavedSums() {}

    /** {@link ScalarElementwise#sum} in the interleaved order. Arguments are not checked. */
    static double sum(double[] x, int xOff, int n) {
        int m = n - n % WIDTH;
        double t = 0.0;
        for (int i = m; i < n; i++) {
            t += x[xOff + i];
        }
        return m == 0 ? t : sum(x, xOff, m, 0, 1) + t;
    }

    /** {@link ScalarElementwise#dot} in the interleaved order. Arguments are not checked. */
    static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        int m = n - n % WIDTH;
        double t = 0.0;
        for (int i = m; i < n; i++) {
            t += x[xOff + i] * y[yOff + i];
        }
        return m == 0 ? t : dot(x, xOff, y, yOff, m, 0, 1) + t;
    }

    /** {@link ScalarElementwise#sumOfSquares} in the interleaved order. Arguments are not checked. */
    static double sumOfSquares(double[] x, int xOff, int n) {
        return dot(x, xOff, x, xOff, n);
    }

    /**
     * The combined value of the partials {@code r, r + s, r + 2s, ...} below {@value #WIDTH}: for {@code s == 16} the
     * single partial {@code r}, otherwise the combination of the even and odd halves of that set. Starting from
     * {@code (r, s) = (0, 1)} this is exactly the halving order described on the class.
     */
    private static double sum(double[] x, int xOff, int m, int r, int s) {
        if (s == WIDTH) {
            double p = 0.0;
            for (int i = r; i < m; i += WIDTH) {
                p += x[xOff + i];
            }
            return p;
        }
        return sum(x, xOff, m, r, 2 * s) + sum(x, xOff, m, r + s, 2 * s);
    }

    private static double dot(double[] x, int xOff, double[] y, int yOff, int m, int r, int s) {
        if (s == WIDTH) {
            double p = 0.0;
            for (int i = r; i < m; i += WIDTH) {
                p += x[xOff + i] * y[yOff + i];
            }
            return p;
        }
        return dot(x, xOff, y, yOff, m, r, 2 * s) + dot(x, xOff, y, yOff, m, r + s, 2 * s);
    }
}

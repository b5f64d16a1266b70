package dev.descent.optim;

import java.util.Arrays;

/**
 * The order in which the update rules add up their reductions (norms, sums of squares), so that the Vector API
 * kernels and the scalar references give the same bits for any vector width: the term of element {@code i} goes to
 * partial sum {@code i mod 8}, each partial sum adds its terms in index order, and the eight are combined as
 * {@code ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7))}. A vector of {@code L} lanes (2, 4 or 8) holds
 * {@code L} of the partial sums, {@code 8 / L} vectors all of them. The result depends only on the terms and
 * {@code n}, never on the machine or thread.
 */
final class Sums8 {
    /** The number of partial sums. */
    static final int WIDTH = 8;

    private Sums8() {}

    /** Zeroes the partial sums {@code partials[off, off + 8)}. */
    static void clear(double[] partials, int off) {
        Arrays.fill(partials, off, off + WIDTH, 0.0);
    }

    /** The combined sum of {@code partials[off, off + 8)}. */
    static double total(double[] s, int off) {
        return ((s[off] + s[off + 4]) + (s[off + 2] + s[off + 6])) + ((s[off + 1] + s[off + 5]) + (s[off + 3] + s[off + 7]));
    }

    /** The reference: adds {@code x[i]²} for {@code i} in {@code [from, to)} into the partial sums at {@code off}. */
    static void addSquares(double[] x, int from, int to, double[] partials, int off) {
        for (int i = from; i < to; i++) partials[off + (i & 7)] += x[i] * x[i];
    }

    /** The sum of squares of {@code x[0, n)} in this order, with the partial sums at {@code partials[off, off + 8)}. */
    static double sumOfSquares(double[] x, int n, double[] partials, int off, boolean vector) {
        clear(partials, off);
        if (vector) VectorUpdates.addSquares(x, n, partials, off);
        else addSquares(x, 0, n, partials, off);
        return total(partials, off);
    }
}

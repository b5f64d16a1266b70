package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link ColumnSums}: blocks of {@code 2·L} columns ({@code L} lanes) keep their
 * accumulators in registers down all the rows, then single vectors, then a scalar loop for the last columns. Each
 * column is still summed over the rows in order, so results are bit-identical to the scalar reference.
 *
 * <p><b>Loading this class requires the {@code jdk.incubator.vector} module</b>; {@link ColumnSums} checks for it.
 * Arguments are checked by the facade.
 */
final class VectorColumnSums {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorColumnSums() {}

    static void sums(double[] x, int rows, int cols, double[] out) {
        sums(x, 0, rows, cols, cols, out);
    }

    /** {@code out[j] = Σ_i x[xOff + i·stride + j]} for {@code j < cols}, the same order as {@link ColumnSums#sums}. */
    static void sums(double[] x, int xOff, int rows, int stride, int cols, double[] out) {
        int j = 0;
        for (; j + 2 * L <= cols; j += 2 * L) {
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                a0 = a0.add(DoubleVector.fromArray(S, x, off));
                a1 = a1.add(DoubleVector.fromArray(S, x, off + L));
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j + L);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector a0 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) a0 = a0.add(DoubleVector.fromArray(S, x, off));
            a0.intoArray(out, j);
        }
        for (; j < cols; j++) {
            double t = 0.0;
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) t += x[off];
            out[j] = t;
        }
    }

    static void centeredSquares(double[] x, int rows, int cols, double[] center, double[] out) {
        centeredSquares(x, 0, rows, cols, cols, center, out);
    }

    /** {@link ColumnSums#centeredSquares} of the columns {@code x[xOff + i·stride + j]}, {@code j < cols}. */
    static void centeredSquares(double[] x, int xOff, int rows, int stride, int cols, double[] center, double[] out) {
        int j = 0;
        for (; j + 2 * L <= cols; j += 2 * L) {
            DoubleVector c0 = DoubleVector.fromArray(S, center, j), c1 = DoubleVector.fromArray(S, center, j + L);
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                DoubleVector d0 = DoubleVector.fromArray(S, x, off).sub(c0), d1 = DoubleVector.fromArray(S, x, off + L).sub(c1);
                a0 = a0.add(d0.mul(d0));
                a1 = a1.add(d1.mul(d1));
            }
            a0.intoArray(out, j);
            a1.intoArray(out, j + L);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector c0 = DoubleVector.fromArray(S, center, j), a0 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                DoubleVector d0 = DoubleVector.fromArray(S, x, off).sub(c0);
                a0 = a0.add(d0.mul(d0));
            }
            a0.intoArray(out, j);
        }
        for (; j < cols; j++) {
            double t = 0.0, c = center[j];
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                double d = x[off] - c;
                t += d * d;
            }
            out[j] = t;
        }
    }

    static void sumsAndCenteredProducts(double[] g, double[] x, int rows, int cols, double[] center, double[] sg, double[] sgx) {
        sumsAndCenteredProducts(g, x, 0, rows, cols, cols, center, sg, sgx);
    }

    /** {@link ColumnSums#sumsAndCenteredProducts} of the columns {@code xOff + i·stride + j}, {@code j < cols}, of g and x. */
    static void sumsAndCenteredProducts(double[] g, double[] x, int xOff, int rows, int stride, int cols, double[] center,
                                        double[] sg, double[] sgx) {
        int j = 0;
        for (; j + 2 * L <= cols; j += 2 * L) {
            DoubleVector c0 = DoubleVector.fromArray(S, center, j), c1 = DoubleVector.fromArray(S, center, j + L);
            DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S), p0 = DoubleVector.zero(S), p1 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, off), g1 = DoubleVector.fromArray(S, g, off + L);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                p0 = p0.add(g0.mul(DoubleVector.fromArray(S, x, off).sub(c0)));
                p1 = p1.add(g1.mul(DoubleVector.fromArray(S, x, off + L).sub(c1)));
            }
            s0.intoArray(sg, j);
            s1.intoArray(sg, j + L);
            p0.intoArray(sgx, j);
            p1.intoArray(sgx, j + L);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector c0 = DoubleVector.fromArray(S, center, j), s0 = DoubleVector.zero(S), p0 = DoubleVector.zero(S);
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, off);
                s0 = s0.add(g0);
                p0 = p0.add(g0.mul(DoubleVector.fromArray(S, x, off).sub(c0)));
            }
            s0.intoArray(sg, j);
            p0.intoArray(sgx, j);
        }
        for (; j < cols; j++) {
            double s = 0.0, p = 0.0, c = center[j];
            for (int i = 0, off = xOff + j; i < rows; i++, off += stride) {
                s += g[off];
                p += g[off] * (x[off] - c);
            }
            sg[j] = s;
            sgx[j] = p;
        }
    }
}

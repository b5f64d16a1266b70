package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of {@link ChannelKernels} for one range of channels: the affine maps (over spatial runs with the
 * channel's constants broadcast, or over rows of per-position constants for short runs) and the per-position sums of
 * the run layout, kept in a buffer of {@code s} values. Each element gets the same IEEE operations as in the scalar
 * loops, in the same order, so results are bit-identical to them.
 *
 * <p><b>Loading this class requires the {@code jdk.incubator.vector} module</b>; {@link ChannelKernels} checks for it.
 * Arguments are checked by the facade.
 */
final class VectorChannelKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorChannelKernels() {}

    /** {@code y = (x − center[ch])·scale[ch] + shift[ch]} over the runs of channels {@code [c0, c1)}. */
    static void affineRuns(double[] x, double[] y, int n, int c, int s, int c0, int c1, double[] center, double[] scale,
                           double[] shift) {
        int bound = S.loopBound(s);
        for (int i = 0; i < n; i++) {
            for (int ch = c0; ch < c1; ch++) {
                int off = (i * c + ch) * s;
                double m = center[ch], a = scale[ch], b = shift[ch];
                DoubleVector vm = DoubleVector.broadcast(S, m), va = DoubleVector.broadcast(S, a), vb = DoubleVector.broadcast(S, b);
                int k = 0;
                for (; k < bound; k += L) {
                    DoubleVector.fromArray(S, x, off + k).sub(vm).mul(va).add(vb).intoArray(y, off + k);
                }
                for (; k < s; k++) y[off + k] = (x[off + k] - m) * a + b;
            }
        }
    }

    /** {@code y = (x − m[j])·a[j] + b[j]} over columns {@code [j0, j1)} of the {@code [n, row]} view. */
    static void affineRows(double[] x, double[] y, int n, int row, int j0, int j1, double[] m, double[] a, double[] b) {
        int bound = j0 + S.loopBound(j1 - j0);
        for (int i = 0, off = 0; i < n; i++, off += row) {
            int j = j0;
            for (; j < bound; j += L) {
                DoubleVector.fromArray(S, x, off + j).sub(DoubleVector.fromArray(S, m, j)).mul(DoubleVector.fromArray(S, a, j))
                        .add(DoubleVector.fromArray(S, b, j)).intoArray(y, off + j);
            }
            for (; j < j1; j++) y[off + j] = (x[off + j] - m[j]) * a[j] + b[j];
        }
    }

    /** {@code out = g·k1[ch] + (x − center[ch])·k2[ch] + k3[ch]} over the runs of channels {@code [c0, c1)}. */
    static void gradientRuns(double[] g, double[] x, double[] out, int n, int c, int s, int c0, int c1, double[] center,
                             double[] k1, double[] k2, double[] k3) {
        int bound = S.loopBound(s);
        for (int i = 0; i < n; i++) {
            for (int ch = c0; ch < c1; ch++) {
                int off = (i * c + ch) * s;
                double m = center[ch], a = k1[ch], b = k2[ch], d = k3[ch];
                DoubleVector vm = DoubleVector.broadcast(S, m), va = DoubleVector.broadcast(S, a);
                DoubleVector vb = DoubleVector.broadcast(S, b), vd = DoubleVector.broadcast(S, d);
                int k = 0;
                for (; k < bound; k += L) {
                    DoubleVector gv = DoubleVector.fromArray(S, g, off + k), xv = DoubleVector.fromArray(S, x, off + k);
                    gv.mul(va).add(xv.sub(vm).mul(vb)).add(vd).intoArray(out, off + k);
                }
                for (; k < s; k++) out[off + k] = g[off + k] * a + (x[off + k] - m) * b + d;
            }
        }
    }

    /** {@code out = g·a[j] + (x − m[j])·b[j] + d[j]} over columns {@code [j0, j1)} of the {@code [n, row]} view. */
    static void gradientRows(double[] g, double[] x, double[] out, int n, int row, int j0, int j1, double[] m, double[] a,
                             double[] b, double[] d) {
        int bound = j0 + S.loopBound(j1 - j0);
        for (int i = 0, off = 0; i < n; i++, off += row) {
            int j = j0;
            for (; j < bound; j += L) {
                DoubleVector gv = DoubleVector.fromArray(S, g, off + j), xv = DoubleVector.fromArray(S, x, off + j);
                gv.mul(DoubleVector.fromArray(S, a, j)).add(xv.sub(DoubleVector.fromArray(S, m, j)).mul(DoubleVector.fromArray(S, b, j)))
                        .add(DoubleVector.fromArray(S, d, j)).intoArray(out, off + j);
            }
            for (; j < j1; j++) out[off + j] = g[off + j] * a[j] + (x[off + j] - m[j]) * b[j] + d[j];
        }
    }

    /** {@code acc[k] += x[off + k]} for {@code k < s}. */
    static void addRun(double[] x, int off, int s, double[] acc) {
        int k = 0;
        for (int bound = S.loopBound(s); k < bound; k += L) {
            DoubleVector.fromArray(S, acc, k).add(DoubleVector.fromArray(S, x, off + k)).intoArray(acc, k);
        }
        for (; k < s; k++) acc[k] += x[off + k];
    }

    /** {@code acc[k] += (x[off + k] − m)²} for {@code k < s}. */
    static void addCenteredSquares(double[] x, int off, int s, double m, double[] acc) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        int k = 0;
        for (int bound = S.loopBound(s); k < bound; k += L) {
            DoubleVector d = DoubleVector.fromArray(S, x, off + k).sub(vm);
            DoubleVector.fromArray(S, acc, k).add(d.mul(d)).intoArray(acc, k);
        }
        for (; k < s; k++) {
            double d = x[off + k] - m;
            acc[k] += d * d;
        }
    }

    /** {@code a[k] += g[off + k]} and {@code b[k] += g[off + k]·(x[off + k] − m)} for {@code k < s}. */
    static void addSumsAndCenteredProducts(double[] g, double[] x, int off, int s, double m, double[] a, double[] b) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        int k = 0;
        for (int bound = S.loopBound(s); k < bound; k += L) {
            DoubleVector gv = DoubleVector.fromArray(S, g, off + k);
            DoubleVector.fromArray(S, a, k).add(gv).intoArray(a, k);
            DoubleVector.fromArray(S, b, k).add(gv.mul(DoubleVector.fromArray(S, x, off + k).sub(vm))).intoArray(b, k);
        }
        for (; k < s; k++) {
            double gk = g[off + k];
            a[k] += gk;
            b[k] += gk * (x[off + k] - m);
        }
    }
}

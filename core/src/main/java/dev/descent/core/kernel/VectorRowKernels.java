package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link RowKernels}: each row in two (backward) or three (forward) fused passes, the row
 * sums kept in {@code 16 / L} accumulators per sum ({@code L} lanes) whose lanes are the 16 interleaved partials of
 * {@code InterleavedSums}, combined as {@link VectorElementwise} combines them, so results are bit-identical to the
 * scalar reference. Used when {@code L} is 4, 8 or 16 ({@link #fits}).
 *
 * <p><b>Loading this class requires the {@code jdk.incubator.vector} module</b>; {@link RowKernels} checks for it.
 * Arguments are checked by the facade; the affine rows are never null here.
 */
final class VectorRowKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = InterleavedSums.WIDTH;
    /** Accumulators per sum: 4, 2 or 1; C2 treats it as a constant and drops the branches for the others. */
    private static final int K = W / L;

    private VectorRowKernels() {}

    /** Whether the accumulator layout applies to this machine's vectors. */
    static boolean fits() {
        return L >= 4 && L <= W;
    }

    static void forward(double[] x, double[] y, int rows, int len, int groups, double[] w, double[] b, double eps,
                        double[] mean, double[] rstd) {
        int m = len - len % W;
        for (int r = 0; r < rows; r++) {
            int off = r * len, go = (r % groups) * len;
            double mu = VectorElementwise.sum(x, off, len) / len;
            double rs = 1 / Math.sqrt(centeredSquares(x, off, len, m, mu) / len + eps);
            mean[r] = mu;
            rstd[r] = rs;
            DoubleVector vm = DoubleVector.broadcast(S, mu), vr = DoubleVector.broadcast(S, rs);
            int j = 0;
            for (int end = S.loopBound(len); j < end; j += L) {
                DoubleVector.fromArray(S, x, off + j).sub(vm).mul(vr).mul(DoubleVector.fromArray(S, w, go + j))
                        .add(DoubleVector.fromArray(S, b, go + j)).intoArray(y, off + j);
            }
            for (; j < len; j++) y[off + j] = (x[off + j] - mu) * rs * w[go + j] + b[go + j];
        }
    }

    /** {@code Σ (x − mu)²} over {@code x[off .. off + n)} in the interleaved order; {@code m = n − n % 16}. */
    private static double centeredSquares(double[] x, int off, int n, int m, double mu) {
        DoubleVector vm = DoubleVector.broadcast(S, mu);
        DoubleVector z = DoubleVector.zero(S), a0 = z, a1 = z, a2 = z, a3 = z;
        for (int i = 0; i < m; i += W) {
            int p = off + i;
            DoubleVector d0 = DoubleVector.fromArray(S, x, p).sub(vm);
            a0 = a0.add(d0.mul(d0));
            if (K >= 2) {
                DoubleVector d1 = DoubleVector.fromArray(S, x, p + L).sub(vm);
                a1 = a1.add(d1.mul(d1));
            }
            if (K >= 4) {
                DoubleVector d2 = DoubleVector.fromArray(S, x, p + 2 * L).sub(vm);
                DoubleVector d3 = DoubleVector.fromArray(S, x, p + 3 * L).sub(vm);
                a2 = a2.add(d2.mul(d2));
                a3 = a3.add(d3.mul(d3));
            }
        }
        double t = 0.0;
        for (int i = m; i < n; i++) {
            double d = x[off + i] - mu;
            t += d * d;
        }
        return m == 0 ? t : VectorElementwise.combine(a0, a1, a2, a3, z, z, z, z) + t;
    }

    static void backward(double[] g, double[] x, double[] dx, int rows, int len, int groups, double[] w,
                         double[] mean, double[] rstd, double[] dw, double[] db) {
        int m = len - len % W;
        for (int r = 0; r < rows; r++) {
            int off = r * len, go = (r % groups) * len;
            double mu = mean[r], rs = rstd[r];
            DoubleVector vm = DoubleVector.broadcast(S, mu), vr = DoubleVector.broadcast(S, rs);
            // pass 1: the two row sums (interleaved partials in registers) and the affine gradients
            DoubleVector z = DoubleVector.zero(S), a0 = z, a1 = z, a2 = z, a3 = z, c0 = z, c1 = z, c2 = z, c3 = z;
            for (int i = 0; i < m; i += W) {
                int p = off + i, q = go + i;
                {
                    DoubleVector gv = DoubleVector.fromArray(S, g, p), xv = DoubleVector.fromArray(S, x, p).sub(vm).mul(vr);
                    DoubleVector gh = gv.mul(DoubleVector.fromArray(S, w, q));
                    a0 = a0.add(gh);
                    c0 = c0.add(gh.mul(xv));
                    DoubleVector.fromArray(S, dw, q).add(gv.mul(xv)).intoArray(dw, q);
                    DoubleVector.fromArray(S, db, q).add(gv).intoArray(db, q);
                }
                if (K >= 2) {
                    int p1 = p + L, q1 = q + L;
                    DoubleVector gv = DoubleVector.fromArray(S, g, p1), xv = DoubleVector.fromArray(S, x, p1).sub(vm).mul(vr);
                    DoubleVector gh = gv.mul(DoubleVector.fromArray(S, w, q1));
                    a1 = a1.add(gh);
                    c1 = c1.add(gh.mul(xv));
                    DoubleVector.fromArray(S, dw, q1).add(gv.mul(xv)).intoArray(dw, q1);
                    DoubleVector.fromArray(S, db, q1).add(gv).intoArray(db, q1);
                }
                if (K >= 4) {
                    int p2 = p + 2 * L, q2 = q + 2 * L, p3 = p + 3 * L, q3 = q + 3 * L;
                    DoubleVector gv2 = DoubleVector.fromArray(S, g, p2), xv2 = DoubleVector.fromArray(S, x, p2).sub(vm).mul(vr);
                    DoubleVector gh2 = gv2.mul(DoubleVector.fromArray(S, w, q2));
                    a2 = a2.add(gh2);
                    c2 = c2.add(gh2.mul(xv2));
                    DoubleVector.fromArray(S, dw, q2).add(gv2.mul(xv2)).intoArray(dw, q2);
                    DoubleVector.fromArray(S, db, q2).add(gv2).intoArray(db, q2);
                    DoubleVector gv3 = DoubleVector.fromArray(S, g, p3), xv3 = DoubleVector.fromArray(S, x, p3).sub(vm).mul(vr);
                    DoubleVector gh3 = gv3.mul(DoubleVector.fromArray(S, w, q3));
                    a3 = a3.add(gh3);
                    c3 = c3.add(gh3.mul(xv3));
                    DoubleVector.fromArray(S, dw, q3).add(gv3.mul(xv3)).intoArray(dw, q3);
                    DoubleVector.fromArray(S, db, q3).add(gv3).intoArray(db, q3);
                }
            }
            double ta = 0.0, tc = 0.0;
            for (int j = m; j < len; j++) {
                double gj = g[off + j], xj = (x[off + j] - mu) * rs, gh = gj * w[go + j];
                ta += gh;
                tc += gh * xj;
                dw[go + j] += gj * xj;
                db[go + j] += gj;
            }
            double a = (m == 0 ? ta : VectorElementwise.combine(a0, a1, a2, a3, z, z, z, z) + ta) / len;
            double c = (m == 0 ? tc : VectorElementwise.combine(c0, c1, c2, c3, z, z, z, z) + tc) / len;
            // pass 2: dx = rstd·((ĝ − a) − x̂·c)
            DoubleVector va = DoubleVector.broadcast(S, a), vc = DoubleVector.broadcast(S, c);
            int j = 0;
            for (int end = S.loopBound(len); j < end; j += L) {
                DoubleVector xv = DoubleVector.fromArray(S, x, off + j).sub(vm).mul(vr);
                DoubleVector gh = DoubleVector.fromArray(S, g, off + j).mul(DoubleVector.fromArray(S, w, go + j));
                vr.mul(gh.sub(va).sub(xv.mul(vc))).intoArray(dx, off + j);
            }
            for (; j < len; j++) {
                double xj = (x[off + j] - mu) * rs, gh = g[off + j] * w[go + j];
                dx[off + j] = rs * (gh - a - xj * c);
            }
        }
    }
}

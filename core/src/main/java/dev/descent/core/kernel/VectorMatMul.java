package dev.descent.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiplication with the Vector API: packed, cache-blocked and register-tiled, in the style of GotoBLAS and
 * BLIS. Needs the {@code jdk.incubator.vector} module at run time; go through {@link MatMul}, which only reaches this
 * class when the module is present.
 *
 * <p>Same contract as {@link MatMul}. How it works:
 * <ul>
 *   <li>Products with fewer than {@link #SMALL} multiply-adds skip packing: each row of C is accumulated from rows
 *       of op(B) with vector FMAs (scalar FMAs when B is transposed, since its rows are then strided).</li>
 *   <li>Larger products are blocked over n ({@link #NC} columns) and k ({@link #KC}): a {@code KC x NC} panel of
 *       op(B) is packed into {@link #NR}-column strips, then each {@code MC x KC} block of op(A) is packed into
 *       {@link #MR}-row strips (transposes are absorbed here), and a {@code MR x NR} micro-kernel with
 *       {@code 2 * MR} vector accumulators in registers runs over every pair of strips. Edge tiles are zero-padded
 *       in the packed buffers and stored through a small scratch tile.</li>
 *   <li>Products with at least {@link #PARALLEL} multiply-adds are split into contiguous row ranges of C, one per
 *       thread, each run start to finish as above on the caller thread and {@link ForkJoinPool#commonPool()}
 *       workers. Every element's sum is formed in the same order (the k blocks are the same) whatever the split, so
 *       results are bit-identical for every thread count.</li>
 * </ul>
 * Packing buffers are allocated once per call (per thread), sized to the problem; the loops allocate nothing.
 */
public final class VectorMatMul {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Rows of the register tile. With 2 vectors per row this is 8 accumulators; a 6-row tile spills on AVX2. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a k block: an {@code KC x NR} strip of packed B stays in L1. */
    static final int KC = 256;
    /** Rows of a packed block of A ({@code MC x KC}, kept in L2); a multiple of {@link #MR}. */
    static final int MC = 128;
    /** Columns of a packed panel of B ({@code KC x NC}, kept in L3); a multiple of {@link #NR}. */
    static final int NC = 2048;
    /** Below this many multiply-adds ({@code m * n * k}) packing costs more than it saves. */
    static final long SMALL = 24 * 24 * 24;
    /** From this many multiply-adds on, the work is shared between threads. */
    static final long PARALLEL = 1L << 21;

    private VectorMatMul() {
    }

    /**
     * {@code C[m x n] = op(A) * op(B) + beta * C} using at most {@code threads} threads; see {@link MatMul} for the
     * conventions. With {@code threads == 1} everything runs on the calling thread.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc, int threads) {
        MatMul.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        MatMul.checkThreads(threads);
        if (m == 0 || n == 0) {
            return;
        }
        if ((long) m * n * k < SMALL) {
            unpacked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int t = threadsFor(m, n, k, threads);
        if (t == 1) {
            packed(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int panels = (m + MR - 1) / MR;
        int aStep = transA ? 1 : lda;
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[t - 1];
        try {
            for (int s = 1; s < t; s++) {
                int r0 = MR * (int) ((long) panels * s / t);
                int r1 = Math.min(m, MR * (int) ((long) panels * (s + 1) / t));
                others[s - 1] = ForkJoinPool.commonPool().submit(() -> packed(transA, transB, r1 - r0, n, k,
                        a, aOff + r0 * aStep, lda, b, bOff, ldb, beta, c, cOff + r0 * ldc, ldc));
            }
            int rows = Math.min(m, MR * (panels / t));
            packed(transA, transB, rows, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } finally {
            for (ForkJoinTask<?> task : others) {
                if (task != null) {
                    task.join();
                }
            }
        }
    }

    /** How many row ranges (threads) a product of this size is split into. */
    static int threadsFor(int m, int n, int k, int threads) {
        if ((long) m * n * k < PARALLEL) {
            return 1;
        }
        return Math.min(threads, (m + MR - 1) / MR);
    }

    /** The small-size path: C's rows accumulated in place, one row of op(B) at a time. */
    private static void unpacked(boolean transA, boolean transB, int m, int n, int k,
                                 double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                 double beta, double[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        int vectorEnd = transB ? 0 : S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0 ? 0 : beta * c[ci + j];
            }
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * aRow + p * aCol];
                DoubleVector av = DoubleVector.broadcast(S, aip);
                int bp = bOff + p * bRow;
                int j = 0;
                for (; j < vectorEnd; j += L) {
                    av.fma(DoubleVector.fromArray(S, b, bp + j), DoubleVector.fromArray(S, c, ci + j))
                            .intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j * bCol], c[ci + j]);
                }
            }
        }
    }

    /** The blocked path on the calling thread. */
    private static void packed(boolean transA, boolean transB, int m, int n, int k,
                               double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                               double beta, double[] c, int cOff, int ldc) {
        int kcMax = Math.min(k, KC);
        double[] ap = new double[roundUp(Math.min(m, MC), MR) * kcMax];
        double[] bp = new double[roundUp(Math.min(n, NC), NR) * kcMax];
        double[] tile = new double[MR * NR];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // The first k block applies beta; later ones add to what the earlier ones stored.
                double blockBeta = pc == 0 ? beta : 1;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, ir * kc, bp, jr * kc, c, ci, ldc, blockBeta);
                            } else {
                                kernel(kc, ap, ir * kc, bp, jr * kc, tile, 0, NR, 0);
                                for (int r = 0; r < mr; r++) {
                                    for (int j = 0; j < nr; j++) {
                                        int at = ci + r * ldc + j;
                                        double sum = tile[r * NR + j];
                                        c[at] = blockBeta == 0 ? sum : Math.fma(blockBeta, c[at], sum);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code C[MR x NR] = Ap * Bp + beta * C} over {@code kc} steps of packed strips
     * ({@code beta == 0} ignores C). The eight accumulators must stay locals of this one method: in an array or
     * passed to a helper, C2 no longer keeps them in registers and the kernel becomes many times slower.
     */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi,
                               double[] c, int ci, int ldc, double beta) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int c1 = ci + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        if (beta == 0) {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
            c10.intoArray(c, c1);
            c11.intoArray(c, c1 + L);
            c20.intoArray(c, c2);
            c21.intoArray(c, c2 + L);
            c30.intoArray(c, c3);
            c31.intoArray(c, c3 + L);
        } else {
            DoubleVector bv = DoubleVector.broadcast(S, beta);
            DoubleVector.fromArray(S, c, ci).fma(bv, c00).intoArray(c, ci);
            DoubleVector.fromArray(S, c, ci + L).fma(bv, c01).intoArray(c, ci + L);
            DoubleVector.fromArray(S, c, c1).fma(bv, c10).intoArray(c, c1);
            DoubleVector.fromArray(S, c, c1 + L).fma(bv, c11).intoArray(c, c1 + L);
            DoubleVector.fromArray(S, c, c2).fma(bv, c20).intoArray(c, c2);
            DoubleVector.fromArray(S, c, c2 + L).fma(bv, c21).intoArray(c, c2 + L);
            DoubleVector.fromArray(S, c, c3).fma(bv, c30).intoArray(c, c3);
            DoubleVector.fromArray(S, c, c3 + L).fma(bv, c31).intoArray(c, c3 + L);
        }
    }

    /**
     * Packs rows {@code [i0, i0 + mc)} and columns {@code [p0, p0 + kc)} of op(A) into {@link #MR}-row strips:
     * element {@code (r, p)} of strip {@code s} goes to {@code ap[s * MR * kc + p * MR + r]}; missing rows are zero.
     */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                              double[] ap) {
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int at = 0;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int src = aOff + (i0 + ir) * aRow + p0 * aCol;
            for (int p = 0; p < kc; p++, src += aCol) {
                int r = 0;
                for (; r < mr; r++) {
                    ap[at++] = a[src + r * aRow];
                }
                for (; r < MR; r++) {
                    ap[at++] = 0;
                }
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of op(B) into {@link #NR}-column strips:
     * element {@code (p, j)} of strip {@code s} goes to {@code bp[s * NR * kc + p * NR + j]}; missing columns are
     * zero.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              double[] bp) {
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        int at = 0;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int src = bOff + p0 * bRow + (j0 + jr) * bCol;
            for (int p = 0; p < kc; p++, src += bRow) {
                int j = 0;
                for (; j < nr; j++) {
                    bp[at++] = b[src + j * bCol];
                }
                for (; j < NR; j++) {
                    bp[at++] = 0;
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}

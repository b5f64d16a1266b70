package dev.descent.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicIntegerArray;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiplication with the Vector API: packed, cache-blocked and register-tiled, in the style of GotoBLAS and
 * BLIS. Needs the {@code jdk.incubator.vector} module at run time; go through {@link MatMul}, which only reaches this
 * class when the module is present.
 *
 * <p>Same contract as {@link MatMul}. How it works:
 * <ul>
 *   <li>The work is done by a micro-kernel that keeps an {@code MR x NR} tile of C in {@code 2 * MR} vector
 *       registers and adds one outer product of a column of A and a row of B per step, with FMAs. {@code NR} is two
 *       vectors; {@code MR} is 8 when a vector holds 8 doubles or more (AVX-512: {@code 8 x 16}, 16 accumulators of
 *       its 32 registers) and 4 otherwise (AVX2: {@code 4 x 8}, 8 accumulators, as a wider tile spills from its
 *       16).</li>
 *   <li>Small products (fewer than {@code SMALL} = 2^17, about 50^3, multiply-adds, op(B) not transposed and at
 *       least {@code NR} columns) skip packing: {@code 4 x NR} tiles read A and B where they are. A ragged edge is
 *       covered by a tile shifted back to overlap its neighbour (or, with fewer than 4 rows, by one row repeated),
 *       computed into a scratch tile of which only the new elements are stored.</li>
 *   <li>Other products are blocked over n ({@code NC} = 1024 columns) and k ({@code KC} = 256): each
 *       {@code KC x NC} panel of op(B) is packed once into {@code NR}-column strips and shared by every row block
 *       (a transposed B with gathers, {@code L} of its rows at a time, so that the pack of {@code x·Wᵀ} costs about
 *       what a plain copy does; a B that is not transposed is read in place instead when the product has at most
 *       {@code IN_PLACE_ROWS} = 64 rows and B at most {@code IN_PLACE_B} = 2^16 elements, as in a recurrent
 *       layer's backward pass, where packing cost a quarter of the product);
 *       a row block ({@code MC} = 128 rows, fewer when threads share the product) packs its {@code KC}-deep piece
 *       of op(A) into {@code MR}-row strips once (transposes are absorbed here), and then, for each
 *       {@code NB} = 256-column part of the panel (in L2), the micro-kernel runs each strip of A (in L1) along
 *       every strip of that part, so that C is updated one row of tiles after another, in the order the hardware
 *       prefetchers follow. Each k block adds its sums to C once. Edges are zero-padded in the packed buffers and
 *       stored through the scratch tile.</li>
 *   <li>Products with at least {@code PARALLEL} = 2^21 (about 128^3) multiply-adds are shared with
 *       {@link ForkJoinPool#commonPool()} workers: the threads claim pieces of the panel to pack and then row
 *       blocks from shared counters, the calling thread included, so a pool thread that starts late (or not at all)
 *       only takes less of the work. Every element is summed in the same order whatever the split (k blocks start
 *       at the same places and follow one another for each row block), so results are bit-identical for every
 *       thread count.</li>
 * </ul>
 * Each thread that runs this kernel keeps its packing buffers for its next call: buffers that are still in cache
 * made mid-sized products up to 1.5 times faster than fresh ones. That is {@code KC * MC} doubles for op(A) and
 * {@code KC * NC} for op(B) (2.3 MB), plus a second {@code KC * NC} on a thread that has shared a product of several
 * panels (4.4 MB). Nothing is allocated in the loops.
 */
public final class VectorMatMul {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Rows of the register tile of the packed path, two vectors each: 8 when a vector holds at least 8 doubles
     * (AVX-512, whose 32 registers fit the 16 accumulators), otherwise 4 (8 accumulators: on AVX2's 16 registers a
     * 6-row tile already spills).
     */
    static final int MR = L >= 8 ? 8 : 4;
    /** Rows of the register tile of the small-size path (which reads A in place, so wider tiles gain little). */
    static final int DIRECT_MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a k block: an {@code MR x KC} strip of packed A stays in L1 while the strips of B pass by. */
    static final int KC = 256;
    /** Rows of a packed block of A ({@code MC x KC}) on one thread; a multiple of {@link #MR}. */
    static final int MC = 128;
    /**
     * Columns of a packed panel of B ({@code KC x NC}, 2 MB, kept in L3); a multiple of {@link #NB}. A row block
     * packs its piece of A once per panel, so wide panels pack A fewer times.
     */
    static final int NC = 1024;
    /**
     * Columns of the part of a panel that the strips of A of a row block run along ({@code KC x NB}, 512 KB, kept in
     * L2); a multiple of {@link #NR}.
     */
    static final int NB = 256;
    /** Below this many multiply-adds ({@code m * n * k}, about 50^3) packing costs more than it saves. */
    static final long SMALL = 1L << 17;
    /**
     * A product of at most this many rows reads a B that is not transposed in place when B has at most
     * {@link #IN_PLACE_B} elements: each strip of B then serves at most {@code IN_PLACE_ROWS / MR} strips of A, too
     * few for a packed copy to repay its cost (packing was a quarter to a third of products such as
     * {@code 32 x 128 x 128}), and all of B stays in L2, where strided rows cost little.
     */
    static final int IN_PLACE_ROWS = 64;
    /** The largest B (in elements, 512 KB) read in place; see {@link #IN_PLACE_ROWS}. */
    static final long IN_PLACE_B = 1L << 16;
    /** From this many multiply-adds on, the work is shared between threads. */
    static final long PARALLEL = 1L << 21;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

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
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    store(c, cOff + i * ldc + j, beta, 0);
                }
            }
            return;
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (!transB && n >= NR && (long) m * n * k < SMALL) {
            direct(transA, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Blocked product = new Blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                threadsFor(m, n, k, threads));
        product.run();
    }

    /** How many threads work on a product of this size. */
    static int threadsFor(int m, int n, int k, int threads) {
        if ((long) m * n * k < PARALLEL) {
            return 1;
        }
        return Math.min(threads, (m + MR - 1) / MR);
    }

    /** The small-size path: tiles straight from A and B (not transposed, {@code n >= NR}), no packing. */
    private static void direct(boolean transA, int m, int n, int k, double[] a, int aOff, int lda,
                               double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        double[] tile = WORKSPACE.get().tile;
        // With fewer than DIRECT_MR rows, each row is done alone as a tile of that row repeated (row stride 0).
        boolean rowwise = m < DIRECT_MR;
        int tileRowStride = rowwise ? 0 : aRow;
        int tileRows = rowwise ? 1 : DIRECT_MR;
        for (int i = 0; i < m; i += tileRows) {
            int top = rowwise ? i : Math.min(i, m - DIRECT_MR);
            for (int j = 0; j < n; j += NR) {
                int left = Math.min(j, n - NR);
                int ai = aOff + top * aRow;
                int bi = bOff + left;
                int ci = cOff + top * ldc + left;
                if (!rowwise && top == i && left == j) {
                    directKernel(k, a, ai, aRow, aCol, b, bi, ldb, c, ci, ldc, beta);
                } else {
                    directKernel(k, a, ai, tileRowStride, aCol, b, bi, ldb, tile, 0, NR, 0);
                    for (int r = i - top; r < tileRows; r++) {
                        for (int jj = j - left; jj < NR; jj++) {
                            store(c, ci + r * ldc + jj, beta, tile[r * NR + jj]);
                        }
                    }
                }
            }
        }
    }

    /** {@code c[at] = sum + beta * c[at]}, ignoring the old value when {@code beta == 0}; as the vector stores do. */
    private static void store(double[] c, int at, double beta, double sum) {
        c[at] = beta == 0 ? sum : Math.fma(beta, c[at], sum);
    }

    /**
     * The micro-kernel: {@code C[MR x NR] = Ap * Bp + beta * C} over {@code kc} steps of a packed strip of A and a
     * strip of B whose rows are {@code bs} apart ({@code NR} when packed, {@code ldb} when read in place)
     * ({@code beta == 0} ignores C), in the method for this machine's tile. Each one keeps its accumulators as locals
     * of that one method: in an array or passed to a helper, C2 no longer keeps them in registers and the kernel
     * becomes many times slower. (A 12-row tile on AVX-512 was 10 % slower than 8 rows.)
     */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi, int bs,
                               double[] c, int ci, int ldc, double beta) {
        if (MR == 8) {
            kernel8(kc, ap, ai, bp, bi, bs, c, ci, ldc, beta);
        } else {
            kernel4(kc, ap, ai, bp, bi, bs, c, ci, ldc, beta);
        }
    }

    /** The micro-kernel for {@code MR == 4}: 8 accumulators. */
    private static void kernel4(int kc, double[] ap, int ai, double[] bp, int bi, int bs,
                                double[] c, int ci, int ldc, double beta) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ai += MR, bi += bs) {
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

    /** The micro-kernel for {@code MR == 8}: 16 accumulators. */
    private static void kernel8(int kc, double[] ap, int ai, double[] bp, int bi, int bs,
                                double[] c, int ci, int ldc, double beta) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        DoubleVector c40 = c00, c41 = c00;
        DoubleVector c50 = c00, c51 = c00;
        DoubleVector c60 = c00, c61 = c00;
        DoubleVector c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++, ai += 8, bi += bs) {
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
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, ap[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, ap[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        int c1 = ci + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
        if (beta == 0) {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
            c10.intoArray(c, c1);
            c11.intoArray(c, c1 + L);
            c20.intoArray(c, c2);
            c21.intoArray(c, c2 + L);
            c30.intoArray(c, c3);
            c31.intoArray(c, c3 + L);
            c40.intoArray(c, c4);
            c41.intoArray(c, c4 + L);
            c50.intoArray(c, c5);
            c51.intoArray(c, c5 + L);
            c60.intoArray(c, c6);
            c61.intoArray(c, c6 + L);
            c70.intoArray(c, c7);
            c71.intoArray(c, c7 + L);
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
            DoubleVector.fromArray(S, c, c4).fma(bv, c40).intoArray(c, c4);
            DoubleVector.fromArray(S, c, c4 + L).fma(bv, c41).intoArray(c, c4 + L);
            DoubleVector.fromArray(S, c, c5).fma(bv, c50).intoArray(c, c5);
            DoubleVector.fromArray(S, c, c5 + L).fma(bv, c51).intoArray(c, c5 + L);
            DoubleVector.fromArray(S, c, c6).fma(bv, c60).intoArray(c, c6);
            DoubleVector.fromArray(S, c, c6 + L).fma(bv, c61).intoArray(c, c6 + L);
            DoubleVector.fromArray(S, c, c7).fma(bv, c70).intoArray(c, c7);
            DoubleVector.fromArray(S, c, c7 + L).fma(bv, c71).intoArray(c, c7 + L);
        }
    }

    /**
     * The micro-kernel of the small-size path: as {@link #kernel}, reading A and B where they are.
     * {@code op(A)[r][p]} is {@code a[ai + r * aRow + p * aCol]}, {@code op(B)[p][j]} is {@code b[bi + p * ldb + j]}.
     * A copy of {@code kernel} rather than one shared method because the constant strides of the packed buffers make
     * {@code kernel} about 20 % faster.
     */
    private static void directKernel(int kc, double[] a, int ai, int aRow, int aCol, double[] b, int bi, int ldb,
                                     double[] c, int ci, int ldc, double beta) {
        int a2 = 2 * aRow, a3 = 3 * aRow;
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00;
        DoubleVector c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ai += aCol, bi += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ai + aRow]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ai + a2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ai + a3]);
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
                              double[] ap, int[] gather) {
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int at = 0;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int src = aOff + (i0 + ir) * aRow + p0 * aCol;
            if (mr == MR && MR % L == 0) {
                // A column of the strip is MR / L vectors: contiguous in a transposed A, otherwise gathered across
                // L of A's rows (gather holds 0, lda, 2 lda, ...), which reads each row in order as p advances.
                for (int p = 0; p < kc; p++, src += aCol, at += MR) {
                    for (int v = 0; v < MR; v += L) {
                        DoubleVector col = transA ? DoubleVector.fromArray(S, a, src + v)
                                : DoubleVector.fromArray(S, a, src + v * lda, gather, 0);
                        col.intoArray(ap, at + v);
                    }
                }
            } else if (mr == MR) {
                for (int p = 0; p < kc; p++, src += aCol, at += MR) {
                    for (int r = 0; r < MR; r++) {
                        ap[at + r] = a[src + r * aRow];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += aCol) {
                    for (int r = 0; r < MR; r++) {
                        ap[at++] = r < mr ? a[src + r * aRow] : 0;
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of op(B) into {@link #NR}-column strips:
     * element {@code (p, j)} of strip {@code s} goes to {@code bp[bpOff + s * NR * kc + p * NR + j]}; missing columns
     * are zero. With {@code edgeOnly}, only a last strip of fewer than {@code NR} columns is packed (the kernel reads
     * the full ones in place).
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              double[] bp, int bpOff, int[] gather, boolean edgeOnly) {
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        for (int jr = 0, at = bpOff; jr < nc; jr += NR, at += NR * kc) {
            int nr = Math.min(NR, nc - jr);
            int src = bOff + p0 * bRow + (j0 + jr) * bCol;
            if (nr == NR && edgeOnly) {
                continue;
            }
            if (nr == NR && !transB) {
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromArray(S, b, src + p * ldb).intoArray(bp, at + p * NR);
                    DoubleVector.fromArray(S, b, src + p * ldb + L).intoArray(bp, at + p * NR + L);
                }
            } else if (nr == NR) {
                // A transposed B: each row of the strip is a column of B, gathered across L of B's rows at a time
                // (gather holds 0, ldb, 2 ldb, ...), which reads each of those rows in order as p advances.
                for (int p = 0, second = src + L * ldb; p < kc; p++) {
                    DoubleVector.fromArray(S, b, src + p, gather, 0).intoArray(bp, at + p * NR);
                    DoubleVector.fromArray(S, b, second + p, gather, 0).intoArray(bp, at + p * NR + L);
                }
            } else {
                // Column by column, so that a transposed B is read along its rows.
                for (int j = 0; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[at + p * NR + j] = j < nr ? b[src + j * bCol + p * bRow] : 0;
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * One product on the blocked path, shared by the threads that work on it. The panels of op(B) ({@code KC x NC},
     * for every {@code jc} and, inside it, every {@code pc}) are taken in order; each panel is packed in
     * {@code PACK_STRIPS}-strip pieces and then multiplied in row blocks of {@code rows} rows, each block packing its
     * own piece of op(A). Threads claim pieces and row blocks from shared counters, so any number of threads, even one
     * that starts late or never, completes the product; a thread only ever waits for work another thread has claimed
     * and is doing. A row block of panel {@code pc > 0} waits until the same rows of the previous k block are stored,
     * so every element of C is summed in the same order whatever the thread count. With more than one thread,
     * panels alternate between two buffers, so that the next panel can be packed while the last row blocks of the
     * previous one are still running.
     */
    private static final class Blocked implements Runnable {

        /** Strips of {@link #NR} columns packed as one piece of work. */
        private static final int PACK_STRIPS = 4;
        /** Per panel: next piece to claim, pieces packed, next row block to claim, row blocks stored. */
        private static final int PACK_NEXT = 0, PACKED = 1, ROWS_NEXT = 2, STORED = 3, COUNTERS = 4;
        /** Busy-wait this many times before yielding the processor while waiting for another thread. */
        private static final int SPINS = 1 << 10;

        private final boolean transA, transB;
        private final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        private final double[] a, b, c;
        private final double beta;
        private final int threads;
        /** k blocks per column panel, and panels in all. */
        private final int kBlocks, panels;
        /** Rows of one row block, and row blocks per panel. */
        private final int rows, rowBlocks;
        /** Whether the kernel reads full strips of B where they are (only a ragged last strip is packed). */
        private final boolean bInPlace;
        private final double[][] bp;
        private final AtomicIntegerArray counters;
        /** Per panel and row block: 1 once stored. */
        private final AtomicIntegerArray stored;
        /** The first error of a thread working on the product: the others stop waiting for its work. */
        private volatile Throwable failure;

        Blocked(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, int threads) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.threads = threads;
            kBlocks = (k + KC - 1) / KC;
            panels = (n + NC - 1) / NC * kBlocks;
            // Alone, a thread takes MC rows at a time; shared, the blocks are smaller so that they even out.
            rows = threads == 1 ? MC : Math.min(MC, Math.max(MR, roundUp((m + 4 * threads - 1) / (4 * threads), MR)));
            rowBlocks = (m + rows - 1) / rows;
            bInPlace = !transB && m <= IN_PLACE_ROWS && (long) k * n <= IN_PLACE_B;
            Workspace workspace = WORKSPACE.get();
            int bSize = roundUp(Math.min(n, NC), NR) * Math.min(k, KC);
            bp = threads == 1 || panels == 1 ? new double[][] {workspace.b(0, bSize)}
                    : new double[][] {workspace.b(0, bSize), workspace.b(1, bSize)};
            counters = new AtomicIntegerArray(COUNTERS * panels);
            stored = new AtomicIntegerArray(panels * rowBlocks);
        }

        /** Runs the product: the calling thread, and the pool threads it hands the product to, work on it. */
        @Override
        public void run() {
            ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[threads - 1];
            try {
                for (int s = 0; s < helpers.length; s++) {
                    helpers[s] = ForkJoinPool.commonPool().submit(this::help);
                }
                work();
                for (int p = 0; p < panels; p++) {
                    await(counters, COUNTERS * p + STORED, rowBlocks);
                }
            } catch (Throwable e) {
                // So that no pool thread waits for work this thread claimed and will not finish.
                if (failure == null) {
                    failure = e;
                }
                throw e;
            } finally {
                // A helper that has not started would find nothing left to do.
                for (ForkJoinTask<?> helper : helpers) {
                    if (helper != null) {
                        helper.cancel(false);
                    }
                }
            }
        }

        private void help() {
            try {
                work();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        /** Claims and does pieces of work until none is left. */
        private void work() {
            Workspace workspace = WORKSPACE.get();
            double[] ap = workspace.a(roundUp(Math.min(m, rows), MR) * Math.min(k, KC));
            double[] tile = workspace.tile;
            int[] gatherB = workspace.gatherB.of(ldb), gatherA = workspace.gatherA.of(lda);
            for (int p = 0; p < panels; p++) {
                int jc = p / kBlocks * NC;
                int nc = Math.min(NC, n - jc);
                int pc = p % kBlocks * KC;
                int kc = Math.min(KC, k - pc);
                int at = COUNTERS * p;
                double[] panel = bp[p % bp.length];
                if (p >= bp.length) {
                    // The buffer is free once every row block of the panel that used it before is stored.
                    await(counters, at - COUNTERS * bp.length + STORED, rowBlocks);
                }
                int pieces = ((nc + NR - 1) / NR + PACK_STRIPS - 1) / PACK_STRIPS;
                for (int piece; (piece = counters.getAndIncrement(at + PACK_NEXT)) < pieces; ) {
                    int j0 = piece * PACK_STRIPS * NR;
                    packB(transB, b, bOff, ldb, pc, kc, jc + j0, Math.min(PACK_STRIPS * NR, nc - j0), panel,
                            j0 * kc, gatherB, bInPlace);
                    counters.incrementAndGet(at + PACKED);
                }
                await(counters, at + PACKED, pieces);
                // The first k block applies beta; later ones add to what the earlier ones stored.
                double blockBeta = pc == 0 ? beta : 1;
                for (int block; (block = counters.getAndIncrement(at + ROWS_NEXT)) < rowBlocks; ) {
                    if (pc > 0) {
                        await(stored, (p - 1) * rowBlocks + block, 1);
                    }
                    int ic = block * rows;
                    int mc = Math.min(rows, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, gatherA);
                    for (int jb = 0; jb < nc; jb += NB) {
                        int jbEnd = Math.min(nc, jb + NB);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            for (int jr = jb; jr < jbEnd; jr += NR) {
                                int nr = Math.min(NR, nc - jr);
                                int ci = cOff + (ic + ir) * ldc + jc + jr;
                                boolean inPlace = bInPlace && nr == NR;
                                double[] strips = inPlace ? b : panel;
                                int bi = inPlace ? bOff + pc * ldb + jc + jr : jr * kc, bStride = inPlace ? ldb : NR;
                                if (mr == MR && nr == NR) {
                                    kernel(kc, ap, ir * kc, strips, bi, bStride, c, ci, ldc, blockBeta);
                                } else {
                                    kernel(kc, ap, ir * kc, strips, bi, bStride, tile, 0, NR, 0);
                                    for (int r = 0; r < mr; r++) {
                                        for (int j = 0; j < nr; j++) {
                                            store(c, ci + r * ldc + j, blockBeta, tile[r * NR + j]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    stored.set(p * rowBlocks + block, 1);
                    counters.incrementAndGet(at + STORED);
                }
            }
        }

        /** Waits until {@code values[index] >= target}, which another thread that is working will bring about. */
        private void await(AtomicIntegerArray values, int index, int target) {
            for (int spins = 0; values.get(index) < target; spins++) {
                if (failure != null) {
                    throw new IllegalStateException("gemm: another thread working on the same product failed", failure);
                }
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** A gather map across L rows of a matrix, {@code 0, ld, 2 ld, ...}, for the {@code ld} it was last made for. */
    private static final class Rows {
        private final int[] offsets = new int[L];
        private int ld = -1;

        int[] of(int ld) {
            if (this.ld != ld) {
                for (int l = 0; l < L; l++) offsets[l] = l * ld;
                this.ld = ld;
            }
            return offsets;
        }
    }

    /** One thread's packing buffers, grown on demand. */
    private static final class Workspace {
        final double[] tile = new double[MR * NR];
        /** The gather maps of the packs of a transposed B and of an untransposed A. */
        final Rows gatherB = new Rows(), gatherA = new Rows();
        private double[] a = new double[0];
        private final double[][] b = {new double[0], new double[0]};

        double[] a(int size) {
            if (a.length < size) {
                a = new double[size];
            }
            return a;
        }

        /** Packed-B buffer {@code which} (0 or 1: panels alternate between two when threads share them). */
        double[] b(int which, int size) {
            if (b[which].length < size) {
                b[which] = new double[size];
            }
            return b[which];
        }
    }
}

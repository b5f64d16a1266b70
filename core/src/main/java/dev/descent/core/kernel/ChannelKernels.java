package dev.descent.core.kernel;


/**
 * The per-channel kernels of batch normalisation over {@code x} viewed as {@code [n, c, s]} (batch, channels, spatial
 * positions, row-major): the statistics (sums, centred squares, the two backward sums), the two per-channel affine
 * maps (the forward output and the input gradient), and batch normalisation's forward and backward built from them
 * ({@link #batchNorm}, {@link #batchNormBackward}), which finish each channel before they start the next.
 *
 * <p><b>Order.</b> A channel's sum is taken in two steps, whatever the layout, the thread count or the vector width:
 * for each position {@code k} of the channel the batch is summed in order, {@code i = 0, 1, ...}, from {@code +0.0};
 * then the {@code s} position sums are added in order from {@code +0.0}. Each term is rounded before it is added (no
 * fused multiply-add). This is the column sum ({@link ColumnSums}) of the {@code [n, c·s]} view folded per channel, so
 * both implementations give the same bits: the scalar reference walks the rows of that view; the fast one
 * ({@code VectorChannelKernels} where the Vector API is present, the same loops in plain Java otherwise) walks one
 * channel at a time, either down its contiguous spatial runs ({@code s >= RUN}, with the {@code s} position sums in a
 * small buffer that stays in cache) or, for short runs, as a window of columns of the {@code [n, c·s]} view (kept in
 * registers by {@link VectorColumnSums} when the Vector API is present). Because the channels are independent, the
 * fast kernels split them between threads when the input is large: each channel is still summed by one thread in the
 * order above, so results are bit-identical for every thread count.
 *
 * <p><b>Maps.</b> The affine maps are one IEEE operation sequence per element, {@code (x − center)·scale + shift} and
 * {@code g·k1 + (x − center)·k2 + k3}, so every implementation gives the same bits.
 *
 * <p><b>Arguments.</b> {@code x} and {@code g} must hold at least {@code n·c·s} values, the per-channel arrays
 * {@code c}; the checks are O(1) and throw {@link IllegalArgumentException} naming the kernel. The outputs are fully
 * written, so they need not be cleared.
 */
public final class ChannelKernels {
    private static final boolean VECTOR = Kernels.VECTOR_API;

    /** Spatial runs at least this long are walked run by run; shorter ones as columns of the {@code [n, c·s]} view. */
    static final int RUN = 16;

    /** From this many elements ({@code n·c·s}) on, the channels are split between threads. */
    static final long PARALLEL = 1L << 16;

    private ChannelKernels() {}

    // ---------------------------------------------------------------- reductions

    /**
     * {@code out[ch] = Σ_k Σ_i x[i, ch, k]} in the order described on the class, using at most {@code threads} threads.
     */
    public static void sums(double[] x, int n, int c, int s, double[] out, int threads) {
        check("sums", n, c, s, threads);
        length("sums", "x", x, n * c * s);
        length("sums", "out", out, c);
        overChannels(n, c, s, threads, (c0, c1) -> sums(x, n, c, s, c0, c1, out, runs(s)));
    }

    /**
     * {@code out[ch] = Σ_k Σ_i (x[i, ch, k] − center[ch])²} in the order described on the class, using at most
     * {@code threads} threads.
     */
    public static void centeredSquares(double[] x, int n, int c, int s, double[] center, double[] out, int threads) {
        check("centeredSquares", n, c, s, threads);
        length("centeredSquares", "x", x, n * c * s);
        length("centeredSquares", "center", center, c);
        length("centeredSquares", "out", out, c);
        overChannels(n, c, s, threads, (c0, c1) -> centeredSquares(x, n, c, s, center, c0, c1, out, runs(s)));
    }

    /**
     * {@code sg[ch] = Σ_k Σ_i g[i, ch, k]} and {@code sgx[ch] = Σ_k Σ_i g[i, ch, k]·(x[i, ch, k] − center[ch])}, each
     * in the order described on the class, using at most {@code threads} threads.
     */
    public static void sumsAndCenteredProducts(double[] g, double[] x, int n, int c, int s, double[] center, double[] sg,
                                               double[] sgx, int threads) {
        String op = "sumsAndCenteredProducts";
        check(op, n, c, s, threads);
        length(op, "g", g, n * c * s);
        length(op, "x", x, n * c * s);
        length(op, "center", center, c);
        length(op, "sg", sg, c);
        length(op, "sgx", sgx, c);
        overChannels(n, c, s, threads, (c0, c1) -> sumsAndCenteredProducts(g, x, n, c, s, center, c0, c1, sg, sgx, runs(s), runs(s)));
    }

    // ---------------------------------------------------------------- maps

    /**
     * {@code y[i, ch, k] = (x[i, ch, k] − center[ch])·scale[ch] + shift[ch]}, using at most {@code threads} threads.
     * {@code y} may be {@code x}.
     */
    public static void affine(double[] x, double[] y, int n, int c, int s, double[] center, double[] scale, double[] shift,
                              int threads) {
        check("affine", n, c, s, threads);
        length("affine", "x", x, n * c * s);
        length("affine", "y", y, n * c * s);
        length("affine", "center", center, c);
        length("affine", "scale", scale, c);
        length("affine", "shift", shift, c);
        overChannels(n, c, s, threads, (c0, c1) -> affine(x, y, n, c, s, center, scale, shift, c0, c1));
    }

    /**
     * {@code out[i, ch, k] = g[i, ch, k]·k1[ch] + (x[i, ch, k] − center[ch])·k2[ch] + k3[ch]} (the batch-norm input
     * gradient), using at most {@code threads} threads. {@code out} may be {@code g} or {@code x}.
     */
    public static void gradient(double[] g, double[] x, double[] out, int n, int c, int s, double[] center, double[] k1,
                                double[] k2, double[] k3, int threads) {
        check("gradient", n, c, s, threads);
        length("gradient", "g", g, n * c * s);
        length("gradient", "x", x, n * c * s);
        length("gradient", "out", out, n * c * s);
        length("gradient", "center", center, c);
        length("gradient", "k1", k1, c);
        length("gradient", "k2", k2, c);
        length("gradient", "k3", k3, c);
        overChannels(n, c, s, threads, (c0, c1) -> gradient(g, x, out, n, c, s, center, k1, k2, k3, c0, c1));
    }

    // ---------------------------------------------------------------- batch normalisation

    /**
     * Batch normalisation's forward map {@code y[i, ch, k] = (x[i, ch, k] − mean[ch])·scale[ch] + shift[ch]}, with
     * {@code scale = rstd·w} ({@code rstd} when {@code w} is null) and {@code shift = b} (0 when null). With
     * {@code batchStats} it first computes each channel's statistics into the arrays given: {@code mean} (the
     * {@linkplain #sums sum} over the count {@code n·s}), {@code var} (the {@linkplain #centeredSquares centred squares}
     * over the count: biased) and {@code rstd = 1/√(var + eps)}; otherwise it reads {@code mean} and {@code rstd}
     * ({@code var} is then not used and may be null). {@code y} may be {@code x}.
     *
     * <p>The same bits as those kernels and {@link #affine} run one after another over all channels (its reference,
     * {@link #scalarBatchNorm}, does that); what differs is the order of the passes. With long runs each channel is
     * finished before the next starts, so the second and third reads of its {@code n·s} values come from L2 instead
     * of memory (a channel of [32, 64, 28, 28] is 200 KB).
     */
    public static void batchNorm(double[] x, double[] y, int n, int c, int s, double[] w, double[] b, double eps,
                                 boolean batchStats, double[] mean, double[] var, double[] rstd, int threads) {
        String op = "batchNorm";
        check(op, n, c, s, threads);
        length(op, "x", x, n * c * s);
        length(op, "y", y, n * c * s);
        length(op, "mean", mean, c);
        length(op, "rstd", rstd, c);
        if (batchStats) length(op, "var", var, c);
        if (w != null) length(op, "w", w, c);
        if (b != null) length(op, "b", b, c);
        overChannels(n, c, s, threads, (c0, c1) -> {
            double[] scale = new double[c], shift = new double[c], acc = runs(s);
            for (int q0 = c0, q1; q0 < c1; q0 = q1) {
                q1 = s >= RUN ? q0 + 1 : c1;
                if (batchStats) {
                    sums(x, n, c, s, q0, q1, mean, acc);
                    for (int ch = q0; ch < q1; ch++) mean[ch] /= (double) n * s;
                    centeredSquares(x, n, c, s, mean, q0, q1, var, acc);
                }
                affineConstants((double) n * s, w, b, eps, batchStats, mean, var, rstd, q0, q1, scale, shift);
                affine(x, y, n, c, s, mean, scale, shift, q0, q1);
            }
        });
    }

    /**
     * Batch normalisation's backward map, given the forward's {@code mean} and {@code rstd}: the per-channel sums
     * {@code db = Σ g} and {@code dw = rstd·Σ g·(x − mean)} ({@link #sumsAndCenteredProducts}), then
     * {@code dx = g·k1 + (x − mean)·k2 + k3} ({@link #gradient}) with {@code k1 = w·rstd} and, when the forward used
     * the batch's statistics ({@code batchStats}), {@code k2 = −k1·rstd²·Σ g·(x − mean)/count} and
     * {@code k3 = −k1·db/count} (otherwise 0). {@code dx} may be {@code g}. As with {@link #batchNorm}, each channel is
     * finished before the next when runs are long, with the bits of its reference {@link #scalarBatchNormBackward}.
     */
    public static void batchNormBackward(double[] g, double[] x, double[] dx, int n, int c, int s, double[] w,
                                         double[] mean, double[] rstd, boolean batchStats, double[] dw, double[] db,
                                         int threads) {
        String op = "batchNormBackward";
        check(op, n, c, s, threads);
        length(op, "g", g, n * c * s);
        length(op, "x", x, n * c * s);
        length(op, "dx", dx, n * c * s);
        length(op, "mean", mean, c);
        length(op, "rstd", rstd, c);
        length(op, "dw", dw, c);
        length(op, "db", db, c);
        if (w != null) length(op, "w", w, c);
        overChannels(n, c, s, threads, (c0, c1) -> {
            double[] k1 = new double[c], k2 = new double[c], k3 = new double[c], accG = runs(s), accGx = runs(s);
            for (int q0 = c0, q1; q0 < c1; q0 = q1) {
                q1 = s >= RUN ? q0 + 1 : c1;
                sumsAndCenteredProducts(g, x, n, c, s, mean, q0, q1, db, dw, accG, accGx);
                gradientConstants((double) n * s, w, batchStats, rstd, q0, q1, dw, db, k1, k2, k3);
                gradient(g, x, dx, n, c, s, mean, k1, k2, k3, q0, q1);
            }
        });
    }

    /**
     * Channels {@code [c0, c1)} of {@link #batchNorm}: with {@code batchStats} the variance from the centred squares
     * and {@code rstd} from it; then the map's scale and shift.
     */
    private static void affineConstants(double count, double[] w, double[] b, double eps, boolean batchStats, double[] mean,
                                        double[] var, double[] rstd, int c0, int c1, double[] scale, double[] shift) {
        for (int ch = c0; ch < c1; ch++) {
            if (batchStats) {
                var[ch] /= count;
                rstd[ch] = 1 / Math.sqrt(var[ch] + eps);
            }
            scale[ch] = w == null ? rstd[ch] : rstd[ch] * w[ch];
            shift[ch] = b == null ? 0.0 : b[ch];
        }
    }

    /** Channels {@code [c0, c1)} of {@link #batchNormBackward}: k1, k2, k3 from the sums, and dw scaled by rstd. */
    private static void gradientConstants(double count, double[] w, boolean batchStats, double[] rstd, int c0, int c1,
                                          double[] dw, double[] db, double[] k1, double[] k2, double[] k3) {
        for (int ch = c0; ch < c1; ch++) {
            double wr = (w == null ? 1 : w[ch]) * rstd[ch];
            k1[ch] = wr;
            if (batchStats) {
                k2[ch] = -wr * rstd[ch] * rstd[ch] * dw[ch] / count;
                k3[ch] = -wr * db[ch] / count;
            }
            dw[ch] *= rstd[ch];
        }
    }

    // ---------------------------------------------------------------- scalar references

    /** Scalar reference of {@link #sums}: column sums of the {@code [n, c·s]} view, folded per channel. */
    static void scalarSums(double[] x, int n, int c, int s, double[] out) {
        double[] acc = new double[c * s];
        ColumnSums.scalarSums(x, n, c * s, acc);
        fold(acc, 0, c, s, out);
    }

    /** Scalar reference of {@link #centeredSquares}. */
    static void scalarCenteredSquares(double[] x, int n, int c, int s, double[] center, double[] out) {
        double[] acc = new double[c * s];
        ColumnSums.scalarCenteredSquares(x, n, c * s, expand(center, c, s), acc);
        fold(acc, 0, c, s, out);
    }

    /** Scalar reference of {@link #sumsAndCenteredProducts}. */
    static void scalarSumsAndCenteredProducts(double[] g, double[] x, int n, int c, int s, double[] center, double[] sg,
                                              double[] sgx) {
        double[] a = new double[c * s], b = new double[c * s];
        ColumnSums.scalarSumsAndCenteredProducts(g, x, n, c * s, expand(center, c, s), a, b);
        fold(a, 0, c, s, sg);
        fold(b, 0, c, s, sgx);
    }

    /** Scalar reference of {@link #affine}. */
    static void scalarAffine(double[] x, double[] y, int n, int c, int s, double[] center, double[] scale, double[] shift) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < s; k++) {
                    int e = (i * c + ch) * s + k;
                    y[e] = (x[e] - center[ch]) * scale[ch] + shift[ch];
                }
            }
        }
    }

    /** Scalar reference of {@link #gradient}. */
    static void scalarGradient(double[] g, double[] x, double[] out, int n, int c, int s, double[] center, double[] k1,
                               double[] k2, double[] k3) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < s; k++) {
                    int e = (i * c + ch) * s + k;
                    out[e] = g[e] * k1[ch] + (x[e] - center[ch]) * k2[ch] + k3[ch];
                }
            }
        }
    }

    /** Scalar reference of {@link #batchNorm}: the statistics of every channel, then the map. */
    static void scalarBatchNorm(double[] x, double[] y, int n, int c, int s, double[] w, double[] b, double eps,
                                boolean batchStats, double[] mean, double[] var, double[] rstd) {
        if (batchStats) {
            scalarSums(x, n, c, s, mean);
            for (int ch = 0; ch < c; ch++) mean[ch] /= (double) n * s;
            scalarCenteredSquares(x, n, c, s, mean, var);
        }
        double[] scale = new double[c], shift = new double[c];
        affineConstants((double) n * s, w, b, eps, batchStats, mean, var, rstd, 0, c, scale, shift);
        scalarAffine(x, y, n, c, s, mean, scale, shift);
    }

    /** Scalar reference of {@link #batchNormBackward}: the sums of every channel, then the map. */
    static void scalarBatchNormBackward(double[] g, double[] x, double[] dx, int n, int c, int s, double[] w,
                                        double[] mean, double[] rstd, boolean batchStats, double[] dw, double[] db) {
        scalarSumsAndCenteredProducts(g, x, n, c, s, mean, db, dw);
        double[] k1 = new double[c], k2 = new double[c], k3 = new double[c];
        gradientConstants((double) n * s, w, batchStats, rstd, 0, c, dw, db, k1, k2, k3);
        scalarGradient(g, x, dx, n, c, s, mean, k1, k2, k3);
    }

    // ---------------------------------------------------------------- channel ranges

    /** The position sums of one channel's runs ({@code s >= RUN}): a buffer a range of channels reuses. */
    private static double[] runs(int s) {
        return s >= RUN ? new double[s] : null;
    }

    /** Channels {@code [c0, c1)} of {@link #sums}; {@code run} is {@link #runs}'s buffer. */
    private static void sums(double[] x, int n, int c, int s, int c0, int c1, double[] out, double[] run) {
        if (s >= RUN) {
            double[] acc = run;
            for (int ch = c0; ch < c1; ch++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    if (VECTOR) VectorChannelKernels.addRun(x, off, s, acc);
                    else for (int k = 0; k < s; k++) acc[k] += x[off + k];
                }
                fold(acc, 0, 1, s, out, ch);
            }
        } else {
            double[] acc = new double[(c1 - c0) * s];
            int j0 = c0 * s, cols = (c1 - c0) * s, row = c * s;
            if (VECTOR) VectorColumnSums.sums(x, j0, n, row, cols, acc);
            else {
                for (int i = 0, off = j0; i < n; i++, off += row) {
                    for (int j = 0; j < cols; j++) acc[j] += x[off + j];
                }
            }
            fold(acc, 0, c1 - c0, s, out, c0);
        }
    }

    /** Channels {@code [c0, c1)} of {@link #centeredSquares}; {@code run} is {@link #runs}'s buffer. */
    private static void centeredSquares(double[] x, int n, int c, int s, double[] center, int c0, int c1, double[] out,
                                        double[] run) {
        if (s >= RUN) {
            double[] acc = run;
            for (int ch = c0; ch < c1; ch++) {
                java.util.Arrays.fill(acc, 0.0);
                double m = center[ch];
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    if (VECTOR) {
                        VectorChannelKernels.addCenteredSquares(x, off, s, m, acc);
                        continue;
                    }
                    for (int k = 0; k < s; k++) {
                        double d = x[off + k] - m;
                        acc[k] += d * d;
                    }
                }
                fold(acc, 0, 1, s, out, ch);
            }
        } else {
            double[] acc = new double[(c1 - c0) * s];
            double[] m = expand(center, c0, c1, s);
            int j0 = c0 * s, cols = (c1 - c0) * s, row = c * s;
            if (VECTOR) VectorColumnSums.centeredSquares(x, j0, n, row, cols, m, acc);
            else {
                for (int i = 0, off = j0; i < n; i++, off += row) {
                    for (int j = 0; j < cols; j++) {
                        double d = x[off + j] - m[j];
                        acc[j] += d * d;
                    }
                }
            }
            fold(acc, 0, c1 - c0, s, out, c0);
        }
    }

    /** Channels {@code [c0, c1)} of {@link #sumsAndCenteredProducts}; {@code runG} and {@code runGx} are {@link #runs}'s buffers. */
    private static void sumsAndCenteredProducts(double[] g, double[] x, int n, int c, int s, double[] center, int c0, int c1,
                                                double[] sg, double[] sgx, double[] runG, double[] runGx) {
        if (s >= RUN) {
            double[] a = runG, b = runGx;
            for (int ch = c0; ch < c1; ch++) {
                java.util.Arrays.fill(a, 0.0);
                java.util.Arrays.fill(b, 0.0);
                double m = center[ch];
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    if (VECTOR) {
                        VectorChannelKernels.addSumsAndCenteredProducts(g, x, off, s, m, a, b);
                        continue;
                    }
                    for (int k = 0; k < s; k++) {
                        double gk = g[off + k];
                        a[k] += gk;
                        b[k] += gk * (x[off + k] - m);
                    }
                }
                fold(a, 0, 1, s, sg, ch);
                fold(b, 0, 1, s, sgx, ch);
            }
        } else {
            int cols = (c1 - c0) * s, j0 = c0 * s, row = c * s;
            double[] a = new double[cols], b = new double[cols];
            double[] m = expand(center, c0, c1, s);
            if (VECTOR) VectorColumnSums.sumsAndCenteredProducts(g, x, j0, n, row, cols, m, a, b);
            else {
                for (int i = 0, off = j0; i < n; i++, off += row) {
                    for (int j = 0; j < cols; j++) {
                        double gj = g[off + j];
                        a[j] += gj;
                        b[j] += gj * (x[off + j] - m[j]);
                    }
                }
            }
            fold(a, 0, c1 - c0, s, sg, c0);
            fold(b, 0, c1 - c0, s, sgx, c0);
        }
    }

    private static void affine(double[] x, double[] y, int n, int c, int s, double[] center, double[] scale,
                               double[] shift, int c0, int c1) {
        if (s >= RUN) {
            if (VECTOR) {
                VectorChannelKernels.affineRuns(x, y, n, c, s, c0, c1, center, scale, shift);
                return;
            }
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    int off = (i * c + ch) * s;
                    double m = center[ch], a = scale[ch], b = shift[ch];
                    for (int k = off, end = off + s; k < end; k++) y[k] = (x[k] - m) * a + b;
                }
            }
            return;
        }
        double[] m = expand(center, c, s), a = expand(scale, c, s), b = expand(shift, c, s);
        int row = c * s, j0 = c0 * s, j1 = c1 * s;
        if (VECTOR) {
            VectorChannelKernels.affineRows(x, y, n, row, j0, j1, m, a, b);
            return;
        }
        for (int i = 0, off = 0; i < n; i++, off += row) {
            for (int j = j0; j < j1; j++) y[off + j] = (x[off + j] - m[j]) * a[j] + b[j];
        }
    }

    private static void gradient(double[] g, double[] x, double[] out, int n, int c, int s, double[] center, double[] k1,
                                 double[] k2, double[] k3, int c0, int c1) {
        if (s >= RUN) {
            if (VECTOR) {
                VectorChannelKernels.gradientRuns(g, x, out, n, c, s, c0, c1, center, k1, k2, k3);
                return;
            }
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    int off = (i * c + ch) * s;
                    double m = center[ch], a = k1[ch], b = k2[ch], d = k3[ch];
                    for (int k = off, end = off + s; k < end; k++) out[k] = g[k] * a + (x[k] - m) * b + d;
                }
            }
            return;
        }
        double[] m = expand(center, c, s), a = expand(k1, c, s), b = expand(k2, c, s), d = expand(k3, c, s);
        int row = c * s, j0 = c0 * s, j1 = c1 * s;
        if (VECTOR) {
            VectorChannelKernels.gradientRows(g, x, out, n, row, j0, j1, m, a, b, d);
            return;
        }
        for (int i = 0, off = 0; i < n; i++, off += row) {
            for (int j = j0; j < j1; j++) out[off + j] = g[off + j] * a[j] + (x[off + j] - m[j]) * b[j] + d[j];
        }
    }

    /**
     * Runs {@code body} over contiguous channel ranges: one on the calling thread for small inputs, otherwise up to
     * {@code threads} ranges ({@link Parallel#forRange(int, int, int, Parallel.Range)}).
     */
    private static void overChannels(int n, int c, int s, int threads, Parallel.Range body) {
        Parallel.forRange(c, 1, (long) n * c * s < PARALLEL ? 1 : threads, body);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code out[outOff + q] = Σ_k acc[(accCh + q)·s + k]} for {@code q < channels}, each added in order from +0.0. */
    private static void fold(double[] acc, int accCh, int channels, int s, double[] out, int outOff) {
        for (int q = 0; q < channels; q++) {
            double t = 0.0;
            for (int j = (accCh + q) * s, end = j + s; j < end; j++) t += acc[j];
            out[outOff + q] = t;
        }
    }

    private static void fold(double[] acc, int accCh, int channels, int s, double[] out) {
        fold(acc, accCh, channels, s, out, 0);
    }

    /** Repeats each per-channel value {@code s} times: a row of {@code c·s} values ({@code v} itself when s = 1). */
    private static double[] expand(double[] v, int c, int s) {
        return s == 1 ? v : expand(v, 0, c, s);
    }

    /** The per-position row of channels {@code [c0, c1)}: each value repeated {@code s} times. */
    private static double[] expand(double[] v, int c0, int c1, int s) {
        double[] row = new double[(c1 - c0) * s];
        for (int ch = c0, j = 0; ch < c1; ch++) {
            for (int k = 0; k < s; k++) row[j++] = v[ch];
        }
        return row;
    }

    private static void check(String op, int n, int c, int s, int threads) {
        if (n < 0 || c < 0 || s < 0 || (long) n * c * s > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": expected n, c, s >= 0 with n·c·s within an array, got n = " + n
                    + ", c = " + c + ", s = " + s);
        }
        if (threads < 1) throw new IllegalArgumentException(op + ": expected threads >= 1, got " + threads);
    }

    private static void length(String op, String name, double[] a, int len) {
        if (a == null) throw new NullPointerException(op + ": expected an array for " + name + ", got null");
        if (a.length < len) {
            throw new IllegalArgumentException(op + ": expected " + name + " of at least " + len + " values, got " + a.length);
        }
    }
}

package dev.descent.optim;

import static dev.descent.optim.Hyperparameters.requireNonNegative;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Adafactor (Shazeer and Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018,
 * Algorithms 4 and 5, with its relative step sizes and update clipping), without first
 * moment (β₁ = 0, the paper's recommendation). At step {@code t}, with {@code G} the gradient:
 *
 * <pre>
 *   β̂₂ = 1 − t^decayRate
 *   α  = max(ε₂, RMS(θ)) · min(lr, 1/√t)          (relativeStep; otherwise α = lr)
 *   matrix n×m:  R ← β̂₂ R + (1 − β̂₂) (G² + ε₁) 1ₘ       (row sums, n values)
 *                C ← β̂₂ C + (1 − β̂₂) 1ₙᵀ (G² + ε₁)      (column sums, m values)
 *                V̂ = R C / (1ₙᵀ R)                       (rank-1 estimate of the second moment)
 *   otherwise:   V̂ ← β̂₂ V̂ + (1 − β̂₂) (G² + ε₁)
 *   U = G / √V̂,   Û = U / max(1, RMS(U) / d),   θ ← θ − α Û
 * </pre>
 *
 * where {@code RMS(X) = √(mean(X²))} over the tensor. A parameter of two or more dimensions is factored as the matrix
 * [size / last, last] (its last dimension are the columns), so it keeps {@code n + m} second-moment values instead of
 * {@code n m}; vectors and scalars keep the unfactored {@code V̂}. Not in {@code torch.optim}. The defaults are the
 * paper's: ε₁ 1e-30, ε₂ 1e-3, d 1, decayRate −0.8 and relative steps capped at 1e-2 (that cap is {@code lr}, so a
 * schedule can still change it). State names follow the common implementations: {@code exp_avg_sq_row},
 * {@code exp_avg_sq_col} (factored) and {@code exp_avg_sq} (unfactored); the unused ones have length 0.
 */
public final class Adafactor extends Optimizer<Adafactor.Options> {
    /** The paper's defaults: lr (the relative-step cap) 1e-2, eps1 1e-30, eps2 1e-3, clipThreshold 1, decayRate −0.8, relative steps. */
    public static final Options DEFAULTS = new Options(1e-2, 1e-30, 1e-3, 1.0, -0.8, true);

    private static final List<String> BUFFERS = List.of("exp_avg_sq_row", "exp_avg_sq_col", "exp_avg_sq");

    /**
     * The hyperparameters of Adafactor; start from {@link Adafactor#DEFAULTS}.
     *
     * @param lr with relative steps the cap ρ of {@code min(ρ, 1/√t)}, else the step size α; {@code >= 0}
     * @param eps1 ε₁, added to the squared gradient, {@code >= 0}
     * @param eps2 ε₂, the smallest parameter scale of a relative step, {@code >= 0}
     * @param clipThreshold d, the RMS above which the update is scaled down, {@code > 0}
     * @param decayRate the exponent c of {@code β̂₂ = 1 − t^c}, {@code <= 0}
     * @param relativeStep scale the step by the parameter's RMS and decay it as {@code 1/√t}
     */
    public record Options(double lr, double eps1, double eps2, double clipThreshold, double decayRate, boolean relativeStep)
            implements Hyperparameters<Options> {
        public Options {
            requireNonNegative(lr, "learning rate");
            requireNonNegative(eps1, "eps1 value");
            requireNonNegative(eps2, "eps2 value");
            if (!(clipThreshold > 0)) throw new IllegalArgumentException("Invalid clip_threshold: " + clipThreshold);
            if (!(decayRate <= 0)) throw new IllegalArgumentException("Invalid decay_rate: " + decayRate);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, eps1, eps2, clipThreshold, decayRate, relativeStep);
        }

        public Options withEps(double eps1, double eps2) {
            return new Options(lr, eps1, eps2, clipThreshold, decayRate, relativeStep);
        }

        public Options withClipThreshold(double clipThreshold) {
            return new Options(lr, eps1, eps2, clipThreshold, decayRate, relativeStep);
        }

        public Options withDecayRate(double decayRate) {
            return new Options(lr, eps1, eps2, clipThreshold, decayRate, relativeStep);
        }

        public Options withRelativeStep(boolean relativeStep) {
            return new Options(lr, eps1, eps2, clipThreshold, decayRate, relativeStep);
        }
    }

    /** Adafactor with the paper's defaults. */
    public Adafactor(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Adafactor(List<Tensor> params, Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Options o) {
        return BUFFERS;
    }

    @Override
    protected int bufferSize(int index, int[] shape, Options o) {
        int n = 1;
        for (int d : shape) n *= d;
        boolean factored = shape.length >= 2;
        int cols = factored ? shape[shape.length - 1] : 0, rows = factored && cols > 0 ? n / cols : 0;
        return switch (index) {
            case 0 -> rows;
            case 1 -> cols;
            default -> factored ? 0 : n;
        };
    }

    /** The RMS clipping uses the whole parameter, so a check on a copy (first step, or a bound too large) runs on a full copy. */
    @Override
    protected boolean elementwise() {
        return false;
    }

    /*
     * How a step reads memory. The scan (the step's check, before anything is written) reads the gradient once, a row
     * at a time: the row's sum of G² + ε₁ gives the new R of that row at once, the column sums accumulate, and while
     * the row is still in the L1 cache it is read again for w_j += G²_ij / R_i. The mean of U² then needs no second
     * pass over G, because Σ_ij G²_ij / V̂_ij = (1ₙᵀ R) Σ_j w_j / C_j. The update reads G and θ once and writes θ, with
     * G / √V̂ factored as G · √(1ₙᵀ R / R_i) · (1 / √C_j) so that an element costs two products rather than a square root
     * and two quotients,
     * adding up Σθ² as it goes, which the next step's relative step size uses (unless θ was written since). Sums run
     * in the order of Sums8 within a row (a vector is one row), rows added in order.
     */

    /** The new R and C (scratch 0 and 1) and w (scratch 2), the mean-square numerator of U (work 2), 1ₙᵀ R (work 0), Σθ² (work 1). */
    @Override
    protected double scan(double[] p, double[] g, int n, State s, Options o) {
        if (n == 0) return 0;
        double t = s.step() + 1;
        double beta2 = 1 - Math.pow(t, o.decayRate()), eps1 = o.eps1();
        boolean paramNorm = o.relativeStep() && !s.parameterUnchanged(), vector = vectorKernels();
        double[] row = s.buffer(0), col = s.buffer(1), partials = s.partials;
        int cols = col.length, rows = row.length;
        double gmax = 0, paramSq = 0;
        if (cols > 0) {
            double[] newRow = s.scratch(0, rows), newCol = s.scratch(1, cols), w = s.scratch(2, cols);
            java.util.Arrays.fill(newCol, 0.0);
            java.util.Arrays.fill(w, 0.0);
            double total = 0;
            for (int i = 0; i < rows; i++) {
                int off = i * cols;
                Sums8.clear(partials, 0);
                Sums8.clear(partials, Sums8.WIDTH);
                double[] pr = paramNorm ? p : null;
                double m = vector ? VectorUpdates.adafactorScanRow(g, pr, off, cols, eps1, newCol, partials) : scanRow(g, pr, off, 0, cols, eps1, newCol, partials);
                if (Double.isNaN(m)) return Double.NaN;
                gmax = Math.max(gmax, m);
                newRow[i] = beta2 * row[i] + (1 - beta2) * Sums8.total(partials, 0);
                total += newRow[i];
                if (paramNorm) paramSq += Sums8.total(partials, Sums8.WIDTH);
                double inverse = 1 / newRow[i];
                if (vector) VectorUpdates.adafactorWeighRow(g, off, cols, inverse, w);
                else weighRow(g, off, 0, cols, inverse, w);
            }
            double sumU2 = 0;
            for (int j = 0; j < cols; j++) {
                newCol[j] = beta2 * col[j] + (1 - beta2) * newCol[j];
                sumU2 += w[j] / newCol[j];
            }
            s.setWork(0, total);
            s.setWork(2, total * sumU2);
        } else {
            double[] v = s.buffer(2);
            Sums8.clear(partials, 0);
            Sums8.clear(partials, Sums8.WIDTH);
            double vmax = 0;
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(g[i])) return Double.NaN;
                gmax = Math.max(gmax, Math.abs(g[i]));
                double vi = beta2 * v[i] + (1 - beta2) * (g[i] * g[i] + eps1), u = g[i] / Math.sqrt(vi);
                vmax = Math.max(vmax, vi);
                partials[i & 7] += u * u;
                if (paramNorm) partials[Sums8.WIDTH + (i & 7)] += p[i] * p[i];
            }
            s.setWork(2, Sums8.total(partials, 0));
            s.setWork(3, vmax);
            paramSq = Sums8.total(partials, Sums8.WIDTH);
        }
        if (paramNorm) s.setWork(1, paramSq);
        return gmax;
    }

    /**
     * The reference scan of row elements {@code [from, to)} at {@code off}: adds G² + ε₁ into partial sums 0 to 7 and
     * into the column sums, θ² into partial sums 8 to 15 (when {@code p} is not null); returns the largest |G|, NaN if
     * one is NaN.
     */
    static double scanRow(double[] g, double[] p, int off, int from, int to, double eps1, double[] colSums, double[] partials) {
        double largest = 0;
        for (int j = from; j < to; j++) {
            double gj = g[off + j], term = gj * gj + eps1;
            if (Double.isNaN(gj)) return Double.NaN;
            largest = Math.max(largest, Math.abs(gj));
            partials[j & 7] += term;
            colSums[j] += term;
            if (p != null) partials[Sums8.WIDTH + (j & 7)] += p[off + j] * p[off + j];
        }
        return largest;
    }

    /** The reference {@code w[j] += G²_ij · (1 / R_i)} over row elements {@code [from, to)} at {@code off}. */
    static void weighRow(double[] g, int off, int from, int to, double inverseRow, double[] w) {
        for (int j = from; j < to; j++) w[j] += g[off + j] * g[off + j] * inverseRow;
    }

    /**
     * The reference update of row elements {@code [from, to)} at {@code off}, {@code θ ← θ − (scale_i · G) · c_j}: with
     * {@code scale_i = scale · √(total / R_i)} and {@code c_j = 1 / √C_j} this is {@code scale · G / √V̂}, factored so that
     * an element costs two products (the square roots and quotients are per row and per column); adds the new θ²
     * into partial sums 0 to 7 and returns the largest |θ|.
     */
    static double applyRow(double[] p, double[] g, int off, int from, int to, double rowScale, double[] colFactor, double[] partials) {
        double largest = 0;
        for (int j = from; j < to; j++) {
            p[off + j] -= rowScale * g[off + j] * colFactor[j];
            largest = Math.max(largest, Math.abs(p[off + j]));
            partials[j & 7] += p[off + j] * p[off + j];
        }
        return largest;
    }

    /**
     * From the scan's exact new second moments: every |U| is at most √(mean-square numerator), so the clipped step is
     * at most α d √n; the factored update multiplies G by √(1ₙᵀ R / R_i) ≤ √(1ₙᵀ R / min R) and by 1 / √C_j ≤ 1 / √(min C).
     */
    @Override
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State s, Options o) {
        double n = 1;
        for (int d : s.shape()) n *= d;
        if (n == 0) return 0;
        double sumU2 = s.work(2);
        if (!Double.isFinite(sumU2)) return Double.POSITIVE_INFINITY;
        double alpha = o.relativeStep() ? Math.max(o.eps2(), pmax) * Math.min(o.lr(), 1 / Math.sqrt(step)) : o.lr();
        double largest = Math.max(pmax + 2 * alpha * o.clipThreshold() * Math.sqrt(n), Math.max(sumU2, (gmax * gmax + o.eps1()) * n));
        largest = Math.max(largest, alpha * gmax);
        int cols = s.buffer(1).length;
        if (cols > 0) {
            double[] r = s.scratch(0, s.buffer(0).length), c = s.scratch(1, cols);
            double maxR = 0, minR = Double.POSITIVE_INFINITY, maxC = 0, minC = Double.POSITIVE_INFINITY;
            for (double x : r) {
                maxR = Math.max(maxR, x);
                minR = Math.min(minR, x);
            }
            for (double x : c) {
                maxC = Math.max(maxC, x);
                minC = Math.min(minC, x);
            }
            next[0] = maxR;
            next[1] = maxC;
            next[2] = 0;
            double total = s.work(0), rowFactor = Math.sqrt(total / minR), colFactor = 1 / Math.sqrt(minC);
            // the factors of the update (√(total / R_i), 1 / √C_j, and scale_i · G on the way to U) and |U| itself
            double factors = Math.max(Math.max(rowFactor, colFactor), alpha * rowFactor * gmax);
            return Math.max(Math.max(largest, maxR * maxC), Math.max(total, Math.max(factors, 2 * gmax * rowFactor * colFactor)));
        }
        next[0] = 0;
        next[1] = 0;
        next[2] = s.work(3);
        return Math.max(largest, s.work(3));
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        if (n == 0) return 0;
        double t = s.step();
        double alpha = o.lr();
        if (o.relativeStep()) alpha = Math.max(o.eps2(), Math.sqrt(s.work(1) / n)) * Math.min(o.lr(), 1 / Math.sqrt(t));
        double scale = alpha / Math.max(1.0, Math.sqrt(s.work(2) / n) / o.clipThreshold());
        double[] row = s.buffer(0), col = s.buffer(1), v = s.buffer(2), partials = s.partials;
        int cols = col.length, rows = row.length;
        double largest = 0, paramSq = 0;
        if (cols > 0) {
            System.arraycopy(s.scratch(0, rows), 0, row, 0, rows);
            System.arraycopy(s.scratch(1, cols), 0, col, 0, cols);
            double total = s.work(0);
            double[] colFactor = s.scratch(3, cols);
            for (int j = 0; j < cols; j++) colFactor[j] = 1 / Math.sqrt(col[j]);
            boolean vector = vectorKernels();
            for (int i = 0; i < rows; i++) {
                int off = i * cols;
                double rowScale = scale * Math.sqrt(total / row[i]);
                Sums8.clear(partials, 0);
                double m = vector ? VectorUpdates.adafactorApplyRow(p, g, off, cols, rowScale, colFactor, partials)
                        : applyRow(p, g, off, 0, cols, rowScale, colFactor, partials);
                largest = Math.max(largest, m);
                paramSq += Sums8.total(partials, 0);
            }
        } else {
            double beta2 = 1 - Math.pow(t, o.decayRate()), eps1 = o.eps1();
            Sums8.clear(partials, 0);
            for (int i = 0; i < n; i++) {
                v[i] = beta2 * v[i] + (1 - beta2) * (g[i] * g[i] + eps1);
                p[i] -= scale * g[i] / Math.sqrt(v[i]);
                largest = Math.max(largest, Math.abs(p[i]));
                partials[i & 7] += p[i] * p[i];
            }
            paramSq = Sums8.total(partials, 0);
        }
        s.setWork(1, paramSq); // the next step's Σθ², for RMS(θ)
        return largest;
    }
}

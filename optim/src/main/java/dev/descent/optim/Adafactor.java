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

    /** The trust ratio (or the RMS clipping) uses the whole parameter, so the step's check runs on a full copy. */
    @Override
    protected boolean elementwise() {
        return false;
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Options o) {
        if (n == 0) return 0;
        double t = s.step();
        double beta2 = 1 - Math.pow(t, o.decayRate()), eps1 = o.eps1();
        double alpha = o.lr();
        if (o.relativeStep()) alpha = Math.max(o.eps2(), rms(p, n)) * Math.min(o.lr(), 1 / Math.sqrt(t));
        double[] row = s.buffer(0), col = s.buffer(1), v = s.buffer(2);
        int cols = col.length, rows = row.length;
        double rowTotal = 0;
        if (cols > 0) {
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = 0; j < cols; j++) sum += g[i * cols + j] * g[i * cols + j] + eps1;
                row[i] = beta2 * row[i] + (1 - beta2) * sum;
                rowTotal += row[i];
            }
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int i = 0; i < rows; i++) sum += g[i * cols + j] * g[i * cols + j] + eps1;
                col[j] = beta2 * col[j] + (1 - beta2) * sum;
            }
        } else {
            for (int i = 0; i < n; i++) v[i] = beta2 * v[i] + (1 - beta2) * (g[i] * g[i] + eps1);
        }
        // U = G / √V̂ is computed twice (for its RMS, then to apply it) rather than stored
        double sumU2 = 0;
        for (int i = 0; i < n; i++) {
            double u = g[i] / Math.sqrt(secondMoment(i, row, col, v, cols, rowTotal));
            sumU2 += u * u;
        }
        double scale = alpha / Math.max(1.0, Math.sqrt(sumU2 / n) / o.clipThreshold());
        double largest = 0;
        for (int i = 0; i < n; i++) {
            p[i] -= scale * g[i] / Math.sqrt(secondMoment(i, row, col, v, cols, rowTotal));
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }

    private static double secondMoment(int i, double[] row, double[] col, double[] v, int cols, double rowTotal) {
        return cols > 0 ? row[i / cols] * col[i % cols] / rowTotal : v[i];
    }

    private static double rms(double[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i] * x[i];
        return Math.sqrt(s / n);
    }
}

package dev.descent.optim;

import dev.descent.core.Hessian;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Damped Newton's method with the exact Hessian from nested tapes ({@link Hessian#of}), for small problems: it forms
 * and factors the full {@code N × N} Hessian of all {@code N} parameter elements every step (one backward pass per
 * row, O(N³) to solve). With {@code x} all parameters flattened (in list order, each row-major), each step solves
 *
 * <pre>
 *   (H(x) + λ I) d = −∇f(x),    x ← x + lr d
 * </pre>
 *
 * (no step when the gradient is exactly zero) by Cholesky, or by LU with partial pivoting when {@code H + λI} is not positive definite (see below); a singular
 * system throws {@link ArithmeticException} naming λ and the Hessian's smallest eigenvalue, and changes nothing. Near
 * a minimum with {@code λ = 0} and {@code lr = 1} the error squares every step (quadratic convergence); {@code λ > 0}
 * trades that for robustness, and {@code λ → ∞} tends to gradient descent with step {@code lr/λ}.
 *
 * <p><b>Indefinite Hessians.</b> With fixed damping the class does what the formula says: an {@code H + λI} with
 * negative eigenvalues is solved by LU and the step goes to the stationary point of the local quadratic model, which
 * at a saddle is the saddle itself (undamped Newton on {@code x² − y²} jumps to the origin). Damping larger than the
 * most negative eigenvalue makes {@code H + λI} positive definite, and then {@code d} is a descent direction. With
 * Levenberg–Marquardt adaptation ({@code increase > 1}) a step is taken only if {@code H + λI} is positive definite
 * and the loss does not increase; otherwise λ is multiplied by {@code increase} and the solve repeated (up to 60 times), and
 * after an accepted step λ is multiplied by {@code decrease} (Levenberg 1944, Marquardt 1963; Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., section 10.3). This is the classic modification that keeps Newton's method
 * downhill near saddles and far from a minimum.
 *
 * <p>Every step records the eigenvalues of {@code H} itself (undamped) by the Jacobi method ({@link SymmetricEigen})
 * and its condition number {@code max|λᵢ| / min|λᵢ|}: {@link #lastEigenvalues()}, {@link #lastConditionNumber()}.
 *
 * <p>Unlike the first-order optimizers, Newton needs the loss as a function of the parameters (to differentiate it
 * twice), so it is not an {@link Optimizer}: {@link #step(Function)} takes a function from the parameter tensors to
 * the scalar loss. That function must use only its arguments (not the parameter tensors it closes over).
 */
public final class Newton {
    /** Undamped Newton: lr 1, λ 0, fixed. */
    public static final Options DEFAULTS = new Options(1.0, 0.0, 1.0, 1.0);

    /**
     * The hyperparameters of Newton's method.
     *
     * @param lr step length along the Newton direction, {@code > 0}
     * @param damping λ, added to the Hessian's diagonal, {@code >= 0}
     * @param increase factor applied to λ when a step is rejected; {@code 1} (fixed damping: no step is rejected) or
     *     {@code > 1} (Levenberg–Marquardt)
     * @param decrease factor applied to λ after an accepted step, in (0, 1]
     */
    public record Options(double lr, double damping, double increase, double decrease) {
        public Options {
            if (!(lr > 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            Hyperparameters.requireNonNegative(damping, "damping");
            if (!(increase >= 1)) throw new IllegalArgumentException("Invalid damping increase factor: " + increase);
            if (!(decrease > 0 && decrease <= 1)) throw new IllegalArgumentException("Invalid damping decrease factor: " + decrease);
            if (increase > 1 && damping == 0) throw new IllegalArgumentException("Levenberg–Marquardt needs an initial damping > 0");
        }

        /** Fixed damping λ (lr 1). */
        public static Options damped(double damping) {
            return new Options(1.0, damping, 1.0, 1.0);
        }

        /** Levenberg–Marquardt from λ₀: λ × 10 after a rejected step, λ / 10 after an accepted one (lr 1). */
        public static Options levenbergMarquardt(double initialDamping) {
            return new Options(1.0, initialDamping, 10.0, 0.1);
        }

        public boolean adaptive() {
            return increase > 1;
        }

        public Options withLr(double lr) {
            return new Options(lr, damping, increase, decrease);
        }
    }

    private final List<Tensor> params;
    private final Options options;
    private double damping;
    private double[] eigenvalues = new double[0];
    private double conditionNumber = Double.NaN;

    /** Undamped Newton. */
    public Newton(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public Newton(List<Tensor> params, Options options) {
        this.params = List.copyOf(params);
        if (this.params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        this.options = Objects.requireNonNull(options, "options");
        this.damping = options.damping();
    }

    /** The current damping λ (changes with Levenberg–Marquardt adaptation). */
    public double damping() {
        return damping;
    }

    /** The eigenvalues of the (undamped) Hessian at the start of the last step, ascending. */
    public double[] lastEigenvalues() {
        return eigenvalues.clone();
    }

    /** {@code max|λᵢ| / min|λᵢ|} of the Hessian at the start of the last step (∞ if singular, NaN before any step). */
    public double lastConditionNumber() {
        return conditionNumber;
    }

    /**
     * Takes one Newton step on {@code loss}, a function from tensors shaped like the parameters (in order) to a scalar.
     * Returns the loss before the step. Parameters are written in place and marked modified.
     */
    public double step(Function<List<Tensor>, Tensor> loss) {
        Objects.requireNonNull(loss, "loss");
        int n = 0;
        for (Tensor p : params) n += p.size();
        double[] x = new double[n];
        int offset = 0;
        for (Tensor p : params) {
            System.arraycopy(p.data(), 0, x, offset, p.size());
            offset += p.size();
        }
        Function<Tensor, Tensor> f = flat -> loss.apply(unflatten(flat));

        Tensor xv = Tensor.vector(x.clone()).requiresGrad(true);
        double f0;
        double[] g;
        try (Tape tape = Tape.record()) {
            Tensor y = f.apply(xv);
            if (y.dim() != 0) throw new IllegalArgumentException("Newton: the loss must be a scalar, got shape " + java.util.Arrays.toString(y.shape()));
            f0 = y.item();
            g = y.requiresGrad() ? tape.gradient(y, xv)[0].toArray() : new double[n];
        }
        if (!Double.isFinite(f0)) throw new IllegalStateException("Newton: the loss is " + f0 + " where the step begins; nothing was changed");
        double[] h = Hessian.of(f, Tensor.vector(x)).toArray();
        requireFinite("gradient", g);
        requireFinite("Hessian", h);
        double[] values = SymmetricEigen.eigenvalues(h, n);

        double lambda = damping;
        double[] xNew = null;
        boolean stationary = true;
        for (double v : g) stationary &= v == 0;
        if (stationary) xNew = x; // a zero gradient: already at a stationary point, nothing to solve
        for (int attempt = 0; attempt < 60 && xNew == null; attempt++) {
            double[] a = h.clone();
            for (int i = 0; i < n; i++) a[i * n + i] += lambda;
            double[] d = negate(g);
            boolean positiveDefinite = cholesky(a, n);
            if (positiveDefinite) {
                choleskySolve(a, n, d);
            } else if (options.adaptive()) {
                lambda *= options.increase();
                continue;
            } else {
                a = h.clone();
                for (int i = 0; i < n; i++) a[i * n + i] += lambda;
                if (!luSolve(a, n, d)) {
                    throw new ArithmeticException("Newton: H + λI is singular (λ = " + lambda + ", the Hessian's eigenvalues range from " + values[0]
                            + " to " + values[n - 1] + "); use a damping larger than " + Math.max(0, -values[0]) + " or Levenberg–Marquardt");
                }
            }
            double[] candidate = new double[n];
            for (int i = 0; i < n; i++) candidate[i] = x[i] + options.lr() * d[i];
            if (!options.adaptive()) {
                xNew = candidate;
                break;
            }
            double fNew = Tape.noGrad(() -> f.apply(Tensor.vector(candidate))).item();
            if (fNew <= f0) {
                xNew = candidate;
                lambda *= options.decrease();
                break;
            }
            lambda *= options.increase();
        }
        if (xNew == null) throw new ArithmeticException("Newton: no damping up to " + lambda + " decreased the loss from " + f0);
        requireFinite("step's result (the new parameters)", xNew);
        damping = lambda;
        eigenvalues = values;
        conditionNumber = SymmetricEigen.conditionNumber(values);
        offset = 0;
        for (Tensor p : params) {
            System.arraycopy(xNew, offset, p.data(), 0, p.size());
            offset += p.size();
            p.markModified();
        }
        return f0;
    }

    /** Throws {@link IllegalStateException} naming the first non-finite element of {@code values}; nothing is written yet. */
    private static void requireFinite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalStateException("Newton: the " + what + " is " + values[i] + " at element " + i + "; nothing was changed");
            }
        }
    }

    /** Views of the flat vector shaped like the parameters, so the loss sees tensors of the shapes it expects. */
    private List<Tensor> unflatten(Tensor flat) {
        List<Tensor> out = new ArrayList<>(params.size());
        int offset = 0;
        for (Tensor p : params) {
            out.add(flat.slice(0, offset, offset + p.size()).reshape(p.shape()));
            offset += p.size();
        }
        return out;
    }

    private static double[] negate(double[] g) {
        double[] d = new double[g.length];
        for (int i = 0; i < g.length; i++) d[i] = -g[i];
        return d;
    }

    /**
     * In-place Cholesky A = L Lᵀ (L in the lower triangle); false if A is not positive definite to working precision
     * (a pivot below {@code n · 2⁻⁵² · max|A|}, which rounding alone can produce from a singular matrix).
     */
    static boolean cholesky(double[] a, int n) {
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        double tiny = n * Math.ulp(1.0) * scale;
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
            if (!(s > tiny)) return false;
            double l = Math.sqrt(s);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = t / l;
            }
        }
        return true;
    }

    /** Solves L Lᵀ x = b in place, with L from {@link #cholesky}. */
    static void choleskySolve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k];
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
            b[i] = s / l[i * n + i];
        }
    }

    /**
     * Solves A x = b in place by LU with partial pivoting; false if a pivot is below {@code n · 2⁻⁵² · max|A|}, i.e.
     * A is singular to working precision.
     */
    static boolean luSolve(double[] a, int n, double[] b) {
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        double tiny = n * Math.ulp(1.0) * scale;
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[pivot * n + k])) pivot = i;
            if (!(Math.abs(a[pivot * n + k]) > tiny)) return false;
            if (pivot != k) {
                for (int j = 0; j < n; j++) {
                    double t = a[k * n + j];
                    a[k * n + j] = a[pivot * n + j];
                    a[pivot * n + j] = t;
                }
                double t = b[k];
                b[k] = b[pivot];
                b[pivot] = t;
            }
            for (int i = k + 1; i < n; i++) {
                double factor = a[i * n + k] / a[k * n + k];
                for (int j = k; j < n; j++) a[i * n + j] -= factor * a[k * n + j];
                b[i] -= factor * b[k];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
            b[i] = s / a[i * n + i];
        }
        return true;
    }
}

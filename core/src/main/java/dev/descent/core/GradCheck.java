package dev.descent.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks backpropagated gradients against central finite differences, as PyTorch's {@code gradcheck}: for every
 * element of every input and every element of the output, the analytic Jacobian entry a (from the tape) and the
 * numeric one {@code n = (f(x + eps) - f(x - eps)) / 2 eps} must satisfy {@code |a - n| <= atol + rtol·|n|}.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check(in -> in[0].tanh().mul(in[1]).sum(), x, y);
 * if (!r.passed()) System.out.println(r);      // names the worst element, analytic vs numeric
 * }</pre>
 *
 * <p>Inputs are copied; the function is called with variable copies (to record) and with perturbed constant copies
 * (for the differences), so it must be deterministic and must not keep state between calls. Capture constants in
 * the lambda rather than passing them as inputs. Finite differences need float64 and a smooth function near the
 * probe: when the one-sided slopes on either side of a probe disagree by far more than smoothness allows, the report
 * carries a warning that the probe straddles a kink (relu or abs at 0, a max tie), where the check is meaningless.
 */
public final class GradCheck {
    private GradCheck() {}

    /** A function of several tensors, the thing being checked. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor... inputs);
    }

    /** Step and tolerances; {@link #DEFAULT} is PyTorch's (eps 1e-6, atol 1e-5, rtol 1e-3). */
    public record Tolerance(double eps, double atol, double rtol) {
        public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-5, 1e-3);

        public Tolerance {
            if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0)) {
                throw new IllegalArgumentException("GradCheck.Tolerance: expected eps > 0, atol >= 0, rtol >= 0, got eps=" + eps
                        + ", atol=" + atol + ", rtol=" + rtol);
            }
        }
    }

    /**
     * The outcome. The worst element is the one with the largest error relative to its allowance
     * {@code atol + rtol·|numeric|} ({@link #ratio()} > 1 fails).
     */
    public record Report(boolean passed, int checked, int worstInput, int[] worstIndex, int worstOutput, double analytic,
                         double numeric, double ratio, Tolerance tolerance, List<String> warnings) {
        /** Throws {@link AssertionError} with this report's text when the check failed; returns this otherwise. */
        public Report orThrow() {
            if (!passed) throw new AssertionError(toString());
            return this;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(passed ? "gradient check passed" : "gradient check FAILED");
            sb.append(" (").append(checked).append(" Jacobian entries, eps=").append(tolerance.eps()).append(", atol=")
                    .append(tolerance.atol()).append(", rtol=").append(tolerance.rtol()).append(')');
            if (worstInput >= 0) {
                sb.append("\n  worst: input ").append(worstInput).append(" at ").append(Arrays.toString(worstIndex))
                        .append(", output element ").append(worstOutput).append(": analytic ").append(analytic)
                        .append(", numeric ").append(numeric).append(", |difference| ").append(Math.abs(analytic - numeric))
                        .append(" is ").append(String.format("%.3g", ratio)).append(" x the allowed ")
                        .append(tolerance.atol() + tolerance.rtol() * Math.abs(numeric));
            }
            for (String w : warnings) sb.append("\n  warning: ").append(w);
            return sb.toString();
        }
    }

    /** Checks first derivatives of {@code f} with respect to every input, with PyTorch's default tolerances. */
    public static Report check(Fn f, Tensor... inputs) {
        return check(f, Tolerance.DEFAULT, inputs);
    }

    /** Checks first derivatives of {@code f} with respect to every input. */
    public static Report check(Fn f, Tolerance tol, Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("GradCheck.check: expected at least one input, got none");
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = inputs[i].detach().copy().requiresGrad(true);
        double[][][] analytic = analyticJacobian(f, vars); // [input][output][element]
        return compare(f, tol, vars, analytic);
    }

    /**
     * Checks second derivatives: the vector-Jacobian product x ↦ vᵀ·∂f/∂x (for a fixed random v, recorded with
     * create-graph) is itself checked against finite differences, as PyTorch's {@code gradgradcheck}.
     */
    public static Report gradGradCheck(Fn f, Tensor... inputs) {
        return gradGradCheck(f, Tolerance.DEFAULT, inputs);
    }

    /** Checks second derivatives with the given tolerances. */
    public static Report gradGradCheck(Fn f, Tolerance tol, Tensor... inputs) {
        Tensor[] probe = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) probe[i] = inputs[i].detach().copy();
        int[] outShape = Tape.noGrad(() -> f.apply(probe)).shape();
        Tensor v = Tensor.uniform(new Rng(0x5EEDL), -1, 1, outShape);
        Fn vjp = xs -> {
            Tensor[] vars = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) vars[i] = xs[i].requiresGrad() ? xs[i] : xs[i].detach().requiresGrad(true);
            Tensor[] g;
            try (Tape inner = Tape.record()) {
                Tensor y = f.apply(vars);
                g = y.requiresGrad() ? inner.gradient(y, vars, v) : zerosLike(vars);
            }
            Tensor[] flat = new Tensor[g.length];
            for (int i = 0; i < g.length; i++) flat[i] = g[i].reshape(-1);
            return Tensor.concat(0, flat);
        };
        return check(vjp, tol, inputs);
    }

    private static Tensor[] zerosLike(Tensor[] xs) {
        Tensor[] z = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) z[i] = xs[i].zerosLike();
        return z;
    }

    /** One point of an eps sweep: the largest |analytic - numeric| over all Jacobian entries at that step. */
    public record SweepPoint(double eps, double maxAbsError) {}

    /** The error curve of an eps sweep, largest step first. */
    public record Sweep(List<SweepPoint> points) {
        /** The bottom of the curve: the step with the smallest error (the largest such step on ties). */
        public SweepPoint best() {
            SweepPoint best = points.get(0);
            for (SweepPoint p : points) if (p.maxAbsError() < best.maxAbsError()) best = p;
            return best;
        }
    }

    /**
     * The finite-difference error against the step, for eps = 1e-1, 1e-2, ..., 1e-12: truncation error falls with eps,
     * round-off error grows as it shrinks; {@link Sweep#best()} is the bottom of the curve, the best step for this
     * function.
     */
    public static Sweep sweep(Fn f, Tensor... inputs) {
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = inputs[i].detach().copy().requiresGrad(true);
        double[][][] analytic = analyticJacobian(f, vars);
        List<SweepPoint> points = new ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            double eps = Math.pow(10, -e);
            double worst = 0;
            for (int i = 0; i < vars.length; i++) {
                for (int k = 0; k < vars[i].size(); k++) {
                    double[][] d = differences(f, vars, i, k, eps);
                    for (int j = 0; j < d[0].length; j++) worst = Math.max(worst, Math.abs(d[0][j] - analytic[i][j][k]));
                }
            }
            points.add(new SweepPoint(eps, worst));
        }
        return new Sweep(List.copyOf(points));
    }

    private static double[][][] analyticJacobian(Fn f, Tensor[] vars) {
        double[][][] jac = new double[vars.length][][];
        try (Tape tape = Tape.record().retainGraph()) {
            Tensor y = f.apply(vars);
            int outs = y.size();
            for (int i = 0; i < vars.length; i++) jac[i] = new double[outs][vars[i].size()];
            if (!y.requiresGrad()) return jac;
            for (int j = 0; j < outs; j++) {
                Tensor seed = Tensor.zeros(y.shapeRef());
                seed.data()[j] = 1;
                Tensor[] g = tape.gradient(y, vars, seed);
                for (int i = 0; i < vars.length; i++) System.arraycopy(g[i].data(), 0, jac[i][j], 0, vars[i].size());
            }
        }
        return jac;
    }

    /**
     * Central, forward and backward differences of every output with respect to element k of input i:
     * rows {central, forward, backward}.
     */
    private static double[][] differences(Fn f, Tensor[] vars, int i, int k, double eps) {
        Tensor[] consts = new Tensor[vars.length];
        for (int v = 0; v < vars.length; v++) consts[v] = vars[v].detach();
        double[] x = vars[i].data();
        double orig = x[k];
        try {
            double[] y0 = evaluate(f, consts);
            x[k] = orig + eps;
            double[] yp = evaluate(f, consts);
            x[k] = orig - eps;
            double[] ym = evaluate(f, consts);
            double[][] d = new double[3][y0.length];
            for (int j = 0; j < y0.length; j++) {
                d[0][j] = (yp[j] - ym[j]) / (2 * eps);
                d[1][j] = (yp[j] - y0[j]) / eps;
                d[2][j] = (y0[j] - ym[j]) / eps;
            }
            return d;
        } finally {
            x[k] = orig;
        }
    }

    private static double[] evaluate(Fn f, Tensor[] consts) {
        return Tape.noGrad(() -> f.apply(consts)).toArray();
    }

    private static Report compare(Fn f, Tolerance tol, Tensor[] vars, double[][][] analytic) {
        List<String> warnings = new ArrayList<>();
        int kinks = 0, checked = 0;
        int worstInput = -1, worstOutput = -1, worstFlat = -1;
        double worstRatio = -1, worstA = 0, worstN = 0;
        for (int i = 0; i < vars.length; i++) {
            for (int k = 0; k < vars[i].size(); k++) {
                double[][] d = differences(f, vars, i, k, tol.eps());
                for (int j = 0; j < d[0].length; j++) {
                    double a = analytic[i][j][k], n = d[0][j];
                    double allowed = tol.atol() + tol.rtol() * Math.abs(n);
                    double ratio = Math.abs(a - n) / allowed;
                    if (Double.isNaN(ratio)) ratio = Double.isNaN(a) == Double.isNaN(n) && Double.compare(a, n) == 0 ? 0 : Double.POSITIVE_INFINITY;
                    checked++;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worstInput = i;
                        worstOutput = j;
                        worstFlat = k;
                        worstA = a;
                        worstN = n;
                    }
                    double jump = Math.abs(d[1][j] - d[2][j]);
                    if (jump > 10 * (tol.atol() + tol.rtol() * Math.max(Math.abs(d[1][j]), Math.abs(d[2][j])))) {
                        if (kinks++ < 5) {
                            warnings.add("the probe at input " + i + " " + Arrays.toString(unflatten(k, vars[i].shapeRef()))
                                    + " straddles a kink for output element " + j + ": one-sided slopes " + d[2][j] + " (left) and "
                                    + d[1][j] + " (right); finite differences are meaningless there");
                        }
                    }
                }
            }
        }
        if (kinks > 5) warnings.add((kinks - 5) + " more probes straddle kinks");
        int[] index = worstInput < 0 ? new int[0] : unflatten(worstFlat, vars[worstInput].shapeRef());
        return new Report(worstRatio <= 1, checked, worstInput, index, worstOutput, worstA, worstN, Math.max(worstRatio, 0),
                tol, List.copyOf(warnings));
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}

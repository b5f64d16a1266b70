package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Limited-memory BFGS (Liu and Nocedal, "On the limited memory BFGS method for large scale optimization", Math.
 * Programming 45, 1989), exactly as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.LBFGS.html">{@code torch.optim.LBFGS}</a> (itself after
 * Schmidt's minFunc), including its strong-Wolfe line search ({@code _strong_wolfe} and {@code _cubic_interpolate},
 * Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithms 3.5 and 3.6), ported line by line.
 *
 * <p>All parameters are treated as one flat vector {@code x} (in group order, each parameter row-major). One
 * {@link #step(Supplier)} runs up to {@code maxIter} iterations, each
 *
 * <pre>
 *   d ← −H g          two-loop recursion over the last historySize pairs (s, y), H₀ = (sᵀy / yᵀy) I; d = −g at first
 *   t ← min(1, 1/‖g‖₁) lr   on the very first iteration, lr after it
 *   x ← x + t d       t from the strong-Wolfe search (c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations) if lineSearchFn
 *                     is "strong_wolfe", else as is
 * </pre>
 *
 * and a pair {@code (s, y) = (t d, g_new − g)} enters the history only when {@code yᵀs > 1e-10}. The step stops
 * early, as PyTorch's, when {@code max|g| <= toleranceGrad}, when the directional derivative {@code gᵀd >
 * −toleranceChange}, after {@code maxEval} closure evaluations, when {@code max|t d| <= toleranceChange} or when the
 * loss changes by less than {@code toleranceChange}. The history persists across steps.
 *
 * <p>As in PyTorch: the optimizer is driven only through {@link #step(Supplier)} (the closure zeroes the gradients,
 * recomputes the loss under a tape, fills the gradients and returns the loss; it is called several times per step);
 * there is exactly one parameter group; a parameter without a gradient counts as a zero gradient; the strong-Wolfe
 * line search treats a non-finite loss at a trial point as too long a step. Unlike PyTorch, a step never ends at
 * non-finite values: a loss or gradient that is not finite where the step begins, or one that becomes so at a point
 * the step accepts, or parameters that would become non-finite, make it throw {@link IllegalStateException} with
 * the parameters copied back to where the step began and the optimizer state (history, counters) unchanged. The
 * returned loss is the one of the closure's first call. If the closure throws, the parameters are restored to where
 * the step began and the optimizer state is unchanged. The optimizer-wide state (history, last direction, step length, counters) is the
 * {@link StateDict#global()} part of the state dict, under PyTorch's names.
 */
public final class LBFGS extends ClosureOptimizer<LBFGS.Options> {
    /** PyTorch's defaults: lr 1, maxIter 20, maxEval 25, toleranceGrad 1e-7, toleranceChange 1e-9, historySize 100, no line search. */
    public static final Options DEFAULTS = new Options(1, 20, 25, 1e-7, 1e-9, 100, null);

    /** The name of the only line search PyTorch offers. */
    public static final String STRONG_WOLFE = "strong_wolfe";

    /**
     * The hyperparameters of L-BFGS; start from {@link LBFGS#DEFAULTS}.
     *
     * @param lr learning rate (the initial step length of every iteration but the first), {@code >= 0}
     * @param maxIter iterations per step, {@code >= 1}
     * @param maxEval closure evaluations per step, {@code >= 1} (PyTorch's default: {@code maxIter * 5 / 4})
     * @param toleranceGrad stop when {@code max|g| <= toleranceGrad}
     * @param toleranceChange stop when the step or the change in loss is below this
     * @param historySize number of (s, y) pairs kept, {@code >= 1}
     * @param lineSearchFn {@code null} or {@code "strong_wolfe"}
     */
    public record Options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize,
            String lineSearchFn) implements Hyperparameters<Options> {
        public Options {
            Hyperparameters.requireNonNegative(lr, "learning rate");
            if (maxIter < 1) throw new IllegalArgumentException("Invalid max_iter: " + maxIter);
            if (maxEval < 1) throw new IllegalArgumentException("Invalid max_eval: " + maxEval);
            if (historySize < 1) throw new IllegalArgumentException("Invalid history_size: " + historySize);
            Hyperparameters.requireNonNegative(toleranceGrad, "tolerance_grad");
            Hyperparameters.requireNonNegative(toleranceChange, "tolerance_change");
            if (lineSearchFn != null && !lineSearchFn.equals(STRONG_WOLFE)) {
                throw new IllegalArgumentException("only 'strong_wolfe' is supported, got '" + lineSearchFn + "'");
            }
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        /** Sets maxIter and, as PyTorch does when {@code max_eval} is not given, maxEval to {@code maxIter * 5 / 4}. */
        public Options withMaxIter(int maxIter) {
            return new Options(lr, maxIter, maxIter * 5 / 4, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options withMaxEval(int maxEval) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options withToleranceGrad(double toleranceGrad) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options withToleranceChange(double toleranceChange) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options withHistorySize(int historySize) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }

        public Options withLineSearchFn(String lineSearchFn) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn);
        }
    }

    // the optimizer-wide state, PyTorch's state[params[0]]
    private long funcEvals, nIterTotal;
    private double[] d, prevFlatGrad;
    private double t, hDiag = 1, prevLoss;
    private final List<double[]> oldDirs = new ArrayList<>(), oldStps = new ArrayList<>();
    private final List<Double> ro = new ArrayList<>();

    /** L-BFGS with PyTorch's defaults. */
    public LBFGS(List<Tensor> params) {
        this(params, DEFAULTS);
    }

    public LBFGS(List<Tensor> params, Options options) {
        super(params, options);
    }

    /** The closure evaluations over all steps so far (PyTorch's {@code func_evals}). */
    public long funcEvals() {
        return funcEvals;
    }

    /** The iterations over all steps so far (PyTorch's {@code n_iter}). */
    public long iterations() {
        return nIterTotal;
    }

    /** Runs one L-BFGS step (up to {@code maxIter} iterations); returns the loss of the closure's first evaluation. */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        Objects.requireNonNull(closure, "closure");
        List<Tensor> params = onlyGroupParams();
        double[] start = flatParams(params);
        // work on copies of the state and commit them at the end, so a throwing closure leaves everything as it was
        Run run = new Run(params, closure);
        try {
            Tensor loss = run.step(paramGroups().get(0).options());
            run.checkEnd();
            run.commit();
            return loss;
        } catch (RuntimeException | Error e) {
            setParams(params, start);
            throw e;
        }
    }

    /** One step's working copy of the state. */
    private final class Run {
        final List<Tensor> params;
        final Supplier<Tensor> closure;
        long funcEvals = LBFGS.this.funcEvals, nIterTotal = LBFGS.this.nIterTotal;
        double[] d = LBFGS.this.d, prevFlatGrad = LBFGS.this.prevFlatGrad;
        double t = LBFGS.this.t, hDiag = LBFGS.this.hDiag, prevLoss = LBFGS.this.prevLoss;
        final List<double[]> oldDirs = new ArrayList<>(LBFGS.this.oldDirs), oldStps = new ArrayList<>(LBFGS.this.oldStps);
        final List<Double> ro = new ArrayList<>(LBFGS.this.ro);

        Run(List<Tensor> params, Supplier<Tensor> closure) {
            this.params = params;
            this.closure = closure;
        }

        void commit() {
            LBFGS.this.funcEvals = funcEvals;
            LBFGS.this.nIterTotal = nIterTotal;
            LBFGS.this.d = d;
            LBFGS.this.prevFlatGrad = prevFlatGrad;
            LBFGS.this.t = t;
            LBFGS.this.hDiag = hDiag;
            LBFGS.this.prevLoss = prevLoss;
            LBFGS.this.oldDirs.clear();
            LBFGS.this.oldDirs.addAll(oldDirs);
            LBFGS.this.oldStps.clear();
            LBFGS.this.oldStps.addAll(oldStps);
            LBFGS.this.ro.clear();
            LBFGS.this.ro.addAll(ro);
        }

        /** The last loss the closure returned, and whether any gradient it filled was not finite. */
        double lastLoss;
        boolean nonFiniteGradient;

        /** Throws unless the step ends at finite parameters with a finite objective and gradients along the way. */
        void checkEnd() {
            double[] x = flatParams(params);
            String problem = !Double.isFinite(lastLoss) ? "the objective became " + lastLoss
                    : nonFiniteGradient ? "a gradient of the objective became non-finite" : null;
            for (int i = 0; problem == null && i < x.length; i++) {
                if (!Double.isFinite(x[i])) problem = "the step would set element " + i + " of the parameters to " + x[i];
            }
            if (problem != null) {
                throw new IllegalStateException("LBFGS: " + problem + " during the step; the history is unchanged and the parameters are"
                        + " back where the step began");
            }
        }

        /** The closure's loss, recorded for {@link #checkEnd}. */
        private Tensor call() {
            Tensor loss = evaluate(closure);
            lastLoss = loss.item();
            return loss;
        }

        /** The flat gradient, noting non-finite values for {@link #checkEnd}. */
        private double[] gradient() {
            return note(flatGrad(params));
        }

        private double[] note(double[] g) {
            for (double v : g) nonFiniteGradient |= !Double.isFinite(v);
            return g;
        }

        Tensor step(Options o) {
            Tensor origLoss = evaluate(closure);
            double loss = origLoss.item();
            lastLoss = loss;
            int currentEvals = 1;
            funcEvals++;
            double[] flatGrad = flatGrad(params);
            checkStart(loss, flatGrad);
            boolean optCond = maxAbs(flatGrad) <= o.toleranceGrad();
            if (optCond) return origLoss;

            int nIter = 0;
            while (nIter < o.maxIter()) {
                nIter++;
                nIterTotal++;
                if (nIterTotal == 1) {
                    d = neg(flatGrad);
                    oldDirs.clear();
                    oldStps.clear();
                    ro.clear();
                    hDiag = 1;
                } else {
                    double[] y = new double[flatGrad.length], s = new double[flatGrad.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = flatGrad[i] - prevFlatGrad[i];
                        s[i] = d[i] * t;
                    }
                    double ys = dot(y, s);
                    if (ys > 1e-10) {
                        if (oldDirs.size() == o.historySize()) {
                            oldDirs.remove(0);
                            oldStps.remove(0);
                            ro.remove(0);
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(1.0 / ys);
                        hDiag = ys / dot(y, y);
                    }
                    // the two-loop recursion: d = −H g
                    int numOld = oldDirs.size();
                    double[] al = new double[numOld];
                    double[] q = neg(flatGrad);
                    for (int i = numOld - 1; i >= 0; i--) {
                        al[i] = dot(oldStps.get(i), q) * ro.get(i);
                        addScaled(q, -al[i], oldDirs.get(i));
                    }
                    double[] r = q;
                    for (int j = 0; j < r.length; j++) r[j] = q[j] * hDiag;
                    for (int i = 0; i < numOld; i++) {
                        double be = dot(oldDirs.get(i), r) * ro.get(i);
                        addScaled(r, al[i] - be, oldStps.get(i));
                    }
                    d = r;
                }
                prevFlatGrad = flatGrad.clone();
                prevLoss = loss;

                t = nIterTotal == 1 ? pyMin(1.0, 1.0 / sumAbs(flatGrad)) * o.lr() : o.lr();
                double gtd = dot(flatGrad, d);
                if (gtd > -o.toleranceChange()) break;

                int lsFuncEvals = 0;
                if (o.lineSearchFn() != null) {
                    double[] x = flatParams(params);
                    Wolfe w = strongWolfe(x, t, d, loss, flatGrad, gtd, o.toleranceChange());
                    // trial points of the search may be non-finite (too long a step); the point it accepts may not
                    loss = lastLoss = w.f;
                    flatGrad = note(w.g);
                    t = w.t;
                    lsFuncEvals = w.evals;
                    addToParams(params, t, d);
                    optCond = maxAbs(flatGrad) <= o.toleranceGrad();
                } else {
                    addToParams(params, t, d);
                    if (nIter != o.maxIter()) {
                        loss = call().item();
                        flatGrad = gradient();
                        optCond = maxAbs(flatGrad) <= o.toleranceGrad();
                        lsFuncEvals = 1;
                    }
                }
                currentEvals += lsFuncEvals;
                funcEvals += lsFuncEvals;

                if (nIter == o.maxIter()) break;
                if (currentEvals >= o.maxEval()) break;
                if (optCond) break;
                if (maxAbsScaled(d, t) <= o.toleranceChange()) break;
                if (Math.abs(loss - prevLoss) < o.toleranceChange()) break;
            }
            return origLoss;
        }

        /** The loss and gradient at x + t d; the parameters are back at x afterwards. */
        Eval directionalEvaluate(double[] x, double t, double[] d) {
            addToParams(params, t, d);
            double loss = evaluate(closure).item();
            double[] g = flatGrad(params);
            setParams(params, x);
            return new Eval(loss, g);
        }

        /** {@code _strong_wolfe} of torch/optim/lbfgs.py with c1 = 1e-4, c2 = 0.9, max_ls = 25. */
        Wolfe strongWolfe(double[] x, double t, double[] d, double f, double[] g, double gtd, double toleranceChange) {
            final double c1 = 1e-4, c2 = 0.9;
            final int maxLs = 25;
            double dNorm = maxAbs(d);
            g = g.clone();
            Eval e = directionalEvaluate(x, t, d);
            double fNew = e.f;
            double[] gNew = e.g;
            int lsFuncEvals = 1;
            double gtdNew = dot(gNew, d);

            double tPrev = 0, fPrev = f, gtdPrev = gtd;
            double[] gPrev = g;
            boolean done = false;
            int lsIter = 0;
            double[] bracket = null, bracketF = null, bracketGtd = null;
            double[][] bracketG = null;
            while (lsIter < maxLs) {
                if (fNew > (f + c1 * t * gtd) || (lsIter > 1 && fNew >= fPrev)) {
                    bracket = new double[] {tPrev, t};
                    bracketF = new double[] {fPrev, fNew};
                    bracketG = new double[][] {gPrev, gNew.clone()};
                    bracketGtd = new double[] {gtdPrev, gtdNew};
                    break;
                }
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    bracket = new double[] {t};
                    bracketF = new double[] {fNew};
                    bracketG = new double[][] {gNew};
                    done = true;
                    break;
                }
                if (gtdNew >= 0) {
                    bracket = new double[] {tPrev, t};
                    bracketF = new double[] {fPrev, fNew};
                    bracketG = new double[][] {gPrev, gNew.clone()};
                    bracketGtd = new double[] {gtdPrev, gtdNew};
                    break;
                }
                // interpolate
                double minStep = t + 0.01 * (t - tPrev);
                double maxStep = t * 10;
                double tmp = t;
                t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
                tPrev = tmp;
                fPrev = fNew;
                gPrev = gNew.clone();
                gtdPrev = gtdNew;
                e = directionalEvaluate(x, t, d);
                fNew = e.f;
                gNew = e.g;
                lsFuncEvals++;
                gtdNew = dot(gNew, d);
                lsIter++;
            }
            if (lsIter == maxLs) {
                bracket = new double[] {0, t};
                bracketF = new double[] {f, fNew};
                bracketG = new double[][] {g, gNew};
            }

            // zoom phase: a point satisfying the criteria lies in the bracket
            boolean insufProgress = false;
            int lowPos = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1, highPos = 1 - lowPos;
            while (!done && lsIter < maxLs) {
                if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
                t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
                double hi = pyMax(bracket[0], bracket[1]), lo = pyMin(bracket[0], bracket[1]);
                double eps = 0.1 * (hi - lo);
                if (pyMin(hi - t, t - lo) < eps) {
                    if (insufProgress || t >= hi || t <= lo) {
                        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                        insufProgress = false;
                    } else {
                        insufProgress = true;
                    }
                } else {
                    insufProgress = false;
                }
                e = directionalEvaluate(x, t, d);
                fNew = e.f;
                gNew = e.g;
                lsFuncEvals++;
                gtdNew = dot(gNew, d);
                lsIter++;
                if (fNew > (f + c1 * t * gtd) || fNew >= bracketF[lowPos]) {
                    bracket[highPos] = t;
                    bracketF[highPos] = fNew;
                    bracketG[highPos] = gNew.clone();
                    bracketGtd[highPos] = gtdNew;
                    lowPos = bracketF[0] <= bracketF[1] ? 0 : 1;
                    highPos = 1 - lowPos;
                } else {
                    if (Math.abs(gtdNew) <= -c2 * gtd) {
                        done = true;
                    } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
                        bracket[highPos] = bracket[lowPos];
                        bracketF[highPos] = bracketF[lowPos];
                        bracketG[highPos] = bracketG[lowPos];
                        bracketGtd[highPos] = bracketGtd[lowPos];
                    }
                    bracket[lowPos] = t;
                    bracketF[lowPos] = fNew;
                    bracketG[lowPos] = gNew.clone();
                    bracketGtd[lowPos] = gtdNew;
                }
            }
            return new Wolfe(bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals);
        }
    }

    private record Eval(double f, double[] g) {}

    private record Wolfe(double f, double[] g, double t, int evals) {}

    /**
     * {@code _cubic_interpolate} of torch/optim/lbfgs.py: the minimiser of the cubic through (x1, f1) and (x2, f2) with
     * slopes g1 and g2, clamped to [xminBound, xmaxBound]; the midpoint of the bounds when the cubic has no minimum.
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double xminBound, double xmaxBound) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return pyMin(pyMax(minPos, xminBound), xmaxBound);
        }
        return (xminBound + xmaxBound) / 2.;
    }

    /** {@code _cubic_interpolate} with the bounds [min(x1, x2), max(x1, x2)]. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return x1 <= x2 ? cubicInterpolate(x1, f1, g1, x2, f2, g2, x1, x2) : cubicInterpolate(x1, f1, g1, x2, f2, g2, x2, x1);
    }

    /** Python's {@code max(a, b)}: b only if b > a (so a NaN first argument wins). */
    private static double pyMax(double a, double b) {
        return b > a ? b : a;
    }

    /** Python's {@code min(a, b)}: b only if b < a. */
    private static double pyMin(double a, double b) {
        return b < a ? b : a;
    }

    // ---------------------------------------------------------------- flat-vector helpers

    /** p ← p + t d over the flattened parameters, as PyTorch's {@code p.add_(d, alpha=t)}. */
    private static void addToParams(List<Tensor> params, double t, double[] d) {
        int offset = 0;
        for (Tensor p : params) {
            double[] data = p.data();
            for (int i = 0; i < p.size(); i++) data[i] += t * d[offset + i];
            offset += p.size();
            p.markModified();
        }
    }

    private static void addScaled(double[] a, double alpha, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += alpha * b[i];
    }

    private static double[] neg(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = -a[i];
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double maxAbsScaled(double[] a, double t) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v * t));
        return m;
    }

    private static double sumAbs(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }

    // ---------------------------------------------------------------- state dict

    @Override
    protected StateDict.GlobalState globalState() {
        if (nIterTotal == 0 && funcEvals == 0) return StateDict.GlobalState.NONE;
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("func_evals", (double) funcEvals);
        scalars.put("n_iter", (double) nIterTotal);
        Map<String, double[]> arrays = new LinkedHashMap<>();
        if (d != null) {
            scalars.put("t", t);
            scalars.put("H_diag", hDiag);
            scalars.put("prev_loss", prevLoss);
            arrays.put("d", d);
            arrays.put("prev_flat_grad", prevFlatGrad);
            arrays.put("old_dirs", concat(oldDirs));
            arrays.put("old_stps", concat(oldStps));
            arrays.put("ro", ro.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new StateDict.GlobalState(scalars, arrays);
    }

    private double[] concat(List<double[]> rows) {
        int n = d.length;
        double[] out = new double[rows.size() * n];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, i * n, n);
        return out;
    }

    /**
     * Restores the history. {@code old_dirs} and {@code old_stps} are the kept pairs concatenated, oldest first, each
     * as long as the flattened parameters; {@code ro} has one entry per pair.
     */
    @Override
    protected void loadGlobalState(StateDict.GlobalState g) {
        Map<String, Double> sc = g.scalars();
        Map<String, double[]> ar = g.arrays();
        if (sc.isEmpty() && ar.isEmpty()) {
            funcEvals = nIterTotal = 0;
            d = prevFlatGrad = null;
            t = prevLoss = 0;
            hDiag = 1;
            oldDirs.clear();
            oldStps.clear();
            ro.clear();
            return;
        }
        int n = numel(paramGroups().get(0).params());
        boolean full = ar.containsKey("d");
        List<String> scalarNames = full ? List.of("func_evals", "n_iter", "t", "H_diag", "prev_loss") : List.of("func_evals", "n_iter");
        if (!sc.keySet().equals(java.util.Set.copyOf(scalarNames))) {
            throw new IllegalArgumentException("loaded LBFGS state has scalars " + sc.keySet() + ", expected " + scalarNames);
        }
        if (!full && !ar.isEmpty()) throw new IllegalArgumentException("loaded LBFGS state has arrays " + ar.keySet() + " but no d");
        int pairs = 0;
        if (full) {
            List<String> arrayNames = List.of("d", "prev_flat_grad", "old_dirs", "old_stps", "ro");
            if (!ar.keySet().equals(java.util.Set.copyOf(arrayNames))) {
                throw new IllegalArgumentException("loaded LBFGS state has arrays " + ar.keySet() + ", expected " + arrayNames);
            }
            pairs = ar.get("ro").length;
            if (ar.get("d").length != n || ar.get("prev_flat_grad").length != n || ar.get("old_dirs").length != pairs * n
                    || ar.get("old_stps").length != pairs * n) {
                throw new IllegalArgumentException("loaded LBFGS state does not match " + n + " parameter elements and " + pairs + " pairs");
            }
        }
        funcEvals = sc.get("func_evals").longValue();
        nIterTotal = sc.get("n_iter").longValue();
        oldDirs.clear();
        oldStps.clear();
        ro.clear();
        if (full) {
            t = sc.get("t");
            hDiag = sc.get("H_diag");
            prevLoss = sc.get("prev_loss");
            d = ar.get("d").clone();
            prevFlatGrad = ar.get("prev_flat_grad").clone();
            for (int i = 0; i < pairs; i++) {
                oldDirs.add(java.util.Arrays.copyOfRange(ar.get("old_dirs"), i * n, (i + 1) * n));
                oldStps.add(java.util.Arrays.copyOfRange(ar.get("old_stps"), i * n, (i + 1) * n));
                ro.add(ar.get("ro")[i]);
            }
        } else {
            d = prevFlatGrad = null;
        }
    }
}

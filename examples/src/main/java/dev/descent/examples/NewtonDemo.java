package dev.descent.examples;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.optim.BacktrackingLineSearch;
import dev.descent.optim.Newton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.XYChart;

/**
 * Second-order methods against gradient descent: Newton's method on quadratics of growing condition number (one step
 * whatever κ, while gradient descent needs about κ/2 · ln(1/tol)), its quadratic convergence on a function that is not
 * quadratic, a saddle point that pulls undamped Newton in and that damping or Levenberg–Marquardt escape, and Armijo
 * backtracking line search against a fixed step on Rosenbrock.
 */
final class NewtonDemo implements Demo {
    double[] kappas = {1, 10, 100, 1000};
    /** Stop when ‖x − x*‖ ≤ tol · ‖x₀ − x*‖. */
    double tol = 1e-6;
    int maxIterations = 100_000;
    int saddleSteps = 12;
    int rosenbrockSteps = 2000;
    /** The fixed step on Rosenbrock, small enough for its steep walls from (−1.2, 1). */
    double rosenbrockLr = 1e-3;

    @Override
    public String name() {
        return "newton";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // quadratics

    /** One condition number: iterations each method needed, and the Hessian's eigenvalues as Newton reported them. */
    record Conditioning(double kappa, int gdIterations, int gdInverseLIterations, int newtonIterations, double[] eigenvalues, double conditionNumber,
                        double[] gdErrors) {}

    /** f(x) = ½ xᵀ A x with A = R diag(1, κ) Rᵀ, R a rotation by 30°: the valley is tilted, not along an axis. */
    static Function<Tensor, Tensor> quadratic(double kappa) {
        double c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
        double[][] a = {{c * c + kappa * s * s, (1 - kappa) * c * s}, {(1 - kappa) * c * s, s * s + kappa * c * c}};
        Tensor m = Tensor.matrix(a);
        return x -> x.reshape(1, 2).matmul(m).matmul(x.reshape(2, 1)).sum().mul(0.5);
    }

    Conditioning conditioning(double kappa) {
        Function<Tensor, Tensor> f = quadratic(kappa);
        double[] start = {1, 1};
        double e0 = norm(start);
        // the best fixed step for a quadratic with eigenvalues in [μ, L]: 2 / (μ + L), contraction (κ − 1) / (κ + 1)
        double lr = 2 / (1 + kappa);
        Tensor p = Tensor.vector(start.clone()).requiresGrad(true);
        List<Double> errors = new ArrayList<>(List.of(1.0));
        int gd = 0;
        while (norm(p.toArray()) > tol * e0 && gd < maxIterations) {
            gradientStep(f, p, lr);
            gd++;
            errors.add(norm(p.toArray()) / e0);
        }
        // the textbook safe step 1/L, contraction 1 − 1/κ: about twice as many iterations
        Tensor p1 = Tensor.vector(start.clone()).requiresGrad(true);
        int gd1 = 0;
        while (norm(p1.toArray()) > tol * e0 && gd1 < maxIterations) {
            gradientStep(f, p1, 1 / kappa);
            gd1++;
        }
        Tensor q = Tensor.vector(start.clone()).requiresGrad(true);
        Newton newton = new Newton(List.of(q));
        int nt = 0;
        double[] eig = null;
        double cond = Double.NaN;
        while (norm(q.toArray()) > tol * e0 && nt < 100) {
            newton.step(ps -> f.apply(ps.get(0)));
            if (eig == null) {
                eig = newton.lastEigenvalues();
                cond = newton.lastConditionNumber();
            }
            nt++;
        }
        return new Conditioning(kappa, gd, gd1, nt, eig, cond, errors.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** p ← p − lr ∇f(p), the gradient from a tape; returns f(p) before the step. */
    static double gradientStep(Function<Tensor, Tensor> f, Tensor p, double lr) {
        p.zeroGrad();
        double loss;
        try (Tape tape = Tape.record()) {
            Tensor y = f.apply(p);
            tape.backward(y);
            loss = y.item();
        }
        p.addInPlace(-lr, p.grad());
        return loss;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // quadratic convergence

    /** Σ (eˣⁱ − xᵢ) + ½ (x₀ − x₁)²: strongly convex, minimum 0 at the origin, and not a quadratic. */
    static Tensor convex(Tensor x) {
        Tensor d = x.slice(0, 0, 1).sub(x.slice(0, 1, 2));
        return x.exp().sub(x).sum().add(d.square().sum().mul(0.5));
    }

    static final double[] CONVEX_START = {1.0, -0.5};

    /** Distance to the minimum after each iteration: Newton, and gradient descent with Armijo line search. */
    record Convergence(double[] newton, double[] gd) {}

    Convergence convergence() {
        Tensor x = Tensor.vector(CONVEX_START.clone()).requiresGrad(true);
        Newton newton = new Newton(List.of(x));
        List<Double> ne = new ArrayList<>(List.of(norm(CONVEX_START)));
        while (ne.get(ne.size() - 1) > 1e-12 && ne.size() < 20) {
            newton.step(ps -> convex(ps.get(0)));
            ne.add(norm(x.toArray()));
        }
        Tensor y = Tensor.vector(CONVEX_START.clone()).requiresGrad(true);
        BacktrackingLineSearch ls = new BacktrackingLineSearch(List.of(y));
        List<Double> ge = new ArrayList<>(List.of(norm(CONVEX_START)));
        for (int t = 0; t < 30; t++) {
            ls.step(closure(ls, NewtonDemo::convex, y));
            ge.add(norm(y.toArray()));
        }
        return new Convergence(ne.stream().mapToDouble(Double::doubleValue).toArray(), ge.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static java.util.function.Supplier<Tensor> closure(BacktrackingLineSearch opt, Function<Tensor, Tensor> f, Tensor p) {
        return () -> {
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = f.apply(p);
                tape.backward(loss);
                return loss;
            }
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // saddle

    /** ½ x² + ¼ y⁴ − ½ y²: a saddle at the origin (Hessian diag(1, −1)) between two minima (0, ±1) where f = −¼. */
    static Tensor saddle(Tensor p) {
        Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
        return x.square().mul(0.5).add(y.pow(4).mul(0.25)).sub(y.square().mul(0.5)).sum();
    }

    static double saddleValue(double x, double y) {
        return 0.5 * x * x + 0.25 * y * y * y * y - 0.5 * y * y;
    }

    static final double[] SADDLE_START = {0.25, 0.35};

    /** One Newton variant's path from {@link #SADDLE_START}, and the Hessian's eigenvalues at its last iterate. */
    record SaddleRun(String label, double[] xs, double[] ys, double[] losses, double[] finalEigenvalues) {
        double finalLoss() {
            return losses[losses.length - 1];
        }

        double finalDistanceToSaddle() {
            return Math.hypot(xs[xs.length - 1], ys[ys.length - 1]);
        }
    }

    SaddleRun saddleRun(String label, Newton.Options options) {
        Tensor p = Tensor.vector(SADDLE_START.clone()).requiresGrad(true);
        Newton newton = new Newton(List.of(p), options);
        double[] xs = new double[saddleSteps + 1], ys = new double[saddleSteps + 1], losses = new double[saddleSteps + 1];
        for (int t = 0; t <= saddleSteps; t++) {
            double[] v = p.toArray();
            xs[t] = v[0];
            ys[t] = v[1];
            losses[t] = saddleValue(v[0], v[1]);
            if (t < saddleSteps) newton.step(ps -> saddle(ps.get(0)));
        }
        // one more step only to read the Hessian where the run ended
        Newton probe = new Newton(List.of(Tensor.vector(xs[saddleSteps], ys[saddleSteps]).requiresGrad(true)), Newton.Options.levenbergMarquardt(1));
        probe.step(ps -> saddle(ps.get(0)));
        return new SaddleRun(label, xs, ys, losses, probe.lastEigenvalues());
    }

    List<SaddleRun> saddleRuns() {
        return List.of(saddleRun("undamped Newton", Newton.DEFAULTS), saddleRun("damped, λ = 2", Newton.Options.damped(2)),
                saddleRun("LM, λ₀ = 1e-3", Newton.Options.levenbergMarquardt(1e-3)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // line search on Rosenbrock

    static Tensor rosenbrock(Tensor p) {
        Tensor x = p.slice(0, 0, 1), y = p.slice(0, 1, 2);
        return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
    }

    static double rosenbrockValue(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    static final double[] ROSENBROCK_START = {-1.2, 1};

    /** A gradient-descent run on Rosenbrock: iterates, loss at each, and the loss evaluations spent up to each. */
    record LineSearchRun(String label, double[] xs, double[] ys, double[] losses, double[] evaluations) {
        double finalLoss() {
            return losses[losses.length - 1];
        }

        long totalEvaluations() {
            return (long) evaluations[evaluations.length - 1];
        }

        int iterations() {
            return losses.length - 1;
        }

        /** The loss evaluations spent when f first fell below {@code level}, or −1 if it never did. */
        long evaluationsTo(double level) {
            for (int t = 0; t < losses.length; t++) if (losses[t] < level) return (long) evaluations[t];
            return -1;
        }
    }

    /** Fixed-step gradient descent for {@code steps} iterations (one loss evaluation each). */
    LineSearchRun fixedStep(int steps) {
        Tensor p = Tensor.vector(ROSENBROCK_START.clone()).requiresGrad(true);
        double[] xs = new double[steps + 1], ys = new double[steps + 1], losses = new double[steps + 1], evals = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            double[] v = p.toArray();
            xs[t] = v[0];
            ys[t] = v[1];
            losses[t] = rosenbrockValue(v[0], v[1]);
            evals[t] = t;
            if (t < steps) gradientStep(NewtonDemo::rosenbrock, p, rosenbrockLr);
        }
        return new LineSearchRun("GD, step " + rosenbrockLr, xs, ys, losses, evals);
    }

    LineSearchRun armijo() {
        Tensor p = Tensor.vector(ROSENBROCK_START.clone()).requiresGrad(true);
        BacktrackingLineSearch ls = new BacktrackingLineSearch(List.of(p));
        int steps = rosenbrockSteps;
        double[] xs = new double[steps + 1], ys = new double[steps + 1], losses = new double[steps + 1], evals = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            double[] v = p.toArray();
            xs[t] = v[0];
            ys[t] = v[1];
            losses[t] = rosenbrockValue(v[0], v[1]);
            if (t < steps) {
                ls.step(closure(ls, NewtonDemo::rosenbrock, p));
                evals[t + 1] = evals[t] + ls.lastEvaluations();
            }
        }
        return new LineSearchRun("GD + Armijo", xs, ys, losses, evals);
    }

    /** Armijo for {@link #rosenbrockSteps} iterations, then the fixed step given the same number of loss evaluations. */
    List<LineSearchRun> lineSearchRuns() {
        LineSearchRun a = armijo();
        return List.of(fixedStep((int) a.totalEvaluations()), a);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Everything the report shows. */
    record Results(List<Conditioning> conditioning, Convergence convergence, List<SaddleRun> saddle, List<LineSearchRun> lineSearch) {}

    Results compute(Progress progress) {
        progress.total(kappas.length + 3);
        List<Conditioning> cs = new ArrayList<>();
        for (double k : kappas) {
            cs.add(conditioning(k));
            progress.step();
        }
        Convergence conv = convergence();
        progress.step();
        List<SaddleRun> sr = saddleRuns();
        progress.step();
        List<LineSearchRun> lr = lineSearchRuns();
        progress.step();
        return new Results(cs, conv, sr, lr);
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        // every problem here is deterministic: the seed changes nothing, and the report says so
        return report(compute(progress), dir);
    }

    Section report(Results r, Path dir) throws IOException {
        List<Path> charts = new ArrayList<>();
        StringBuilder md = new StringBuilder("Every problem here is deterministic (fixed starting points, no data), so --seed changes nothing.\n\n");

        // 1. iterations per condition number
        XYChart iters = Charts.chart("Iterations to reach ‖x − x*‖ ≤ " + Nets.e(tol) + " · ‖x₀ − x*‖ on ½ xᵀAx", "condition number κ of A (log scale)",
                "iterations (log scale)", true, true);
        double[] ks = r.conditioning().stream().mapToDouble(Conditioning::kappa).toArray();
        Nets.line(iters, 0, "gradient descent, step 2/(μ + L)", ks, r.conditioning().stream().mapToDouble(c -> c.gdIterations()).toArray());
        Nets.line(iters, 2, "gradient descent, step 1/L", ks, r.conditioning().stream().mapToDouble(c -> c.gdInverseLIterations()).toArray());
        Nets.line(iters, 1, "Newton (undamped)", ks, r.conditioning().stream().mapToDouble(c -> c.newtonIterations()).toArray());
        iters.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        withMarkers(iters);
        charts.add(Charts.save(iters, dir, "newton-iterations-vs-kappa"));

        XYChart gdErr = Charts.chart("Gradient descent (step 2/(μ + L)) on ½ xᵀAx: relative error per iteration", "iteration (log scale)", "‖x − x*‖ / ‖x₀ − x*‖ (log scale)",
                true, true);
        for (int i = 0; i < r.conditioning().size(); i++) {
            Conditioning c = r.conditioning().get(i);
            // κ = 1 is solved exactly in one step: an error of 0 has no place on a log axis, so it is drawn on the 1e-16 floor, with a marker
            double[] err = c.gdErrors().clone();
            for (int k = 0; k < err.length; k++) err[k] = Math.max(err[k], 1e-16);
            Nets.line(gdErr, i, "κ = " + fmt(c.kappa()) + ": " + c.gdIterations() + (c.gdIterations() == 1 ? " iteration" : " iterations"),
                    Nets.range(1, err.length), err);
        }
        gdErr.getStyler().setYAxisMin(1e-16);
        for (var series : gdErr.getSeriesMap().values()) { // markers where a line is too short to see, a plain line elsewhere
            if (series.getXData().length <= 10) series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE).setMarkerColor(series.getLineColor());
        }
        charts.add(Charts.save(gdErr, dir, "newton-gd-error-per-kappa"));

        Conditioning worst = r.conditioning().get(r.conditioning().size() - 1), best = r.conditioning().get(0);
        md.append(String.format(Locale.ROOT, "Quadratics ½ xᵀAx with A = R diag(1, κ) Rᵀ (R a 30° rotation), from x₀ = (1, 1), until the error is %s of "
                + "the start. Gradient descent with its best fixed step 2/(μ + L) contracts the error by (κ − 1)/(κ + 1) per step (the usual step 1/L by "
                + "1 − 1/κ, twice as slow), so its iterations grow like κ (%d at κ = %s, %d at κ = %s), while Newton's step solves any quadratic at once; the eigenvalues "
                + "are the ones Newton reported for its Hessian.%n%n", Nets.e(tol), best.gdIterations(), fmt(best.kappa()), worst.gdIterations(),
                fmt(worst.kappa())));
        md.append("| κ | Hessian eigenvalues (Newton) | condition number (Newton) | GD iterations, step 2/(μ+L) | predicted ⌈ln(1/tol) / ln((κ+1)/(κ−1))⌉ "
                + "| GD iterations, step 1/L | Newton iterations |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Conditioning c : r.conditioning()) {
            String predicted = c.kappa() == 1 ? "1" : String.valueOf((int) Math.ceil(Math.log(1 / tol) / Math.log((c.kappa() + 1) / (c.kappa() - 1))));
            md.append(String.format(Locale.ROOT, "| %s | %s, %s | %s | %d | %s | %d | %d |%n", fmt(c.kappa()), fmt(c.eigenvalues()[0]), fmt(c.eigenvalues()[1]),
                    fmt(c.conditionNumber()), c.gdIterations(), predicted, c.gdInverseLIterations(), c.newtonIterations()));
        }

        // 2. quadratic convergence
        Convergence cv = r.convergence();
        XYChart conv = Charts.chart("Distance to the minimum of Σ(exp xᵢ − xᵢ) + ½(x₀ − x₁)²", "iteration", "‖x − x*‖ (log scale)", false, true);
        double[][] n = Nets.positive(Nets.range(0, cv.newton().length - 1), cv.newton(), 0);
        double[][] g = Nets.positive(Nets.range(0, cv.gd().length - 1), cv.gd(), 0);
        Nets.line(conv, 1, "Newton (undamped)", n[0], n[1]);
        Nets.line(conv, 0, "GD + Armijo line search", g[0], g[1]);
        withMarkers(conv);
        charts.add(Charts.save(conv, dir, "newton-quadratic-convergence"));
        md.append(String.format(Locale.ROOT, "%nNewton on a strongly convex function that is not quadratic, from (1, −0.5): once close, the error squares "
                + "every iteration (the ratio e_{k+1} / e_k² settles to a constant), so the number of correct digits doubles and %d iterations reach "
                + "%s. Gradient descent with Armijo line search gains a constant factor per iteration instead, and is at %s after %d.%n%n",
                cv.newton().length - 1, Nets.e(cv.newton()[cv.newton().length - 1]), Nets.e(cv.gd()[cv.gd().length - 1]), cv.gd().length - 1));
        md.append("| iteration k | Newton error e_k | e_k / e_{k−1}² | GD + Armijo error |\n|---|---|---|---|\n");
        for (int k = 0; k < cv.newton().length; k++) {
            // below about 1e-13 the error is round-off, and the ratio means nothing
            String ratio = k == 0 ? "" : cv.newton()[k] < 1e-13 ? "(round-off)" : Nets.f(cv.newton()[k] / (cv.newton()[k - 1] * cv.newton()[k - 1]));
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", k, Nets.e(cv.newton()[k]), ratio, Nets.e(cv.gd()[k])));
        }

        // 3. saddle
        List<ContourPlot.Path2D> paths = new ArrayList<>();
        for (SaddleRun s : r.saddle()) paths.add(new ContourPlot.Path2D(s.label(), s.xs(), s.ys()));
        paths.add(new ContourPlot.Path2D("the saddle (0, 0)", new double[] {0}, new double[] {0}));
        charts.add(ContourPlot.save(dir, "newton-saddle", "Newton near the saddle of ½x² + ¼y⁴ − ½y²", NewtonDemo::saddleValue, -1.5, 1.5, -1.3, 1.5,
                paths));
        SaddleRun undamped = r.saddle().get(0);
        md.append(String.format(Locale.ROOT, "%nOn ½x² + ¼y⁴ − ½y², started at (%s, %s) where f = %s, the Hessian diag(1, 3y² − 1) has a negative "
                + "eigenvalue, so undamped Newton jumps to the stationary point of its local model, the saddle, and climbs to f = 0 (it stays there: "
                + "the gradient is zero). Damping λ larger than the most negative eigenvalue (or Levenberg–Marquardt raising λ until H + λI is "
                + "positive definite and the loss falls) turns the step into a descent direction and reaches a minimum, f = −0.25.%n%n",
                SADDLE_START[0], SADDLE_START[1], Nets.f(undamped.losses()[0])));
        md.append("| method | f at start | f after 1 step | f at end | end point | distance to the saddle | Hessian eigenvalues at the end |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (SaddleRun s : r.saddle()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | (%s, %s) | %s | %s, %s |%n", s.label(), Nets.f(s.losses()[0]), Nets.f(s.losses()[1]),
                    Nets.f(s.finalLoss()), Nets.f(s.xs()[saddleSteps]), Nets.f(s.ys()[saddleSteps]), Nets.e(s.finalDistanceToSaddle()),
                    Nets.f(s.finalEigenvalues()[0]), Nets.f(s.finalEigenvalues()[1])));
        }

        // 4. line search on Rosenbrock
        List<LineSearchRun> ls = r.lineSearch();
        LineSearchRun fixed = ls.get(0), armijo = ls.get(1);
        XYChart rl = Charts.chart("Gradient descent on Rosenbrock from (−1.2, 1), same budget of loss evaluations", "loss evaluations", "f (log scale)",
                false, true);
        for (int i = 0; i < ls.size(); i++) {
            double[][] xy = Nets.positive(ls.get(i).evaluations(), ls.get(i).losses(), 0);
            Nets.line(rl, i, ls.get(i).label() + " (" + ls.get(i).iterations() + " iterations)", xy[0], xy[1]);
        }
        charts.add(Charts.save(rl, dir, "newton-rosenbrock-loss"));
        List<ContourPlot.Path2D> rp = new ArrayList<>();
        for (LineSearchRun l : ls) rp.add(new ContourPlot.Path2D(l.label(), l.xs(), l.ys()));
        rp.add(new ContourPlot.Path2D("minimum (1, 1)", new double[] {1}, new double[] {1}));
        charts.add(ContourPlot.save(dir, "newton-rosenbrock-paths", "Gradient descent on Rosenbrock, " + armijo.totalEvaluations() + " loss evaluations each",
                NewtonDemo::rosenbrockValue, -2, 2, -1, 3, rp));
        int k = Math.min(fixed.iterations(), armijo.iterations());
        md.append(String.format(Locale.ROOT, "%nGradient descent on Rosenbrock from (−1.2, 1). A fixed step must be small enough for the steepest wall "
                + "(%s here), so it crawls along the flat curved valley: f = %s after %d iterations, where Armijo backtracking, "
                + "which starts every step at 1 and halves it until the loss falls enough, is at f = %s. Per loss evaluation, the fair measure, Armijo "
                + "gets below f = 0.01 with %d evaluations against %d; near the minimum, though, restarting every search at 1 costs about %d "
                + "evaluations per step, and with the same %d evaluations the fixed step ends lower (f = %s against %s).%n%n",
                rosenbrockLr, Nets.e(fixed.losses()[k]), k, Nets.e(armijo.losses()[k]), armijo.evaluationsTo(1e-2), fixed.evaluationsTo(1e-2),
                Math.round((double) armijo.totalEvaluations() / armijo.iterations()), armijo.totalEvaluations(), Nets.e(fixed.finalLoss()),
                Nets.e(armijo.finalLoss())));
        md.append("| method | iterations | loss evaluations | evaluations to f < 1e-2 | to f < 1e-3 | f after " + k + " iterations | f at the end | end point |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (LineSearchRun l : ls) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | (%s, %s) |%n", l.label(), l.iterations(), l.totalEvaluations(),
                    l.evaluationsTo(1e-2), l.evaluationsTo(1e-3), Nets.e(l.losses()[k]), Nets.e(l.finalLoss()), Nets.f(l.xs()[l.iterations()]),
                    Nets.f(l.ys()[l.iterations()])));
        }

        int newtonMax = r.conditioning().stream().mapToInt(Conditioning::newtonIterations).max().orElse(0);
        String explanation = String.format(Locale.ROOT, "The first charts show gradient descent needing %d iterations at condition number %s against %d at κ = %s, "
                + "while Newton's method, which rescales the step by the inverse Hessian, solves every quadratic in %d step%s and converges quadratically "
                + "on a non-quadratic function. The contour maps show undamped Newton pulled uphill into a saddle while damping and "
                + "Levenberg–Marquardt go downhill to a minimum, and Armijo backtracking line search getting down Rosenbrock's valley in %d loss "
                + "evaluations where a fixed step needs %d, though near the minimum the fixed step overtakes it.",
                worst.gdIterations(), fmt(worst.kappa()), best.gdIterations(), fmt(best.kappa()),
                newtonMax, newtonMax == 1 ? "" : "s", armijo.evaluationsTo(1e-2), fixed.evaluationsTo(1e-2));
        return new Section("Newton's method, conditioning, saddles and line search", explanation, md.toString(), charts, List.of(
                "Iterations to converge against the condition number κ (both log scales): gradient descent grows about linearly in κ, "
                        + "Newton stays at one.",
                "Gradient descent's error per iteration for each κ (log scales): κ = 1 is exact after one step (drawn at the 1e-16 floor), "
                        + "larger κ take proportionally longer.",
                "Newton's method on a non-quadratic function: the number of correct digits roughly doubles each step (quadratic convergence).",
                "Near a saddle: undamped Newton goes to the saddle, uphill; damped Newton and Levenberg–Marquardt go down to a minimum.",
                "Rosenbrock per loss evaluation: Armijo line search gets down the valley first, the fixed step overtakes it near the minimum.",
                "The same two runs' paths over Rosenbrock's contour map."));
    }

    /** Circles on every point, in each line's own colour. */
    static void withMarkers(XYChart chart) {
        for (var s : chart.getSeriesMap().values()) {
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            s.setMarkerColor(s.getLineColor());
        }
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    static String fmt(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, Math.abs(v)) ? String.valueOf((long) Math.rint(v)) : String.format(Locale.ROOT, "%.4g", v);
    }
}

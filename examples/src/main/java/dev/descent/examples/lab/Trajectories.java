package dev.descent.examples.lab;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optimizer playground's computation: descent's optimizers run side by side on one {@link Landscape} from one start,
 * each for the same number of steps, with the gradient from descent's tape (plus, optionally, Gaussian noise of a given
 * standard deviation on each component, which mimics mini-batch gradients). The work is bounded by {@link #MAX_STEPS}
 * and {@link #MAX_OPTIMIZERS}.
 */
final class Trajectories {
    static final int MAX_STEPS = 2000, MAX_OPTIMIZERS = 8, GRID = 80;
    /** A path that leaves this box around the origin has diverged; it stops there. */
    static final double DIVERGED = 1e6;

    private Trajectories() {}

    /**
     * One optimizer's path: the iterates {@code x}, {@code y} (the start first), {@code gap} = f − f* after each, on the
     * quadratic the distance to the minimum along each eigen-direction ({@code eigenError[0]} along x, eigenvalue 1;
     * {@code eigenError[1]} along y, eigenvalue κ; null elsewhere), and the step at which it diverged (−1: it did not).
     */
    record Path(String label, double[] x, double[] y, double[] gap, double[][] eigenError, int diverged) {}

    /** The landscape (its contour grid of f − f*, {@code GRID × GRID} values row by row from y0 up) and every path. */
    record Result(String landscape, String title, double[] window, double minimum, double[] minimizer, double[] start, double kappa,
                  int gridSize, double[] grid, List<Path> paths) {}

    static Result compute(Params p) {
        Landscape land = Landscape.of(p.choice("landscape", Landscape.keys(), "rosenbrock"));
        double kappa = p.number("kappa", Landscape.MIN_KAPPA, Landscape.MAX_KAPPA, Landscape.DEFAULT_KAPPA);
        double noise = p.number("noise", 0, 10, 0);
        long seed = p.seed("seed", 0);
        int steps = p.integer("steps", 1, MAX_STEPS, 300);
        double sx = p.number("startX", land.x0, land.x1, land.startX);
        double sy = p.number("startY", land.y0, land.y1, land.startY);
        List<OptimizerKind.Spec> specs = new ArrayList<>();
        for (Params o : p.objects("optimizers", 1, MAX_OPTIMIZERS)) specs.add(OptimizerKind.read(o));
        double fStar = land.minimum(kappa);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            try {
                paths.add(run(land, kappa, specs.get(i), new double[] {sx, sy}, steps, noise, new Rng(seed)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("optimizers[" + i + "] (" + specs.get(i).kind().label + "): " + e.getMessage(), e);
            }
        }
        double[] grid = new double[GRID * GRID];
        for (int r = 0; r < GRID; r++) {
            double y = land.y0 + (land.y1 - land.y0) * r / (GRID - 1);
            for (int c = 0; c < GRID; c++) grid[r * GRID + c] = land.f(land.x0 + (land.x1 - land.x0) * c / (GRID - 1), y, kappa) - fStar;
        }
        return new Result(land.key(), land.title, new double[] {land.x0, land.x1, land.y0, land.y1}, fStar, land.minimizer(kappa),
                new double[] {sx, sy}, kappa, GRID, grid, paths);
    }

    /** Runs one optimizer; the same arguments give the same path, bit for bit. */
    static Path run(Landscape land, double kappa, OptimizerKind.Spec spec, double[] start, int steps, double noise, Rng rng) {
        Tensor p = Tensor.vector(start.clone()).requiresGrad(true);
        Optimizer<?> opt = spec.create(List.of(p));
        double fStar = land.minimum(kappa);
        double[] min = land.minimizer(kappa);
        boolean eigen = land == Landscape.QUADRATIC;
        double[] xs = new double[steps + 1], ys = new double[steps + 1], gap = new double[steps + 1];
        double[][] err = eigen ? new double[2][steps + 1] : null;
        int n = 0, diverged = -1;
        for (int t = 0; ; t++) {
            double[] v = p.data();
            xs[t] = v[0];
            ys[t] = v[1];
            gap[t] = land.f(v[0], v[1], kappa) - fStar;
            if (eigen) {
                err[0][t] = Math.abs(v[0] - min[0]);
                err[1][t] = Math.abs(v[1] - min[1]);
            }
            n = t + 1;
            if (!(Math.abs(v[0]) < DIVERGED && Math.abs(v[1]) < DIVERGED && Double.isFinite(gap[t]))) {
                diverged = t;
                break;
            }
            if (t == steps) break;
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(land.loss(p.slice(0, 0, 1), p.slice(0, 1, 2), kappa).sum());
            }
            if (noise > 0) {
                double[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) g[i] += noise * rng.nextGaussian();
                p.grad().markModified();
            }
            try {
                opt.step();
            } catch (IllegalStateException nonFiniteGradient) { // the step refuses it and leaves the point as it was
                diverged = t;
                break;
            }
        }
        return new Path(spec.label(), Arrays.copyOf(xs, n), Arrays.copyOf(ys, n), Arrays.copyOf(gap, n),
                eigen ? new double[][] {Arrays.copyOf(err[0], n), Arrays.copyOf(err[1], n)} : null, diverged);
    }
}

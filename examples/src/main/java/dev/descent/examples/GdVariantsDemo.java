package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Reduction;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import dev.descent.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * Full-batch, mini-batch and stochastic gradient descent: one {@link SGD} driven by {@link DataLoader}s of different
 * batch sizes. First on a linear regression (loss against epochs and against wall time, and the variance of the
 * mini-batch gradient against the batch size); then on a 1-D loss with a shallow and a deep minimum, where the noise of
 * small batches carries the parameter over the barrier and full-batch gradient descent stays put.
 */
final class GdVariantsDemo implements Demo {

    /** The sizes of the linear regression part: examples, epochs. Tests shrink them. */
    final int examples, epochs;
    /** The sizes of the escape part: seeds, steps per run. */
    final int seeds, escapeSteps;

    static final int FEATURES = 8;
    static final double LR = 0.05;

    GdVariantsDemo() {
        this(1024, 20, 20, 1500);
    }

    GdVariantsDemo(int examples, int epochs, int seeds, int escapeSteps) {
        this.examples = examples;
        this.epochs = epochs;
        this.seeds = seeds;
        this.escapeSteps = escapeSteps;
    }

    @Override
    public String name() {
        return "gd-variants";
    }

    // ------------------------------------------------------------------ part 1: the same problem, three batch sizes

    /**
     * One training run, sampled up to eight times per epoch: the epochs done (fractional), the full training loss and the
     * training time (s, evaluation excluded) at each sample, and the number of updates.
     */
    record Curve(String label, int batchSize, double[] epoch, double[] loss, double[] seconds, long updates) {
        /** The loss after {@code e} whole epochs. */
        double lossAfter(int e) {
            for (int i = 0; i < epoch.length; i++) if (Math.abs(epoch[i] - e) < 1e-9) return loss[i];
            throw new IllegalArgumentException("no sample at epoch " + e);
        }
    }

    static TensorDataset regression(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] w = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) w[i] = rng.uniform(-2, 2);
        return Synthetic.linearRegression(n, w, 0.5, 0.1, rng);
    }

    static double fullLoss(Linear model, TensorDataset data) {
        return Losses.mseLoss(model.forward(data.inputs()), data.targets(), Reduction.MEAN).item();
    }

    static Curve train(TensorDataset data, int batchSize, int epochs, long seed, Progress progress) {
        Linear model = new Linear(FEATURES, 1, new Rng(seed + 1)); // the same initial weights for every batch size
        SGD sgd = new SGD(model.parameters(), SGD.Options.lr(LR));
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(batchSize).withShuffle(new Rng(seed + 2)));
        int perEpoch = loader.numBatches(), every = Math.max(1, perEpoch / 8);
        List<double[]> samples = new ArrayList<>();
        samples.add(new double[] {0, fullLoss(model, data), 0});
        long nanos = 0, updates = 0;
        for (int e = 0; e < epochs; e++) {
            int k = 0;
            long t0 = System.nanoTime();
            for (Batch b : loader) {
                sgd.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(Losses.mseLoss(model.forward(b.inputs()), b.targets(), Reduction.MEAN));
                }
                sgd.step();
                updates++;
                if (++k % every == 0 || k == perEpoch) {
                    nanos += System.nanoTime() - t0;
                    samples.add(new double[] {e + (double) k / perEpoch, fullLoss(model, data), nanos / 1e9});
                    t0 = System.nanoTime();
                }
            }
            progress.step();
        }
        double[] epoch = samples.stream().mapToDouble(v -> v[0]).toArray(), loss = samples.stream().mapToDouble(v -> v[1]).toArray(),
                seconds = samples.stream().mapToDouble(v -> v[2]).toArray();
        return new Curve(batchName(batchSize, data.size()), batchSize, epoch, loss, seconds, updates);
    }

    /** Mean squared distance between a mini-batch gradient and the full gradient, at the initial weights, over at least 64 batches. */
    record Noise(int batchSize, double measured, double predicted) {}

    static double[] gradient(Linear model, Tensor inputs, Tensor targets) {
        model.zeroGrad();
        try (Tape tape = Tape.record()) {
            tape.backward(Losses.mseLoss(model.forward(inputs), targets, Reduction.MEAN));
        }
        double[] w = model.weight().grad().toArray(), b = model.bias().grad().toArray();
        double[] g = new double[w.length + b.length];
        System.arraycopy(w, 0, g, 0, w.length);
        System.arraycopy(b, 0, g, w.length, b.length);
        return g;
    }

    static List<Noise> gradientNoise(TensorDataset data, int[] batchSizes, long seed) {
        Linear model = new Linear(FEATURES, 1, new Rng(seed + 1));
        double[] full = gradient(model, data.inputs(), data.targets());
        int n = data.size();
        List<Noise> out = new ArrayList<>();
        double perExample = Double.NaN;
        for (int b : batchSizes) {
            DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(b).withShuffle(new Rng(seed + 3)).withDropLast(true));
            double sum = 0;
            int count = 0;
            // enough epochs for at least 64 batches, so that the large batch sizes are not measured from three or four
            for (int e = 0; e < Math.max(1, (64 + loader.numBatches() - 1) / loader.numBatches()); e++) for (Batch batch : loader) {
                double[] g = gradient(model, batch.inputs(), batch.targets());
                double d = 0;
                for (int i = 0; i < g.length; i++) d += (g[i] - full[i]) * (g[i] - full[i]);
                sum += d;
                count++;
            }
            double measured = sum / count;
            if (b == 1) perExample = measured;
            // sampling b of n without replacement: Var = σ²/b · (n − b)/(n − 1)
            out.add(new Noise(b, measured, perExample / b * (n - b) / (n - 1.0)));
        }
        return out;
    }

    // ------------------------------------------------------------------ part 2: escaping a shallow minimum

    /** Per-example loss h(w − a) = u⁴/4 − u² + 0.3u at u = w − a; its average over the examples has two minima. */
    static final double TILT = 0.3, SPREAD = 0.55, START = 2.0, ESCAPE_LR = 0.1;
    static final int ESCAPE_EXAMPLES = 64;
    static final int[] ESCAPE_BATCHES = {1, 2, 8, ESCAPE_EXAMPLES};

    static double h(double u) {
        return u * u * u * u / 4 - u * u + TILT * u;
    }

    /** The examples a₁..a₆₄ of one seed: Gaussian, standardised to mean 0 and standard deviation {@link #SPREAD}. */
    static double[] samples(long seed) {
        Rng rng = new Rng(seed);
        double[] a = new double[ESCAPE_EXAMPLES];
        double mean = 0, sq = 0;
        for (int i = 0; i < a.length; i++) mean += (a[i] = rng.nextGaussian()) / a.length;
        for (double v : a) sq += (v - mean) * (v - mean) / a.length;
        for (int i = 0; i < a.length; i++) a[i] = (a[i] - mean) / Math.sqrt(sq) * SPREAD;
        return a;
    }

    /** L(w) = mean over the examples of h(w − aᵢ), the loss full-batch gradient descent follows. */
    static double empiricalLoss(double[] a, double w) {
        double s = 0;
        for (double v : a) s += h(w - v);
        return s / a.length;
    }

    /** The landscape's shallow minimum (right), the barrier between the minima and the deep minimum (left), found on a fine grid. */
    record Landscape(double deep, double barrier, double shallow) {}

    static Landscape landscape(double[] a) {
        List<Double> minima = new ArrayList<>(), maxima = new ArrayList<>();
        double step = 1e-3, prev = empiricalLoss(a, -3 - step), cur = empiricalLoss(a, -3);
        for (double w = -3; w <= 3; w += step) {
            double next = empiricalLoss(a, w + step);
            if (cur < prev && cur <= next) minima.add(w);
            if (cur > prev && cur >= next) maxima.add(w);
            prev = cur;
            cur = next;
        }
        if (minima.size() != 2 || maxima.size() != 1) throw new IllegalStateException("expected two minima, found " + minima + " and maxima " + maxima);
        return new Landscape(minima.get(0), maxima.get(0), minima.get(1));
    }

    /**
     * The path of w under SGD with the given batch size, from {@link #START}, for {@code steps} updates: the learning rate
     * is {@link #ESCAPE_LR} for the first half and falls linearly to zero over the second.
     */
    static double[] escapeRun(double[] a, int batchSize, int steps, long seed) {
        Tensor w = Tensor.vector(START).requiresGrad(true);
        SGD sgd = new SGD(List.of(w), SGD.Options.lr(ESCAPE_LR));
        TensorDataset data = new TensorDataset(Tensor.of(a.clone(), a.length, 1), Tensor.zeros(a.length));
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(batchSize).withShuffle(new Rng(seed + 7)));
        double[] path = new double[steps + 1];
        path[0] = START;
        int t = 0;
        while (t < steps) {
            for (Batch b : loader) {
                // constant for the first half, then linearly down to zero, so that every run comes to rest in a basin
                sgd.paramGroups().get(0).setLr(ESCAPE_LR * Math.min(1, 2.0 * (steps - t) / steps));
                sgd.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor u = w.sub(b.inputs());
                    tape.backward(u.pow(4).mul(0.25).sub(u.square()).add(u.mul(TILT)).mean());
                }
                sgd.step();
                path[++t] = w.data()[0];
                if (t == steps) break;
            }
        }
        return path;
    }

    /** How many of the seeds ended beyond the barrier, per batch size. */
    record Escapes(int batchSize, int escaped, int seeds, double meanFinalLoss) {}

    List<Escapes> escapes(long seed, Progress progress) {
        int[] escaped = new int[ESCAPE_BATCHES.length];
        double[] finalLoss = new double[ESCAPE_BATCHES.length];
        for (int s = 0; s < seeds; s++) {
            double[] a = samples(seed * 1000 + s);
            Landscape land = landscape(a);
            for (int k = 0; k < ESCAPE_BATCHES.length; k++) {
                double[] path = escapeRun(a, ESCAPE_BATCHES[k], escapeSteps, seed * 1000 + s);
                double end = path[path.length - 1];
                if (end < land.barrier()) escaped[k]++;
                finalLoss[k] += empiricalLoss(a, end) / seeds;
            }
            progress.step();
        }
        List<Escapes> out = new ArrayList<>();
        for (int k = 0; k < ESCAPE_BATCHES.length; k++) out.add(new Escapes(ESCAPE_BATCHES[k], escaped[k], seeds, finalLoss[k]));
        return out;
    }

    static String batchName(int b, int n) {
        return b == 1 ? "stochastic (batch 1)" : b >= n ? "full batch (" + b + ")" : "mini-batch (" + b + ")";
    }

    // ------------------------------------------------------------------ the report

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        int[] sizes = {1, 32, examples};
        progress.total((long) epochs * (sizes.length + 1) + seeds);
        TensorDataset data = regression(examples, seed);
        train(data, 32, epochs, seed, progress); // warms up the JIT so that the first timed run isn't penalised
        List<Curve> curves = new ArrayList<>();
        for (int b : sizes) curves.add(train(data, b, epochs, seed, progress));
        List<Path> charts = new ArrayList<>();

        XYChart byEpoch = Charts.chart("Linear regression: training loss against epochs (SGD, lr " + LR + ")", "epoch", "mean squared error", false, true);
        XYChart byTime = Charts.chart("Linear regression: training loss against wall time", "training time (s, log scale)", "mean squared error", true, true);
        for (Curve c : curves) {
            Charts.line(byEpoch, c.label(), c.epoch(), c.loss());
            int n = c.seconds().length - 1; // the log axis starts at the first sample after time 0
            Charts.line(byTime, c.label(), java.util.Arrays.copyOfRange(c.seconds(), 1, n + 1), java.util.Arrays.copyOfRange(c.loss(), 1, n + 1));
        }
        charts.add(Charts.save(byEpoch, dir, "gd-variants-loss-vs-epoch"));
        charts.add(Charts.save(byTime, dir, "gd-variants-loss-vs-time"));

        // batch sizes up to a quarter of the set: a batch of all n has no noise at all, which a log axis can't show
        int[] noiseSizes = java.util.stream.IntStream.of(1, 4, 16, 64, 256).filter(b -> b <= examples / 4).toArray();
        List<Noise> noise = gradientNoise(data, noiseSizes, seed);
        XYChart noiseChart = Charts.chart("Noise of the update: E‖g_B − g‖² against the batch size B", "batch size B", "E‖g_B − g‖²", true, true);
        Charts.points(noiseChart, "measured (64 or more batches)", noise.stream().mapToDouble(Noise::batchSize).toArray(),
                noise.stream().mapToDouble(Noise::measured).toArray());
        Charts.line(noiseChart, "σ²/B · (n − B)/(n − 1)", noise.stream().mapToDouble(Noise::batchSize).toArray(),
                noise.stream().mapToDouble(Noise::predicted).toArray());
        charts.add(Charts.save(noiseChart, dir, "gd-variants-gradient-noise"));

        StringBuilder md = new StringBuilder();
        md.append(String.format("A linear regression with %d examples and %d features (noise σ = 0.1), trained by the same SGD (lr %s) "
                + "from the same initial weights; only the DataLoader's batch size differs. The loss is the full training MSE; training times are wall time on this machine and vary between runs, every other number is reproducible from the seed.%n%n", examples, FEATURES, LR));
        md.append("| variant | updates | loss after 1 epoch | loss after ").append(epochs).append(" epochs | training time (s) |\n|---|---|---|---|---|\n");
        for (Curve c : curves) {
            md.append(String.format("| %s | %d | %.3g | %.3g | %.3f |%n", c.label(), c.updates(), c.lossAfter(1), c.lossAfter(epochs), c.seconds()[c.seconds().length - 1]));
        }
        md.append("\nOne epoch of full-batch descent buys one step; batch 1 takes n steps per epoch but pays the per-step overhead n times and "
                + "ends on a noise floor set by its learning rate; mini-batches get most of both.\n\n");
        md.append("Noise of the update at the initial weights, over at least 64 shuffled batches (it falls as 1/B):\n\n"
                + "| batch size B | measured E‖g_B − g‖² | σ²/B · (n − B)/(n − 1) |\n|---|---|---|\n");
        for (Noise z : noise) md.append(String.format("| %d | %.4g | %.4g |%n", z.batchSize(), z.measured(), z.predicted()));

        // part 2
        double[] a = samples(seed * 1000);
        Landscape land = landscape(a);
        List<Escapes> escapes = escapes(seed, progress);
        XYChart lossChart = Charts.chart("Empirical loss L(w) = mean h(w − aᵢ), h(u) = u⁴/4 − u² + 0.3u (seed " + seed + ")", "w", "loss", false, false);
        int grid = 241;
        double[] ws = new double[grid], ls = new double[grid];
        for (int i = 0; i < grid; i++) {
            ws[i] = -2.4 + 4.8 * i / (grid - 1);
            ls[i] = empiricalLoss(a, ws[i]);
        }
        Charts.line(lossChart, "L(w), what full-batch GD descends", ws, ls);
        for (int i = 0; i < 3; i++) {
            double ai = a[i * 20];
            double[] single = new double[grid];
            for (int k = 0; k < grid; k++) single[k] = h(ws[k] - ai);
            Charts.line(lossChart, String.format("h(w − a) of one example, a = %.2f", ai), ws, single).setLineStyle(new java.awt.BasicStroke(1f));
        }
        Charts.points(lossChart, "start, shallow minimum, deep minimum", new double[] {START, land.shallow(), land.deep()},
                new double[] {empiricalLoss(a, START), empiricalLoss(a, land.shallow()), empiricalLoss(a, land.deep())});
        lossChart.getStyler().setYAxisMax(3.0).setYAxisMin(-2.0).setLegendPosition(Styler.LegendPosition.OutsideS);
        charts.add(Charts.save(lossChart, dir, "gd-variants-landscape"));

        XYChart paths = Charts.chart("w against the step (seed " + seed + "): batch size decides which minimum", "step", "w", false, false);
        for (int b : ESCAPE_BATCHES) {
            double[] path = escapeRun(a, b, escapeSteps, seed * 1000);
            double[] steps = new double[path.length];
            for (int t = 0; t < path.length; t++) steps[t] = t;
            Charts.line(paths, batchName(b, ESCAPE_EXAMPLES), steps, path);
        }
        double[] ends = {0, escapeSteps};
        Charts.line(paths, String.format("barrier, w = %.2f", land.barrier()), ends, new double[] {land.barrier(), land.barrier()})
                .setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        paths.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        charts.add(Charts.save(paths, dir, "gd-variants-escape-paths"));

        md.append(String.format("%nA loss that is a sum over examples: each example aᵢ (%d of them, standardised to mean 0 and standard deviation %.2f) "
                + "contributes h(w − aᵢ) with h(u) = u⁴/4 − u² + 0.3u. The average L(w) has a shallow minimum at w = %.2f (L = %.3f), "
                + "a barrier at w = %.2f (L = %.3f) and a deep minimum at w = %.2f (L = %.3f), for seed %d. Every run starts at w = %.1f, "
                + "in the shallow basin, and takes %d steps of SGD with lr %s for the first half, decayed linearly to 0 over the second so that it comes to rest; it has escaped if it ends left of the barrier. "
                + "Over %d seeds (each with its own examples and shuffling):%n%n",
                ESCAPE_EXAMPLES, SPREAD, land.shallow(), empiricalLoss(a, land.shallow()), land.barrier(), empiricalLoss(a, land.barrier()),
                land.deep(), empiricalLoss(a, land.deep()), seed, START, escapeSteps, ESCAPE_LR, seeds));
        md.append("| variant | escaped | mean final L |\n|---|---|---|\n");
        for (Escapes e : escapes) {
            md.append(String.format("| %s | %d of %d | %.3f |%n", batchName(e.batchSize(), ESCAPE_EXAMPLES), e.escaped(), e.seeds(), e.meanFinalLoss()));
        }
        md.append("\nFull-batch descent follows L exactly and settles in whichever basin it starts in; the per-example gradients "
                + "h'(w − aᵢ) disagree, and with batch 1 that disagreement is a random kick large enough to cross the barrier. "
                + "Averaging more examples per step shrinks the kick (as 1/B, above) and the escapes with it.\n");
        return new Section("Full-batch, mini-batch and stochastic gradient descent",
                "The first two charts show the same SGD with three batch sizes: per epoch small batches win by taking many steps, per second "
                        + "mini-batches reach the lowest loss first, and the third chart shows the price of small batches, gradient noise falling only as 1/B. The last two show that noise "
                        + "doing good: on a loss with a shallow and a deep minimum, batch-1 SGD escapes the shallow one while full-batch descent stays.",
                md.toString(), charts);
    }
}

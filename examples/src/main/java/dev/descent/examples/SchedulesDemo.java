package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Reduction;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import dev.descent.optim.SGD;
import dev.descent.optim.schedule.CosineAnnealingLR;
import dev.descent.optim.schedule.CosineAnnealingWarmRestarts;
import dev.descent.optim.schedule.ExponentialLR;
import dev.descent.optim.schedule.LinearLR;
import dev.descent.optim.schedule.LrFinder;
import dev.descent.optim.schedule.LrScheduler;
import dev.descent.optim.schedule.OneCycleLR;
import dev.descent.optim.schedule.SequentialLR;
import dev.descent.optim.schedule.StepLR;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning-rate schedules: the same network, data, initialisation and batch order trained with SGD + momentum under a
 * constant rate and under step decay, exponential decay, cosine annealing, warm restarts, one-cycle and warmup +
 * cosine, all with the same peak rate; then the LR range test's curve with its suggestion.
 */
final class SchedulesDemo implements Demo {
    int epochs = 40;
    int batchSize = 32;
    int perClass = 100;
    int classes = 3;
    int width = 64;
    /** The peak learning rate every schedule shares; SGD with momentum 0.9. */
    double peakLr = 0.3;
    double momentum = 0.9;
    int finderSteps = 100;

    /** One schedule: a name, the optimizer's rate, and how to build its scheduler for {@code total} steps (null: constant). */
    record Config(String name, double lr, BuilderFn build) {}

    interface BuilderFn {
        LrScheduler build(SGD opt, int total);
    }

    /** One training run: the rate used at each step, the full training loss after each epoch, and the end point. */
    record Run(Config config, double[] lrs, double[] epochLoss, double trainAccuracy, double testAccuracy) {
        double finalLoss() {
            return epochLoss[epochLoss.length - 1];
        }
    }

    @Override
    public String name() {
        return "schedules";
    }

    List<Config> configs() {
        double low = peakLr / 10;
        return List.of(
                new Config("constant " + fmt(peakLr), peakLr, (o, t) -> null),
                new Config("constant " + fmt(low), low, (o, t) -> null),
                new Config("step decay (×0.1 every third)", peakLr, (o, t) -> new StepLR(o, Math.max(1, (t + 2) / 3), 0.1)),
                new Config("exponential (to 1 % at the end)", peakLr, (o, t) -> new ExponentialLR(o, Math.pow(0.01, 1.0 / t))),
                new Config("cosine", peakLr, (o, t) -> new CosineAnnealingLR(o, t)),
                new Config("warm restarts (T₀ = T/7, ×2)", peakLr, (o, t) -> new CosineAnnealingWarmRestarts(o, Math.max(1, (t + 6) / 7), 2, 0)),
                new Config("one-cycle", peakLr, (o, t) -> new OneCycleLR(o, peakLr, t + 1)),
                new Config("warmup 10 % + cosine", peakLr, (o, t) -> {
                    int w = Math.max(1, t / 10);
                    return new SequentialLR(o, List.of(new LinearLR(o, 0.01, 1, w), new CosineAnnealingLR(o, t - w)), new int[] {w});
                }));
    }

    TensorDataset train(long seed) {
        return Synthetic.spirals(perClass, classes, 0.2, new Rng(seed));
    }

    TensorDataset test(long seed) {
        return Synthetic.spirals(perClass, classes, 0.2, new Rng(seed + 1_000_003));
    }

    Sequential model(long seed) {
        Rng rng = new Rng(seed + 7);
        return new Sequential(new Linear(2, width, rng), new ReLU(), new Linear(width, width, rng), new ReLU(), new Linear(width, classes, rng));
    }

    int stepsPerEpoch() {
        return (perClass * classes + batchSize - 1) / batchSize;
    }

    Run train(Config c, long seed, Progress progress) {
        TensorDataset data = train(seed), held = test(seed);
        Batch all = data.get(indices(data.size())), heldAll = held.get(indices(held.size()));
        Sequential model = model(seed);
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(c.lr()).withMomentum(momentum));
        int total = epochs * stepsPerEpoch();
        LrScheduler scheduler = c.build().build(opt, total);
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(batchSize).withShuffle(new Rng(seed + 11)));
        double[] lrs = new double[total], epochLoss = new double[epochs + 1];
        epochLoss[0] = loss(model, all);
        int t = 0;
        for (int e = 0; e < epochs; e++) {
            for (Batch b : loader) {
                lrs[t++] = opt.paramGroups().get(0).lr();
                model.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(Losses.crossEntropy(model.forward(b.inputs()), b.classes(), Reduction.MEAN));
                }
                opt.step();
                if (scheduler != null) scheduler.step();
            }
            epochLoss[e + 1] = loss(model, all);
            progress.step();
        }
        return new Run(c, lrs, epochLoss, accuracy(model, all), accuracy(model, heldAll));
    }

    static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] < v[best]) best = i;
        return best;
    }

    static int[] indices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    static double loss(Module model, Batch b) {
        return Tape.noGrad(() -> Losses.crossEntropy(model.forward(b.inputs()), b.classes(), Reduction.MEAN)).item();
    }

    static double accuracy(Module model, Batch b) {
        double[] logits = Tape.noGrad(() -> model.forward(b.inputs())).toArray();
        int[] y = b.classes();
        int k = logits.length / y.length, right = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (logits[i * k + j] > logits[i * k + best]) best = j;
            if (best == y[i]) right++;
        }
        return (double) right / y.length;
    }

    /** The LR range test on a fresh copy of the network, SGD with the same momentum, on the same mini-batches. */
    LrFinder.Result finder(long seed) {
        TensorDataset data = train(seed);
        Sequential model = model(seed);
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(1e-4).withMomentum(momentum));
        DataLoader loader = new DataLoader(data, DataLoader.DEFAULTS.withBatchSize(batchSize).withShuffle(new Rng(seed + 11)));
        // the sweep may outlast an epoch: start the loader again when it runs out
        var batches = new Object() {
            Iterator<Batch> it = loader.iterator();

            Batch next() {
                if (!it.hasNext()) it = loader.iterator();
                return it.next();
            }
        };
        return LrFinder.run(opt, () -> {
            Batch b = batches.next();
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor l = Losses.crossEntropy(model.forward(b.inputs()), b.classes(), Reduction.MEAN);
                tape.backward(l);
                return l;
            }
        }, LrFinder.DEFAULTS.withRange(1e-4, 10).withNumIter(finderSteps));
    }

    record Results(List<Run> runs, LrFinder.Result finder) {}

    Results compute(long seed, Progress progress) {
        List<Config> cs = configs();
        progress.total((long) cs.size() * epochs + 1);
        List<Run> runs = new ArrayList<>();
        for (Config c : cs) runs.add(train(c, seed, progress));
        LrFinder.Result f = finder(seed);
        progress.step();
        return new Results(runs, f);
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        return report(compute(seed, progress), dir);
    }

    Section report(Results r, Path dir) throws IOException {
        List<Run> runs = r.runs();
        List<Path> charts = new ArrayList<>();
        int total = epochs * stepsPerEpoch();

        XYChart lr = Charts.chart("Learning rate per step (" + epochs + " epochs × " + stepsPerEpoch() + " mini-batches)", "step", "learning rate",
                false, false);
        lr.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        for (int i = 0; i < runs.size(); i++) {
            Charts.line(lr, runs.get(i).config().name(), Nets.range(0, total - 1), runs.get(i).lrs()).setLineColor(colour(i));
        }
        charts.add(Charts.save(lr, dir, "schedules-lr"));

        // one panel per schedule over the two constant rates (grey), instead of eight tangled lines
        List<Charts.Line> lossLines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            double[][] xy = Nets.positive(Nets.range(0, epochs), runs.get(i).epochLoss(), 0);
            lossLines.add(new Charts.Line(runs.get(i).config().name(), xy[0], xy[1], colour(i)));
        }
        charts.add(Charts.savePanels(dir, "schedules-loss", "Training loss (whole training set, after each epoch)", "epoch",
                "cross-entropy loss (log scale)", true, lossLines.subList(0, 2), lossLines.subList(2, lossLines.size()), 3));

        LrFinder.Result f = r.finder();
        XYChart fc = Charts.chart("LR range test: smoothed loss while the rate grows exponentially", "learning rate (log scale)", "smoothed loss",
                true, false);
        Nets.line(fc, 0, "smoothed loss", f.lrs(), f.smoothedLosses());
        if (f.suggestionIndex() >= 0) {
            Charts.points(fc, "suggestion: " + fmt(f.suggestion()), new double[] {f.suggestion()}, new double[] {f.smoothedLosses()[f.suggestionIndex()]})
                    .setMarkerColor(Nets.color(3));
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : f.smoothedLosses()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        Charts.line(fc, "peak rate used above: " + fmt(peakLr), new double[] {peakLr, peakLr}, new double[] {lo, hi}).setLineColor(Nets.color(2));
        fc.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        charts.add(Charts.save(fc, dir, "schedules-lr-finder"));

        Run high = runs.get(0), low = runs.get(1);
        Run bestRun = runs.get(2), worstScheduled = runs.get(2);
        for (Run run : runs.subList(2, runs.size())) {
            if (run.finalLoss() < bestRun.finalLoss()) bestRun = run;
            if (run.finalLoss() > worstScheduled.finalLoss()) worstScheduled = run;
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "A %d-%d-%d-%d ReLU network on %d noisy spiral points (%d classes), mini-batches of %d, SGD with momentum %s; "
                + "every run starts from the same weights and sees the same batches, and every schedule peaks at %s. A constant rate that high "
                + "keeps bouncing (final loss %s) and one ten times lower is stable but slow (%s), while every schedule that anneals to a small "
                + "rate settles into the minimum it found (%s to %s); test accuracy is on %d fresh points from the same distribution.%n%n", 2,
                width, width, classes, perClass * classes, classes, batchSize, fmt(momentum), fmt(peakLr), Nets.f(high.finalLoss()),
                Nets.f(low.finalLoss()), Nets.f(bestRun.finalLoss()), Nets.f(worstScheduled.finalLoss()), perClass * classes));
        md.append("| schedule | lr at start | lr at the end | loss after " + epochs / 4 + " epochs | final training loss | training accuracy | test accuracy |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f %% | %.1f %% |%n", run.config().name(), Nets.e(run.lrs()[0]),
                    Nets.e(run.lrs()[total - 1]), Nets.f(run.epochLoss()[epochs / 4]), Nets.f(run.finalLoss()), 100 * run.trainAccuracy(),
                    100 * run.testAccuracy()));
        }
        md.append(String.format(Locale.ROOT, "%nThe LR range test trains the same network for up to %d mini-batches while the rate grows from 1e-4 to 10, "
                + "smooths the loss, and stops when it exceeds 4× its minimum%s. It suggests %s, the rate where the smoothed loss falls fastest; "
                + "a peak rate for a schedule is usually taken a few times above it, below where the curve turns up.%n",
                finderSteps, f.diverged() ? (" (it did, at " + fmt(f.lrs()[f.lrs().length - 1]) + ")") : " (it did not)", fmt(f.suggestion())));

        String explanation = String.format(Locale.ROOT, "The first chart shows how each schedule moves the learning rate over training and the second what "
                + "that does to the training loss of the same network: a constant rate of %s keeps bouncing and ends at loss %s, ten times lower it is "
                + "slow (%s), while the decaying schedules end between %s and %s (%s lowest) because their rate is small by the end. The third "
                + "chart is the LR range test, with the rate it suggests (%s) and the peak rate used here marked.",
                fmt(peakLr), Nets.f(high.finalLoss()), Nets.f(low.finalLoss()), Nets.f(bestRun.finalLoss()), Nets.f(worstScheduled.finalLoss()),
                bestRun.config().name(), fmt(r.finder().suggestion()));
        return new Section("Learning-rate schedules", explanation, md.toString(), charts, List.of(
                "The learning rate each schedule sets at every step, one colour per schedule in every chart of this section.",
                "Training loss, one panel per schedule over the two constant rates (grey): the annealed schedules end lower and settle, "
                        + "the constant high rate keeps bouncing.",
                "The LR range test: the smoothed loss as the rate grows; the suggestion is where it falls fastest, before it blows up."));
    }

    /** Each schedule's colour in every chart: the palette without its grey, which the loss panels keep for the constant rates. */
    private static java.awt.Color colour(int i) {
        return Nets.color(i == 7 ? 9 : i);
    }

    /** Three significant digits without trailing zeros: 0.3, 0.03, 0.107. */
    static String fmt(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}

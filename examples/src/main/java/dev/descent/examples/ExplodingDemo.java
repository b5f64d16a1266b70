package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.RNNCell;
import dev.descent.nn.ReLU;
import dev.descent.nn.Reduction;
import dev.descent.nn.Residual;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;
import dev.descent.optim.clip.Clip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Exploding gradients: a deep ReLU network whose weights start too large multiplies the back-propagated gradient by more
 * than one at every layer, and a tanh RNN whose recurrent matrix is too large does the same at every time step; the
 * huge steps that follow wreck training. Clipping, a proper initialisation, an L2 penalty, a smaller learning rate,
 * batch normalisation and residual connections each keep it in check.
 */
final class ExplodingDemo implements Demo {
    /** The deep network: Linear layers, width, examples, steps, learning rate, and how many times He's std the bad init uses. */
    int depth = 12, width = 24, examples = 96, steps = 100;
    double lr = 0.02, initScale = 3;
    /** The RNN: sequence length, hidden size, batch, steps, learning rate and the gain of the too-large recurrent matrix. */
    int seqLen = 60, hidden = 24, rnnBatch = 32, rnnSteps = 100;
    double rnnLr = 0.1, rnnGain = 2, rnnL2 = 5;

    enum ClipMode { NONE, NORM, VALUE }

    /** One way to train a network: its name and the knobs that differ from the defaults. */
    record Config(String name, boolean largeInit, double lr, ClipMode clip, double clipAt, double l2, boolean batchNorm, boolean residual) {}

    /**
     * One run: the gradient norm reaching each layer's output (or each time step's hidden state) at initialisation, the
     * loss and the total gradient norm (before clipping) at each step, and the step at which the loss first became
     * non-finite (-1 if never).
     */
    record Run(Config config, double[] signal, double[] loss, double[] gradNorm, int divergedAt) {
        double finalLoss() {
            return loss[loss.length - 1];
        }

        /** The largest loss before any NaN (infinite when the loss overflowed). */
        double maxLoss() {
            double m = 0;
            for (double l : loss) if (!Double.isNaN(l)) m = Math.max(m, l);
            return m;
        }

        double maxGradNorm() {
            double m = 0;
            for (double g : gradNorm) m = Double.isFinite(g) ? Math.max(m, g) : Double.POSITIVE_INFINITY;
            return m;
        }
    }

    @Override
    public String name() {
        return "exploding";
    }

    // ---------------------------------------------------------------- the deep network

    List<Config> deepConfigs() {
        String big = "He init ×" + fmt(initScale);
        return List.of(
                new Config(big + ", lr " + lr, true, lr, ClipMode.NONE, 0, 0, false, false),
                new Config(big + ", clip norm 1", true, lr, ClipMode.NORM, 1, 0, false, false),
                new Config(big + ", clip value 0.1", true, lr, ClipMode.VALUE, 0.1, 0, false, false),
                new Config("He init", false, lr, ClipMode.NONE, 0, 0, false, false),
                new Config(big + ", BatchNorm", true, lr, ClipMode.NONE, 0, 0, true, false),
                new Config(big + ", residual", true, lr, ClipMode.NONE, 0, 0, false, true));
    }

    /** Blocks of Linear, [BatchNorm], ReLU (hidden blocks optionally residual), then the output Linear. */
    List<Module> deepBlocks(Config c, Rng rng) {
        List<Module> blocks = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            Linear lin = new Linear(l == 0 ? 2 : width, last ? 2 : width, rng);
            Init.kaimingNormal(lin.weight(), 0, FanMode.FAN_IN, "relu", rng);
            if (c.largeInit()) lin.weight().copyFrom(lin.weight().mul(initScale));
            Init.zeros(lin.bias());
            if (last) {
                blocks.add(lin);
                break;
            }
            Module block = c.batchNorm() ? new Sequential(lin, new BatchNorm1d(width), new ReLU()) : new Sequential(lin, new ReLU());
            // the residual branch is scaled down by the depth, as in Fixup/SkipInit, so the sum does not grow with the layers
            blocks.add(c.residual() && l > 0 ? new Residual(new Sequential(block, new Scale(1.0 / depth))) : block);
        }
        return blocks;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Multiplies by a constant. */
    static final class Scale extends Module {
        private final double c;

        Scale(double c) {
            this.c = c;
        }

        @Override
        public Tensor forward(Tensor input) {
            return input.mul(c);
        }
    }

    Run trainDeep(Config c, long seed, Progress progress) {
        Rng rng = new Rng(seed);
        Batch data = Nets.moons(examples, new Rng(seed));
        List<Module> blocks = deepBlocks(c, rng);
        Module model = new Sequential(blocks.toArray(Module[]::new));
        List<Tensor> params = model.parameters();
        double[] loss = new double[steps], norms = new double[steps], signal = null;
        int diverged = -1;
        for (int s = 0; s < steps; s++) {
            Tensor[] outs = new Tensor[blocks.size()];
            Tensor[] grads;
            try (Tape tape = Tape.record()) {
                Tensor x = data.inputs();
                for (int b = 0; b < blocks.size(); b++) x = outs[b] = blocks.get(b).forward(x);
                Tensor l = Losses.crossEntropy(x, data.classes(), Reduction.MEAN);
                loss[s] = l.item();
                if (c.l2() > 0) l = l.add(Losses.l2Penalty(weights(model)).mul(c.l2()));
                Tensor[] xs = new Tensor[outs.length + params.size()];
                System.arraycopy(outs, 0, xs, 0, outs.length);
                for (int i = 0; i < params.size(); i++) xs[outs.length + i] = params.get(i);
                grads = tape.gradient(l, xs);
            }
            if (s == 0) {
                signal = new double[outs.length];
                for (int b = 0; b < outs.length; b++) signal[b] = Nets.norm(grads[b]);
            }
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(grads[outs.length + i]);
            norms[s] = update(params, c.lr(), c.clip(), c.clipAt());
            if (diverged < 0 && !Double.isFinite(loss[s])) diverged = s;
            progress.step();
        }
        return new Run(c, signal, loss, norms, diverged);
    }

    /** The weights (not biases, nor BatchNorm's scale and shift) that an L2 penalty usually covers. */
    static List<Tensor> weights(Module model) {
        List<Tensor> out = new ArrayList<>();
        for (Linear l : Nets.linears(model)) out.add(l.weight());
        return out;
    }

    /** Clips as asked, takes a gradient-descent step and returns the total gradient norm before clipping. */
    static double update(List<Tensor> params, double lr, ClipMode clip, double at) {
        double total = 0;
        for (Tensor p : params) for (double g : p.grad().data()) total += g * g;
        total = Math.sqrt(total);
        switch (clip) {
            case NORM -> Clip.clipGradNorm(params, at);
            case VALUE -> Clip.clipGradValue(params, at);
            case NONE -> {}
        }
        for (Tensor p : params) p.addInPlace(-lr, p.grad());
        return total;
    }

    // ---------------------------------------------------------------- the RNN

    List<Config> rnnConfigs() {
        String big = "W_hh gain " + fmt(rnnGain);
        return List.of(
                new Config(big + ", lr " + rnnLr, true, rnnLr, ClipMode.NONE, 0, 0, false, false),
                new Config(big + ", clip norm 1", true, rnnLr, ClipMode.NORM, 1, 0, false, false),
                new Config(big + ", clip value 0.1", true, rnnLr, ClipMode.VALUE, 0.1, 0, false, false),
                new Config(big + ", lr " + rnnLr / 100, true, rnnLr / 100, ClipMode.NONE, 0, 0, false, false),
                new Config(big + ", lr " + rnnLr / 100 + ", L2 " + fmt(rnnL2) + " on W_hh", true, rnnLr / 100, ClipMode.NONE, 0, rnnL2, false, false),
                new Config("orthogonal W_hh (gain 1)", false, rnnLr, ClipMode.NONE, 0, 0, false, false));
    }

    /** Sequences of U(−1, 1) inputs; the target is the mean of the first ten inputs, read from the last hidden state. */
    Tensor[] rnnData(long seed) {
        Rng rng = new Rng(seed + 7);
        Tensor x = Tensor.uniform(rng, -1, 1, seqLen, rnnBatch, 1);
        Tensor y = x.slice(0, 0, Math.min(10, seqLen)).mean(0, false).mul(3);
        return new Tensor[] {x, y};
    }

    Run trainRnn(Config c, long seed, Progress progress) {
        Rng rng = new Rng(seed);
        RNNCell cell = new RNNCell(1, hidden, rng);
        Init.orthogonal(cell.namedParameters().get("weight_hh"), c.largeInit() ? rnnGain : 1.0, rng);
        Linear readout = new Linear(hidden, 1, rng);
        List<Tensor> params = new ArrayList<>(cell.parameters());
        params.addAll(readout.parameters());
        Tensor[] data = rnnData(seed);
        double[] loss = new double[rnnSteps], norms = new double[rnnSteps], signal = null;
        int diverged = -1;
        for (int s = 0; s < rnnSteps; s++) {
            Tensor[] hs = new Tensor[seqLen];
            Tensor[] grads;
            try (Tape tape = Tape.record()) {
                Tensor h = Tensor.zeros(rnnBatch, hidden);
                for (int t = 0; t < seqLen; t++) h = hs[t] = cell.forward(data[0].slice(0, t, t + 1).reshape(rnnBatch, 1), h);
                Tensor l = Losses.mseLoss(readout.forward(h), data[1], Reduction.MEAN);
                loss[s] = l.item();
                if (c.l2() > 0) l = l.add(Losses.l2Penalty(List.of(cell.namedParameters().get("weight_hh"))).mul(c.l2()));
                Tensor[] xs = new Tensor[seqLen + params.size()];
                System.arraycopy(hs, 0, xs, 0, seqLen);
                for (int i = 0; i < params.size(); i++) xs[seqLen + i] = params.get(i);
                grads = tape.gradient(l, xs);
            }
            if (s == 0) {
                signal = new double[seqLen];
                for (int t = 0; t < seqLen; t++) signal[t] = Nets.norm(grads[t]);
            }
            for (int i = 0; i < params.size(); i++) params.get(i).setGrad(grads[seqLen + i]);
            norms[s] = update(params, c.lr(), c.clip(), c.clipAt());
            if (diverged < 0 && !Double.isFinite(loss[s])) diverged = s;
            progress.step();
        }
        return new Run(c, signal, loss, norms, diverged);
    }

    /** Both parts: the deep-network runs, then the RNN runs. */
    record Results(List<Run> deep, List<Run> rnn) {}

    Results runAll(long seed, Progress progress) {
        List<Config> dc = deepConfigs(), rc = rnnConfigs();
        progress.total((long) dc.size() * steps + (long) rc.size() * rnnSteps);
        List<Run> deep = new ArrayList<>(), rnn = new ArrayList<>();
        for (Config c : dc) deep.add(trainDeep(c, seed, progress));
        for (Config c : rc) rnn.add(trainRnn(c, seed, progress));
        return new Results(deep, rnn);
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        return report(runAll(seed, progress), dir);
    }

    Section report(Results res, Path dir) throws java.io.IOException {
        List<Run> deep = res.deep(), rnn = res.rnn();
        XYChart deepSignal = Charts.chart("Deep ReLU network at initialisation: gradient reaching each layer", "layer (1 = input side)",
                "‖∂loss/∂(layer output)‖ (log scale)", false, true);
        for (Run r : deep) {
            if (r.config().clip() != ClipMode.NONE) continue; // same network at initialisation as the unclipped one
            Nets.line(deepSignal, deep.indexOf(r), r.config().name().replace(", lr " + lr, ""), Nets.range(1, depth), r.signal());
        }
        Path deepSignalPng = Charts.save(deepSignal, dir, "exploding-deep-per-layer");

        XYChart rnnSignal = Charts.chart("Tanh RNN at initialisation: gradient reaching each time step (T = " + seqLen + ")", "time step t",
                "‖∂loss/∂h_t‖ (log scale)", false, true);
        for (Run r : rnn) {
            if (r.config().clip() != ClipMode.NONE || r.config().lr() != rnnLr) continue;
            Nets.line(rnnSignal, rnn.indexOf(r), r.config().name().replace(", lr " + rnnLr, ""), Nets.range(1, seqLen), r.signal());
        }
        Path rnnSignalPng = Charts.save(rnnSignal, dir, "exploding-rnn-per-step");

        Path deepLossPng = lossChart(deep, "Deep ReLU network (" + depth + " layers): training loss, gradient descent", dir, "exploding-deep-loss");
        Path rnnLossPng = lossChart(rnn, "Tanh RNN (T = " + seqLen + "): training loss, gradient descent", dir, "exploding-rnn-loss");

        StringBuilder md = new StringBuilder();
        md.append("Deep network: ").append(depth).append(" Linear layers of width ").append(width).append(" with ReLU, cross-entropy on ")
                .append(examples).append(" two-moons points, ").append(steps).append(" full-batch gradient-descent steps (lr ").append(lr)
                .append("); the bad initialisation draws weights with ").append(fmt(initScale)).append(" times He's standard deviation.\n\n");
        md.append(table(deep, "layer 1", "layer " + depth));
        md.append("\nRecurrent network: a tanh RNN cell with ").append(hidden).append(" hidden units over ").append(seqLen)
                .append(" steps, a linear readout of the last state regressing 3 × the mean of the first ten inputs (MSE), batch ")
                .append(rnnBatch).append(", ").append(rnnSteps).append(" gradient-descent steps; W_hh starts orthogonal times its gain.\n\n");
        md.append(table(rnn, "t = 1", "t = " + seqLen));
        Run base = deep.get(0), rnnBase = rnn.get(0);
        md.append(String.format("%nEach layer of the badly initialised network multiplies the gradient by about %.1f on its way to the input, and each "
                        + "step of the RNN with gain %s by about %.2f on its way back in time.%n",
                Math.pow(base.signal()[0] / base.signal()[depth - 1], 1.0 / (depth - 1)), fmt(rnnGain),
                Math.pow(rnnBase.signal()[0] / rnnBase.signal()[seqLen - 1], 1.0 / (seqLen - 1))));
        String baseOutcome = base.divergedAt() >= 0 ? "its loss is NaN from step " + base.divergedAt()
                : "its loss ends at " + Nets.e(base.finalLoss());
        return new Section("Exploding gradients",
                String.format("The per-layer and per-time-step charts show the gradient growing geometrically towards the input: %s times larger at "
                        + "layer 1 than at the output of a %d-layer ReLU network initialised with %s × He's scale, and %s times larger at the first "
                        + "step than at the last of a tanh RNN, so one gradient step wrecks training (%s; the RNN's loss reaches %s). The loss charts "
                        + "show the fixes side by side: clipping by norm or by value keeps the loss finite and falling, and a proper initialisation, "
                        + "batch normalisation, residual connections, a smaller learning rate and an L2 penalty on W_hh avoid the blow-up.",
                        Nets.e(base.signal()[0] / base.signal()[depth - 1]), depth, fmt(initScale),
                        Nets.e(rnnBase.signal()[0] / rnnBase.signal()[seqLen - 1]), baseOutcome, Nets.e(rnnBase.maxLoss())),
                md.toString(), List.of(deepSignalPng, rnnSignalPng, deepLossPng, rnnLossPng), List.of(
                        "The gradient reaching each layer of the deep ReLU network at initialisation: with the oversized init it grows "
                                + "geometrically towards the input.",
                        "The gradient reaching each time step of the tanh RNN: with W_hh's gain above 1 it grows geometrically back in time.",
                        "Training loss of the deep network, one panel per fix over the unfixed run (grey), which leaves the chart within a few steps.",
                        "Training loss of the RNN, one panel per fix over the unfixed run (grey): clipping, a small rate, L2 or an orthogonal "
                                + "W_hh keep it finite."));
    }

    /**
     * Loss curves on a log axis that ends at 100 times the largest starting loss: a curve that leaves it (or turns NaN)
     * stops there, and its title says from which step, so the finite curves stay readable. One panel per fix, each over
     * the unfixed configuration (the first run) in grey.
     */
    private static Path lossChart(List<Run> runs, String title, Path dir, String name) throws java.io.IOException {
        double cap = 0;
        for (Run r : runs) cap = Math.max(cap, 100 * r.loss()[0]);
        List<Charts.Line> lines = new ArrayList<>();
        for (Run r : runs) {
            double[] loss = r.loss();
            int n = 0;
            while (n < loss.length && loss[n] <= cap) n++; // NaN compares false as well
            double[] x = Nets.range(0, Math.min(n, loss.length - 1)), y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = i < n ? loss[i] : cap;
            String label = r.config().name() + (n == loss.length ? ""
                    : Double.isNaN(loss[n]) ? " (NaN from step " + n + ")" : " (above " + Nets.e(cap) + " from step " + n + ")");
            double[][] xy = Nets.positive(x, y, 0);
            lines.add(new Charts.Line(label, xy[0], xy[1], Nets.color(runs.indexOf(r))));
        }
        return Charts.savePanels(dir, name, title, "step", "loss (log scale)", true, lines.subList(0, 1), lines.subList(1, lines.size()), 3);
    }

    static String table(List<Run> runs, String first, String last) {
        StringBuilder md = new StringBuilder("| configuration | gradient at " + first + " (init) | at " + last
                + " | largest gradient norm | loss at start | largest loss | loss at end |\n|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            md.append("| ").append(r.config().name()).append(" | ").append(Nets.e(r.signal()[0])).append(" | ")
                    .append(Nets.e(r.signal()[r.signal().length - 1])).append(" | ").append(Nets.e(r.maxGradNorm())).append(" | ")
                    .append(Nets.e(r.loss()[0])).append(" | ").append(Nets.e(r.maxLoss())).append(" | ")
                    .append(r.divergedAt() >= 0 ? "NaN from step " + r.divergedAt() : Nets.e(r.finalLoss())).append(" |\n");
        }
        return md.toString();
    }
}

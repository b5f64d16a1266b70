package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.GRU;
import dev.descent.nn.LSTM;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.RNN;
import dev.descent.nn.RNNBase;
import dev.descent.nn.Reduction;
import dev.descent.optim.Adam;
import dev.descent.optim.clip.Clip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Vanishing gradients through time, and the gated cells that cure them, on the adding problem (Hochreiter and
 * Schmidhuber, 1997): each step of a sequence of length {@code T} carries a value from U(0, 1) and a marker, two steps
 * are marked (one in each half) and the target, read from the last hidden state, is the sum of their two values.
 * Predicting the mean (1) without looking scores an MSE of 1/6; doing better means carrying the first marked value
 * across up to {@code T} steps.
 *
 * <p>A tanh RNN, an LSTM with its forget-gate bias at 1, and a GRU, all with PyTorch's initialisation, are compared by
 * the gradient of the loss with respect to the input at every step (at initialisation and after training), and by
 * the test MSE reached within a fixed training budget at each length. An LSTM whose forget bias stays at PyTorch's
 * initialisation (about 0) shows why the bias matters: its forget gates start near σ(0) = 1/2, so the cell state
 * keeps half of its gradient per step instead of about σ(1) = 0.73.
 *
 * <p>Setting the forget bias (not a PyTorch option): the rows {@code [hidden, 2·hidden)} of {@code bias_ih_l0} are the
 * forget gate's, so {@link #setForgetBias} writes the value there and zeroes the same rows of {@code bias_hh_l0}.
 */
final class RecurrentDemo implements Demo {
    /** Sequence lengths to train at; hidden units; batch; Adam steps per run, its learning rate and the clipping norm. */
    int[] lengths = {10, 25, 50, 100};
    int hidden = 16, batch = 32, steps = 200, testSize = 256;
    double lr = 1e-2, clipNorm = 1;
    /** The length of the gradient profiles at initialisation, and the trained length whose profile is drawn after training. */
    int profileLength = 200, trainedProfileLength = 50;

    /** The recurrent networks compared, each with a linear readout of its last hidden state. */
    enum Cell {
        RNN("tanh RNN"), LSTM("LSTM, forget bias 1"), GRU("GRU"), LSTM_BIAS0("LSTM, forget bias 0 (PyTorch's init)");

        final String label;

        Cell(String label) {
            this.label = label;
        }

        RNNBase build(int hidden, Rng rng) {
            return switch (this) {
                case RNN -> new RNN(2, hidden, rng);
                case GRU -> new GRU(2, hidden, rng);
                case LSTM -> setForgetBias(new LSTM(2, hidden, rng), 1);
                case LSTM_BIAS0 -> setForgetBias(new LSTM(2, hidden, rng), 0);
            };
        }
    }

    /** The cells trained at every length (the forget-bias-0 LSTM is only profiled). */
    static final List<Cell> TRAINED = List.of(Cell.RNN, Cell.LSTM, Cell.GRU);

    /** Sets the forget-gate bias of every layer: {@code value} in {@code bias_ih}'s forget rows, 0 in {@code bias_hh}'s. */
    static LSTM setForgetBias(LSTM lstm, double value) {
        int h = lstm.hiddenSize();
        for (int layer = 0; layer < lstm.options().numLayers(); layer++) {
            Tensor ih = lstm.namedParameters().get("bias_ih_l" + layer), hh = lstm.namedParameters().get("bias_hh_l" + layer);
            for (int i = h; i < 2 * h; i++) {
                ih.set(value, i);
                hh.set(0, i);
            }
        }
        return lstm;
    }

    /** A recurrent layer and its readout. */
    record Net(RNNBase rnn, Linear readout) {
        Tensor predict(Tensor x) {
            Tensor out = rnn.forward(x);
            int t = out.shape(0);
            return readout.forward(out.slice(0, t - 1, t).squeeze(0));
        }

        List<Tensor> parameters() {
            List<Tensor> p = new ArrayList<>(rnn.parameters());
            p.addAll(readout.parameters());
            return p;
        }
    }

    /** Adding-problem sequences {@code [T, n, 2]} (value, marker) and their targets {@code [n, 1]}. */
    static Tensor[] addingProblem(int length, int n, Rng rng) {
        double[] x = new double[length * n * 2], y = new double[n];
        for (int b = 0; b < n; b++) {
            int first = (int) (rng.nextDouble() * (length / 2)), second = length / 2 + (int) (rng.nextDouble() * (length - length / 2));
            for (int t = 0; t < length; t++) {
                double v = rng.nextDouble();
                x[(t * n + b) * 2] = v;
                if (t == first || t == second) {
                    x[(t * n + b) * 2 + 1] = 1;
                    y[b] += v;
                }
            }
        }
        return new Tensor[] {Tensor.of(x, length, n, 2), Tensor.of(y, n, 1)};
    }

    /** The MSE of always predicting the mean of the target, 1: the variance of a sum of two U(0, 1), 1/6. */
    static final double BASELINE_MSE = 1.0 / 6;

    /**
     * A run of one cell at one length: the gradient norm ‖∂loss/∂x_t‖ at each step t on a batch after training (null
     * unless the length is {@link #trainedProfileLength}), the training loss per step and the test MSE at the end.
     */
    record Run(Cell cell, int length, double[] gradTrained, double[] loss, double testMse) {
        /** Test MSE over the MSE of predicting the mean: 1 learns nothing, 0 is perfect. */
        double relativeMse() {
            return testMse / BASELINE_MSE;
        }
    }

    @Override
    public String name() {
        return "recurrent";
    }

    /** The gradient of the batch MSE with respect to the input at every time step, as a norm per step. */
    static double[] gradientThroughTime(Net net, Tensor[] data) {
        Tensor x = data[0].detach().copy().requiresGrad(true);
        Tensor g;
        try (Tape tape = Tape.record()) {
            Tensor loss = Losses.mseLoss(net.predict(x), data[1], Reduction.MEAN);
            g = tape.gradient(loss, x)[0];
        }
        int length = x.shape(0);
        double[] out = new double[length];
        for (int t = 0; t < length; t++) out[t] = Nets.norm(g.slice(0, t, t + 1));
        return out;
    }

    Net build(Cell cell, long seed) {
        Rng rng = new Rng(seed);
        return new Net(cell.build(hidden, rng), new Linear(hidden, 1, rng));
    }

    /** The gradient reaching each input step of a {@link #profileLength}-step batch at initialisation. */
    double[] profileAtInit(Cell cell, long seed) {
        return gradientThroughTime(build(cell, seed), addingProblem(profileLength, batch, new Rng(seed + 2000)));
    }

    Run train(Cell cell, int length, long seed, Progress progress) {
        Net net = build(cell, seed);
        Rng data = new Rng(seed + 1000 + length);
        List<Tensor> params = net.parameters();
        Adam adam = new Adam(params, Adam.DEFAULTS.withLr(lr));
        double[] loss = new double[steps];
        for (int s = 0; s < steps; s++) {
            Tensor[] b = addingProblem(length, batch, data);
            adam.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor l = Losses.mseLoss(net.predict(b[0]), b[1], Reduction.MEAN);
                loss[s] = l.item();
                tape.backward(l);
            }
            Clip.clipGradNorm(params, clipNorm);
            adam.step();
            progress.step();
        }
        double[] gradTrained = length == trainedProfileLength ? gradientThroughTime(net, addingProblem(length, batch, new Rng(seed + 2000))) : null;
        Tensor[] test = addingProblem(length, testSize, new Rng(seed + 3000 + length));
        double mse = Losses.mseLoss(net.predict(test[0]), test[1], Reduction.MEAN).item();
        return new Run(cell, length, gradTrained, loss, mse);
    }

    /** Every trained cell at every length, and the gradient profiles at initialisation of every cell (by {@link Cell#ordinal()}). */
    record Results(List<Run> runs, double[][] initProfiles) {
        Run run(Cell cell, int length) {
            for (Run r : runs) if (r.cell() == cell && r.length() == length) return r;
            throw new IllegalArgumentException("no run of " + cell + " at length " + length);
        }

        double[] init(Cell cell) {
            return initProfiles[cell.ordinal()];
        }
    }

    Results runAll(long seed, Progress progress) {
        progress.total((long) steps * TRAINED.size() * lengths.length);
        double[][] profiles = new double[Cell.values().length][];
        for (Cell c : Cell.values()) profiles[c.ordinal()] = profileAtInit(c, seed);
        List<Run> runs = new ArrayList<>();
        for (Cell c : TRAINED) for (int length : lengths) runs.add(train(c, length, seed, progress));
        return new Results(runs, profiles);
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        return report(runAll(seed, progress), dir);
    }

    /** The geometric-mean factor by which the gradient shrinks per step back in time, from the last step to the first. */
    static double decayPerStep(double[] g) {
        return Math.pow(g[0] / g[g.length - 1], 1.0 / (g.length - 1));
    }

    /** Relative test MSE below which a run counts as having learned the task (it removed half the error of the mean). */
    static final double LEARNED = 0.5;

    /** The longest trained length at which {@code cell} reached {@link #LEARNED}, or 0 if none. */
    int longestLearned(Results res, Cell cell) {
        int best = 0;
        for (int l : lengths) if (res.run(cell, l).relativeMse() < LEARNED) best = l;
        return best;
    }

    Section report(Results res, Path dir) throws java.io.IOException {
        double[] t200 = Nets.range(1, profileLength), t50 = Nets.range(1, trainedProfileLength);
        // log10 on a linear axis: the profiles span up to 60 decades, too many for a labelled logarithmic axis
        String axis = "log₁₀ ‖∂loss/∂x_t‖";
        XYChart init = Charts.chart("Adding problem, T = " + profileLength + ": gradient reaching each input step, at initialisation",
                "time step t", axis, false, false);
        XYChart trained = Charts.chart("T = " + trainedProfileLength + ": gradient reaching each input step after " + steps + " Adam steps",
                "time step t", axis, false, false);
        for (Cell c : TRAINED) {
            line(init, c, t200, res.init(c));
            line(trained, c, t50, res.run(c, trainedProfileLength).gradTrained());
        }
        XYChart bias = Charts.chart("LSTM at initialisation, T = " + profileLength + ": forget-gate bias 0 (PyTorch) vs 1", "time step t",
                axis, false, false);
        line(bias, Cell.LSTM_BIAS0, t200, res.init(Cell.LSTM_BIAS0));
        line(bias, Cell.LSTM, t200, res.init(Cell.LSTM));
        XYChart mse = Charts.chart("Adding problem: test MSE after " + steps + " Adam steps, relative to predicting the mean",
                "sequence length T", "test MSE / (1/6)", false, false);
        double[] ls = new double[lengths.length];
        for (int i = 0; i < ls.length; i++) ls[i] = lengths[i];
        for (Cell c : TRAINED) {
            double[] rel = new double[lengths.length];
            for (int i = 0; i < rel.length; i++) rel[i] = res.run(c, lengths[i]).relativeMse();
            Nets.line(mse, c.ordinal(), c.label, ls, rel);
        }
        Charts.line(mse, "predicting the mean", new double[] {ls[0], ls[ls.length - 1]}, new double[] {1, 1}).setLineColor(java.awt.Color.GRAY);
        mse.getStyler().setYAxisMin(0.0);
        mse.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        List<Path> charts = List.of(Charts.save(init, dir, "recurrent-gradient-init"), Charts.save(trained, dir, "recurrent-gradient-trained"),
                Charts.save(mse, dir, "recurrent-mse-vs-length"), Charts.save(bias, dir, "recurrent-forget-bias"));

        StringBuilder md = new StringBuilder();
        md.append("Adding problem: inputs (value from U(0, 1), marker), two marked steps (one in each half), target the sum of the two ")
                .append("marked values, read by a Linear layer from the last hidden state. ").append(hidden).append(" hidden units, PyTorch's ")
                .append("initialisation (the LSTM's forget-gate biases then set to 1, except where said), batch ").append(batch).append(", ")
                .append(steps).append(" Adam steps (lr ").append(lr).append(", gradient norm clipped at ").append(clipNorm)
                .append(") on fresh batches, test MSE on ").append(testSize).append(" held-out sequences. Predicting the mean scores 1/6 = ")
                .append(Nets.f(BASELINE_MSE)).append(".\n\n");
        md.append("Gradient through time: ‖∂loss/∂x_1‖ / ‖∂loss/∂x_T‖, and the average factor per step back in time:\n\n")
                .append("| cell | at init, T = ").append(profileLength).append(" | per step | after training, T = ").append(trainedProfileLength)
                .append(" | per step |\n|---|---|---|---|---|\n");
        for (Cell c : Cell.values()) {
            md.append("| ").append(c.label).append(" | ").append(Nets.e(ratio(res.init(c)))).append(" | ").append(Nets.f(decayPerStep(res.init(c))));
            if (TRAINED.contains(c)) {
                double[] g = res.run(c, trainedProfileLength).gradTrained();
                md.append(" | ").append(Nets.e(ratio(g))).append(" | ").append(Nets.f(decayPerStep(g))).append(" |\n");
            } else {
                md.append(" | (not trained) | |\n");
            }
        }
        md.append("\nTest MSE relative to predicting the mean (1 = learned nothing, 0 = solved):\n\n| cell |");
        for (int l : lengths) md.append(" T = ").append(l).append(" |");
        md.append(" longest T below ").append(LEARNED).append(" |\n|---|").append("---|".repeat(lengths.length + 1)).append('\n');
        for (Cell c : TRAINED) {
            md.append("| ").append(c.label).append(" |");
            for (int l : lengths) md.append(' ').append(Nets.f(res.run(c, l).relativeMse())).append(" |");
            int longest = longestLearned(res, c);
            md.append(' ').append(longest == 0 ? "none" : Integer.toString(longest)).append(" |\n");
        }
        md.append("\nThe forget-gate bias is not a PyTorch option: the demo writes it into rows [hidden, 2·hidden) of bias_ih_l0 and ")
                .append("zeroes the same rows of bias_hh_l0 after construction (RecurrentDemo.setForgetBias).\n");
        double[] rnn = res.init(Cell.RNN), lstm = res.init(Cell.LSTM), gru = res.init(Cell.GRU);
        String explanation = String.format(java.util.Locale.ROOT,
                "Back-propagated through T = %d steps at initialisation, the tanh RNN's gradient shrinks by a factor of about %.2f per "
                        + "step (%s from the last input to the first), the GRU's by %.2f and the LSTM's (forget bias 1) by only %.2f (%s). "
                        + "After training at T = %d the first input gets %s of the last one's gradient in the RNN, %s in the LSTM and %s in "
                        + "the GRU. Within the same budget the longest sequences on which a cell halves the error of predicting the mean are: "
                        + "%s (RNN), %s (LSTM), %s (GRU). With PyTorch's forget bias (about 0) the LSTM's forget gates start near 1/2 and its "
                        + "gradient shrinks by %.2f per step instead of %.2f: %s instead of %s across %d steps.",
                profileLength, decayPerStep(rnn), Nets.e(ratio(rnn)), decayPerStep(gru), decayPerStep(lstm), Nets.e(ratio(lstm)),
                trainedProfileLength, Nets.e(ratio(res.run(Cell.RNN, trainedProfileLength).gradTrained())),
                Nets.e(ratio(res.run(Cell.LSTM, trainedProfileLength).gradTrained())),
                Nets.e(ratio(res.run(Cell.GRU, trainedProfileLength).gradTrained())),
                learned(longestLearned(res, Cell.RNN)), learned(longestLearned(res, Cell.LSTM)), learned(longestLearned(res, Cell.GRU)),
                decayPerStep(res.init(Cell.LSTM_BIAS0)), decayPerStep(lstm), Nets.e(ratio(res.init(Cell.LSTM_BIAS0))), Nets.e(ratio(lstm)),
                profileLength);
        return new Section("Vanishing gradients through time: RNN, LSTM and GRU", explanation, md.toString(), charts);
    }

    private static String learned(int length) {
        return length == 0 ? "none" : "T = " + length;
    }

    static double ratio(double[] g) {
        return g[0] / g[g.length - 1];
    }

    /** The profile as log10 (dropping zeros, which have none), in the cell's colour, legend where the rising curves are not. */
    private static void line(XYChart chart, Cell c, double[] x, double[] y) {
        double[][] xy = Nets.positive(x, y, 0);
        for (int i = 0; i < xy[1].length; i++) xy[1][i] = Math.log10(xy[1][i]);
        Nets.line(chart, c.ordinal(), c.label, xy[0], xy[1]);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    }
}

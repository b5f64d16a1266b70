package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.ELU;
import dev.descent.nn.LeakyReLU;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.init.FanMode;
import dev.descent.optim.Adam;
import dev.descent.nn.init.Init;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * Dying ReLUs: a unit whose pre-activation is negative on every input passes no gradient and can never come back. A
 * large learning rate or a negative bias puts many units there; LeakyReLU and ELU keep a gradient for negative inputs.
 */
final class DyingReluDemo implements Demo {
    int steps = 200;
    int width = 64;
    int hiddenLayers = 3;
    /** Adam's learning rates: a usual one, a high one (100 × Adam's default) and the one used with the negative bias. */
    double lr = 1e-3, highLr = 0.1, biasLr = 0.01;
    double negativeBias = -1.5;

    /** One training configuration. */
    record Config(String name, Supplier<Module> activation, double lr, double bias) {}

    /**
     * One run: the fraction of hidden units that are dead (zero gradient on every input) after each step, the fraction
     * that are merely silent (negative pre-activation on every input, which LeakyReLU and ELU survive), and the loss.
     */
    record Run(Config config, double[] dead, double[] silent, double[] loss, double accuracy) {
        double finalDead() {
            return dead[dead.length - 1];
        }
    }

    @Override
    public String name() {
        return "dying-relu";
    }

    List<Config> configs() {
        return List.of(
                new Config("ReLU, lr " + lr, ReLU::new, lr, 0),
                new Config("ReLU, lr " + highLr, ReLU::new, highLr, 0),
                new Config("LeakyReLU(0.01), lr " + highLr, LeakyReLU::new, highLr, 0),
                new Config("ELU, lr " + highLr, ELU::new, highLr, 0),
                new Config("ReLU, bias " + negativeBias, ReLU::new, biasLr, negativeBias),
                new Config("LeakyReLU(0.01), bias " + negativeBias, LeakyReLU::new, biasLr, negativeBias),
                new Config("ELU, bias " + negativeBias, ELU::new, biasLr, negativeBias));
    }

    Run train(Config c, long seed, Progress progress) {
        Rng rng = new Rng(seed);
        Batch data = Nets.moons(256, new Rng(seed));
        List<Module> layers = new ArrayList<>();
        int in = 2;
        for (int l = 0; l < hiddenLayers; l++) {
            Linear lin = new Linear(in, width, rng);
            Init.kaimingNormal(lin.weight(), 0, FanMode.FAN_IN, "relu", rng);
            Init.constant(lin.bias(), c.bias());
            layers.add(lin);
            layers.add(c.activation().get());
            in = width;
        }
        layers.add(new Linear(in, 2, rng));
        Sequential model = new Sequential(layers.toArray(Module[]::new));
        Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(c.lr()));
        double[] dead = new double[steps + 1], silent = new double[steps + 1], loss = new double[steps];
        for (int s = 0; s <= steps; s++) {
            double[] d = census(model, data.inputs(), c.activation().get() instanceof ReLU);
            dead[s] = d[0];
            silent[s] = d[1];
            if (s == steps) break;
            loss[s] = Nets.backward(model, data);
            adam.step();
            progress.step();
        }
        return new Run(c, dead, silent, loss, InitDemo.accuracy(model, data));
    }

    /**
     * Over all hidden units: {dead fraction, silent fraction}. A unit is silent when its pre-activation is at most 0 for
     * every input; for ReLU a silent unit is dead (its derivative is 0 everywhere), for LeakyReLU and ELU it is not.
     */
    static double[] census(Sequential model, Tensor inputs, boolean relu) {
        return Tape.noGrad(() -> {
            int units = 0, silent = 0;
            Tensor x = inputs;
            for (int i = 0; i < model.size(); i++) {
                Module m = model.get(i);
                if (!(m instanceof Linear) && i > 0) {
                    double[] pre = x.data();
                    int n = x.shape(1);
                    boolean[] fired = new boolean[n];
                    for (int k = 0; k < pre.length; k++) if (pre[k] > 0) fired[k % n] = true;
                    for (boolean f : fired) if (!f) silent++;
                    units += n;
                }
                x = m.forward(x);
            }
            double s = (double) silent / units;
            return new double[] {relu ? s : 0, s};
        });
    }

    List<Run> runAll(long seed, Progress progress) {
        List<Config> cs = configs();
        progress.total((long) cs.size() * steps);
        List<Run> runs = new ArrayList<>();
        for (Config c : cs) runs.add(train(c, seed, progress));
        return runs;
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        return report(runAll(seed, progress), dir);
    }

    Section report(List<Run> runs, Path dir) throws java.io.IOException {
        XYChart chart = Charts.chart("Dead hidden units (zero gradient on every input), " + hiddenLayers + " × " + width + " units, two moons",
                "step", "fraction of hidden units dead", false, false);
        chart.getStyler().setYAxisMin(-0.02).setYAxisMax(1.02);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (Run r : runs) {
            // several curves lie on 0 on top of each other; the legend says so
            boolean never = java.util.Arrays.stream(r.dead()).allMatch(f -> f == 0);
            Nets.line(chart, runs.indexOf(r), r.config().name() + (never ? " (0 throughout)" : ""), Nets.range(0, steps), r.dead());
        }
        Path png = Charts.save(chart, dir, "dying-relu-dead-fraction");
        XYChart loss = Charts.chart("Training loss of the same networks", "step", "cross-entropy loss (log scale)", false, true);
        for (Run r : runs) {
            double[][] xy = Nets.positive(Nets.range(0, steps - 1), r.loss(), 0);
            Nets.line(loss, runs.indexOf(r), r.config().name(), xy[0], xy[1]);
        }
        Path lossPng = Charts.save(loss, dir, "dying-relu-loss");

        StringBuilder md = new StringBuilder("Full-batch Adam for " + steps + " steps on 256 two-moons points; a unit is dead when "
                + "its activation's derivative is 0 for every input, silent when its pre-activation is ≤ 0 for every input.\n\n");
        md.append("| configuration | dead at start | dead at end | silent at end | final loss | accuracy |\n|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            md.append(String.format("| %s | %.1f %% | %.1f %% | %.1f %% | %s | %.1f %% |%n", r.config().name(), 100 * r.dead()[0],
                    100 * r.finalDead(), 100 * r.silent()[steps], Nets.f(r.loss()[steps - 1]), 100 * r.accuracy()));
        }
        Run base = runs.get(0), high = runs.get(1), bias = runs.get(4);
        double othersMax = 0;
        for (Run r : runs) if (!(r.config().activation().get() instanceof ReLU)) othersMax = Math.max(othersMax, r.finalDead());
        return new Section("Dying ReLUs",
                String.format("The chart shows ReLU units dying during training with Adam at learning rate %s (%.0f %% receive no gradient at "
                        + "the end, against %.0f %% at lr %s) and dead from the first step when the biases start at %s (%.0f %% at the end). "
                        + "LeakyReLU and ELU under the same settings never have a dead unit (at most %.0f %%), because a negative input still "
                        + "passes a gradient, and with the negative bias they climb out of the silent region that traps ReLU.",
                        highLr, 100 * high.finalDead(), 100 * base.finalDead(), lr, negativeBias, 100 * bias.finalDead(), 100 * othersMax),
                md.toString(), List.of(png, lossPng), List.of(
                        "The fraction of hidden units that never fire: ReLU at a high learning rate or with negative biases stays dead; "
                                + "LeakyReLU and ELU stay at 0 (their lines lie on the axis).",
                        "The training loss of the same networks: the ones with many dead units learn less."));
    }
}

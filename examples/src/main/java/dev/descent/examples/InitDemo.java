package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Initialisation: all-equal weights give every hidden unit the same gradient, so they stay copies of each other forever;
 * and the scale of the initial weights decides whether activations keep their size through a deep ReLU network.
 */
final class InitDemo implements Demo {
    static final double LR = 0.2;

    /** Training steps of the symmetric and random networks. */
    int steps = 300;
    /** Hidden width of the small network, and depth and width of the deep one. */
    int hidden = 16, depth = 20, width = 64;

    /** One run of the small network: its loss curve and how far apart its hidden units ended up. */
    record SymmetryRun(String name, double[] loss, double maxUnitDifference, double accuracy) {}

    /** Activation standard deviation after each layer of the deep ReLU network, for one initialisation. */
    record Profile(String name, double[] std) {}

    @Override
    public String name() {
        return "init";
    }

    SymmetryRun symmetryRun(String name, boolean symmetric, long seed, Progress progress) {
        Rng rng = new Rng(seed);
        Batch data = Nets.moons(200, new Rng(seed));
        Sequential model = new Sequential(new Linear(2, hidden, rng), new Tanh(), new Linear(hidden, hidden, rng), new Tanh(),
                new Linear(hidden, 2, rng));
        for (Linear l : Nets.linears(model)) {
            if (symmetric) {
                Init.constant(l.weight(), 0.3);
                Init.constant(l.bias(), 0.1);
            } else {
                Init.xavierUniform(l.weight(), Init.calculateGain("tanh"), rng);
                Init.zeros(l.bias());
            }
        }
        double[] loss = new double[steps];
        for (int s = 0; s < steps; s++) {
            loss[s] = Nets.backward(model, data);
            Nets.sgdStep(model, LR);
            progress.step();
        }
        return new SymmetryRun(name, loss, maxUnitDifference(model), accuracy(model, data));
    }

    /**
     * The largest difference between two hidden units of the same layer, over everything that tells them apart: their
     * incoming weights and bias (a row of W and an entry of b) and their outgoing weights (a column of the next W).
     */
    static double maxUnitDifference(Sequential model) {
        List<Linear> ls = Nets.linears(model);
        double max = 0;
        for (int l = 0; l + 1 < ls.size(); l++) {
            Tensor w = ls.get(l).weight(), b = ls.get(l).bias(), next = ls.get(l + 1).weight();
            int units = w.shape(0), in = w.shape(1), out = next.shape(0);
            for (int u = 1; u < units; u++) {
                for (int j = 0; j < in; j++) max = Math.max(max, Math.abs(w.get(u, j) - w.get(0, j)));
                max = Math.max(max, Math.abs(b.get(u) - b.get(0)));
                for (int k = 0; k < out; k++) max = Math.max(max, Math.abs(next.get(k, u) - next.get(k, 0)));
            }
        }
        return max;
    }

    static double accuracy(Module model, Batch data) {
        double[] logits = Tape.noGrad(() -> model.forward(data.inputs())).toArray();
        int[] y = data.classes();
        int right = 0;
        for (int i = 0; i < y.length; i++) if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == y[i]) right++;
        return (double) right / y.length;
    }

    /** The standard deviation of the activations after every ReLU of a deep network whose weights {@code init} sets. */
    Profile profile(String name, java.util.function.BiConsumer<Tensor, Rng> init, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.normal(new Rng(seed + 1), 0, 1, 512, width);
        double[] std = new double[depth];
        for (int l = 0; l < depth; l++) {
            Linear layer = new Linear(width, width, rng);
            init.accept(layer.weight(), rng);
            Init.zeros(layer.bias());
            Tensor h = x;
            x = Tape.noGrad(() -> new ReLU().forward(layer.forward(h)));
            std[l] = std(x.data());
        }
        return new Profile(name, std);
    }

    static double std(double[] v) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        return Math.sqrt(var / v.length);
    }

    List<Profile> profiles(long seed) {
        Map<String, java.util.function.BiConsumer<Tensor, Rng>> inits = new LinkedHashMap<>();
        inits.put("zero", (w, r) -> Init.zeros(w));
        inits.put("PyTorch default (U(±1/√n))", (w, r) -> Init.kaimingUniform(w, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", r));
        inits.put("Xavier normal (gain 1)", (w, r) -> Init.xavierNormal(w, 1.0, r));
        inits.put("He normal (gain √2)", (w, r) -> Init.kaimingNormal(w, 0, FanMode.FAN_IN, "relu", r));
        List<Profile> out = new ArrayList<>();
        inits.forEach((name, init) -> out.add(profile(name, init, seed)));
        return out;
    }

    @Override
    public Section run(long seed, Path dir, Progress progress) throws Exception {
        progress.total(2L * steps);
        SymmetryRun sym = symmetryRun("all weights 0.3, biases 0.1", true, seed, progress);
        SymmetryRun rnd = symmetryRun("Xavier uniform, zero biases", false, seed, progress);
        List<Profile> profiles = profiles(seed);

        XYChart loss = Charts.chart("Two moons, 2-" + hidden + "-" + hidden + "-2 tanh network, gradient descent", "step", "cross-entropy loss", false, false);
        List<SymmetryRun> both = List.of(sym, rnd);
        for (SymmetryRun r : both) Nets.line(loss, both.indexOf(r), r.name(), Nets.range(0, steps - 1), r.loss());
        Path lossPng = Charts.save(loss, dir, "init-symmetry-loss");

        // a log axis, so that geometric decay is a straight line and curves decaying at different rates stay apart;
        // an exactly-zero std (zero init) sits on the axis floor and says so
        double floor = 1e-12;
        XYChart act = Charts.chart("Activation std after each layer, " + depth + " × Linear(" + width + ", " + width + ") + ReLU",
                "layer", "std of activations (log scale)", false, true);
        for (Profile p : profiles) {
            double[] std = p.std().clone();
            boolean zero = java.util.Arrays.stream(std).allMatch(v -> v <= floor);
            for (int k = 0; k < std.length; k++) std[k] = Math.max(std[k], floor);
            Nets.line(act, profiles.indexOf(p), zero ? p.name() + " (std 0: drawn on the floor)" : p.name(), Nets.range(1, depth), std);
        }
        act.getStyler().setYAxisMin(floor);
        Path actPng = Charts.save(act, dir, "init-activation-std");

        StringBuilder md = new StringBuilder();
        md.append("Symmetric vs random initialisation, ").append(steps).append(" full-batch gradient-descent steps (lr " + LR + ") on 200 two-moons points:\n\n");
        md.append("| initialisation | max difference between hidden units | final loss | accuracy |\n|---|---|---|---|\n");
        for (SymmetryRun r : List.of(sym, rnd)) {
            md.append("| ").append(r.name()).append(" | ").append(Nets.e(r.maxUnitDifference())).append(" | ")
                    .append(Nets.f(r.loss()[steps - 1])).append(" | ").append(String.format("%.1f %%", 100 * r.accuracy())).append(" |\n");
        }
        md.append(String.format("%nWith all-equal weights every hidden unit computes the same function and receives the same gradient, so after "
                + "%d steps they still differ by at most %s: the %d-unit layers behave as one unit each. Random weights break the tie.%n%n",
                steps, Nets.e(sym.maxUnitDifference()), hidden));
        md.append("Activation std after layers of the deep ReLU network (input N(0, 1), zero biases):\n\n| layer |");
        for (Profile p : profiles) md.append(' ').append(p.name()).append(" |");
        md.append("\n|---|").append("---|".repeat(profiles.size())).append('\n');
        for (int l = 0; l < depth; l++) {
            if (l != 0 && l != 4 && l != 9 && l != depth - 1) continue;
            md.append("| ").append(l + 1).append(" |");
            for (Profile p : profiles) md.append(' ').append(Nets.e(p.std()[l])).append(" |");
            md.append('\n');
        }
        return new Section("Initialisation",
                "The first chart shows a network whose weights all start equal learning as if each layer had a single unit (after training its hidden units differ by at most "
                        + Nets.e(sym.maxUnitDifference()) + ") while random Xavier weights learn the moons. The second shows zero "
                        + "weights killing every activation and weights too small for ReLU (PyTorch's default, Xavier with gain 1) shrinking them layer by layer, while He "
                        + "initialisation keeps their size through all " + depth + " ReLU layers.",
                md.toString(), List.of(lossPng, actPng), List.of(
                        "All-equal weights (one unit's worth of capacity per layer) against random Xavier weights: the random net's loss falls lower.",
                        "Activation std layer by layer, log scale: He keeps it near 1 through every layer, PyTorch's default and Xavier with gain 1 "
                                + "shrink it geometrically, zero init makes it exactly 0."));
    }
}

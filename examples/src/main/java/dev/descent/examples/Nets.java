package dev.descent.examples;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Module;
import dev.descent.nn.Reduction;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Synthetic;
import dev.descent.nn.data.TensorDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small helpers shared by the network demonstrations: data, layer walks, norms and table formatting. */
final class Nets {
    private Nets() {}

    /** The whole two-moons set as one batch (the demos train full-batch, so every curve is deterministic). */
    static Batch moons(int n, Rng rng) {
        TensorDataset ds = Synthetic.twoMoons(n, 0.1, rng);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return ds.get(all);
    }

    /** Every {@link Linear} in the module tree, in registration order (input side first). */
    static List<Linear> linears(Module m) {
        List<Linear> out = new ArrayList<>();
        collect(m, out);
        return out;
    }

    private static void collect(Module m, List<Linear> out) {
        if (m instanceof Linear l) out.add(l);
        for (Module child : m.namedChildren().values()) collect(child, out);
    }

    /** A fixed palette (Tableau 10), so that one configuration keeps its colour across a demonstration's charts. */
    private static final java.awt.Color[] COLORS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e), new java.awt.Color(0x2ca02c),
        new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd), new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2),
        new java.awt.Color(0x7f7f7f), new java.awt.Color(0xbcbd22), new java.awt.Color(0x17becf)};

    static java.awt.Color color(int i) {
        return COLORS[i % COLORS.length];
    }

    /** A line in the palette's colour {@code i}. */
    static void line(org.knowm.xchart.XYChart chart, int i, String name, double[] x, double[] y) {
        Charts.line(chart, name, x, y).setLineColor(color(i));
    }

    static double norm(Tensor t) {
        double s = 0;
        for (double v : t.data()) s += v * v;
        return Math.sqrt(s);
    }

    /** The L2 norm of each Linear layer's weight gradient, input side first. */
    static double[] weightGradNorms(Module m) {
        List<Linear> ls = linears(m);
        double[] out = new double[ls.size()];
        for (int i = 0; i < out.length; i++) out[i] = ls.get(i).weight().grad() == null ? 0 : norm(ls.get(i).weight().grad());
        return out;
    }

    /** The L2 norm of the weight gradient of each {@link Conv2d} and {@link Linear} in the module tree, input side first. */
    static double[] convAndLinearGradNorms(Module m) {
        List<Tensor> weights = new ArrayList<>();
        collectWeights(m, weights);
        return weights.stream().mapToDouble(w -> w.grad() == null ? 0 : norm(w.grad())).toArray();
    }

    private static void collectWeights(Module m, List<Tensor> out) {
        if (m instanceof Conv2d c) out.add(c.weight());
        if (m instanceof Linear l) out.add(l.weight());
        for (Module child : m.namedChildren().values()) collectWeights(child, out);
    }

    /** Zeroes the gradients, runs the cross-entropy loss of {@code model} on {@code batch} and back-propagates it. */
    static double backward(Module model, Batch batch) {
        model.zeroGrad();
        try (Tape tape = Tape.record()) {
            Tensor loss = Losses.crossEntropy(model.forward(batch.inputs()), batch.classes(), Reduction.MEAN);
            tape.backward(loss);
            return loss.item();
        }
    }

    /** Plain gradient descent, {@code p ← p − lr·∇p}, on every parameter with a gradient. */
    static void sgdStep(Module model, double lr) {
        for (Tensor p : model.parameters()) if (p.grad() != null) p.addInPlace(-lr, p.grad());
    }

    static double[] range(int from, int toInclusive) {
        double[] x = new double[toInclusive - from + 1];
        for (int i = 0; i < x.length; i++) x[i] = from + i;
        return x;
    }

    /** A series for a log axis: values at or below {@code floor} (or not finite) are dropped, as a log axis cannot show them. */
    static double[][] positive(double[] x, double[] y, double floor) {
        int n = 0;
        for (double v : y) if (Double.isFinite(v) && v > floor) n++;
        double[][] out = new double[2][n];
        for (int i = 0, k = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && y[i] > floor) {
                out[0][k] = x[i];
                out[1][k++] = y[i];
            }
        }
        return out;
    }

    static String e(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2e", v) : String.valueOf(v);
    }

    static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
    }
}

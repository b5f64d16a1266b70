package dev.descent.examples.lab;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Losses;
import dev.descent.nn.Reduction;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.diagnostics.GradientFlow;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One browser tab's network playground: a data set split 70/30 into training and test points, a {@link PlaygroundNet},
 * its optimizer, and the history of the losses. {@link #advance} trains a bounded number of mini-batch steps (at most
 * {@link #MAX_STEPS_PER_REQUEST} and {@link #TIME_BUDGET_MILLIS} of work, whichever comes first), so that one tab's
 * request never holds the server for long; the same configuration and seed give the same numbers however the steps
 * are split into requests.
 */
final class NetworkSession {
    static final int MAX_STEPS_PER_REQUEST = 200, MAX_TOTAL_STEPS = 20_000, BOUNDARY_GRID = 48;
    static final long TIME_BUDGET_MILLIS = 150;
    static final int MIN_POINTS = 20, MAX_POINTS = 600, MAX_DEPTH = 24, MAX_WIDTH = 32;

    /** What the page chose; {@link #read} checks every value. */
    record Config(PlaneData data, int points, double noise, int depth, int width, PlaygroundNet.Activation activation,
                  PlaygroundNet.Initialisation init, boolean batchNorm, boolean residual, OptimizerKind.Spec optimizer, int batchSize,
                  long seed) {
        static Config read(Params p) {
            PlaneData data = PlaneData.of(p.choice("dataset", PlaneData.keys(), "spirals"));
            int points = p.integer("points", MIN_POINTS, MAX_POINTS, 200);
            double noise = p.number("noise", 0, 1, 0.1);
            int depth = p.integer("depth", 1, MAX_DEPTH, 3);
            int width = p.integer("width", 1, MAX_WIDTH, 12);
            var acts = PlaygroundNet.Activation.values();
            var act = Params.option(acts, Params::key, "activation", p.choice("activation", Params.keys(acts, Params::key), "relu"));
            var inits = PlaygroundNet.Initialisation.values();
            var init = Params.option(inits, Params::key, "init", p.choice("init", Params.keys(inits, Params::key), "default"));
            boolean bn = p.bool("batchNorm", false);
            boolean residual = p.bool("residual", false);
            OptimizerKind.Spec opt = OptimizerKind.read(p.object("optimizer"));
            int train = trainSize(points);
            int batch = p.integer("batchSize", 1, MAX_POINTS, Math.min(32, train));
            if (batch > train) {
                throw new IllegalArgumentException("batchSize: expected at most the " + train + " training points (70% of " + points + "), got " + batch);
            }
            if (bn && batch < 2) {
                throw new IllegalArgumentException("batchSize: BatchNorm needs at least 2 examples per batch to compute a variance, got " + batch);
            }
            return new Config(data, points, noise, depth, width, act, init, bn, residual, opt, batch, p.seed("seed", 0));
        }
    }

    static int trainSize(int points) {
        return (int) Math.round(points * 0.7);
    }

    /** One layer's gradient at the last step: its weight-gradient norm, ‖∇W‖ / ‖W‖, dead fraction and GradientFlow's verdict. */
    record Layer(String name, double gradNorm, double gradToWeight, double deadFraction, String health) {}

    /**
     * What the page draws: the step count, the losses of steps {@code since}, {@code since + 1}, … (full training and
     * test sets, evaluation mode), the accuracies now, the boundary (P(class 1) on a grid over {@code window}, rows from
     * the bottom), the points ({@code x, y, class, test?} in fours), each layer's gradient and an error when training
     * stopped (a non-finite gradient).
     */
    record State(int step, int stepsDone, int since, double[] trainLoss, double[] testLoss, double trainAccuracy, double testAccuracy,
                 double[] window, int gridSize, double[] boundary, double[] points, List<Layer> layers, String stopped) {}

    final Config config;
    final ReentrantLock lock = new ReentrantLock();
    private final PlaygroundNet net;
    private final Optimizer<?> optimizer;
    private final TensorDataset train, test;
    private final Batch trainAll, testAll;
    private final Rng rng;
    private final double[] window;
    private final double[] points;
    private int[] order;
    private int cursor;
    private final List<Double> trainLoss = new ArrayList<>(), testLoss = new ArrayList<>();
    private List<Layer> layers = List.of();
    private String stopped;

    NetworkSession(Config c) {
        this.config = c;
        Rng dataRng = new Rng(c.seed());
        TensorDataset all = c.data().draw(c.points(), c.noise(), dataRng);
        int n = all.size(), nTrain = trainSize(n);
        int[] perm = dataRng.permutation(n);
        train = subset(all, Arrays.copyOf(perm, nTrain));
        test = subset(all, Arrays.copyOfRange(perm, nTrain, n));
        trainAll = train.get(range(train.size()));
        testAll = test.get(range(test.size()));
        rng = new Rng(c.seed() + 1);
        net = new PlaygroundNet(c.depth(), c.width(), c.activation(), c.init(), c.batchNorm(), c.residual(), rng);
        optimizer = c.optimizer().create(net.parameters());
        window = window(all.inputs().data());
        points = new double[4 * n];
        fill(points, 0, trainAll, 0);
        fill(points, 4 * trainAll.size(), testAll, 1);
        record();
    }

    private static TensorDataset subset(TensorDataset all, int[] indices) {
        Batch b = all.get(indices);
        return new TensorDataset(b.inputs(), b.targets());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static void fill(double[] out, int at, Batch b, int isTest) {
        double[] x = b.inputs().data();
        int[] y = b.classes();
        for (int i = 0; i < y.length; i++) {
            out[at + 4 * i] = x[2 * i];
            out[at + 4 * i + 1] = x[2 * i + 1];
            out[at + 4 * i + 2] = y[i];
            out[at + 4 * i + 3] = isTest;
        }
    }

    /** A square window around the points with a 15% margin: {x0, x1, y0, y1}. */
    private static double[] window(double[] xy) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xy.length; i += 2) {
            x0 = Math.min(x0, xy[i]);
            x1 = Math.max(x1, xy[i]);
            y0 = Math.min(y0, xy[i + 1]);
            y1 = Math.max(y1, xy[i + 1]);
        }
        double xc = (x0 + x1) / 2, yc = (y0 + y1) / 2;
        double half = Math.max(x1 - x0, y1 - y0) / 2 * 1.15 + 1e-9;
        return new double[] {xc - half, xc + half, yc - half, yc + half};
    }

    int step() {
        return trainLoss.size() - 1;
    }

    /**
     * Trains up to {@code steps} more steps (bounded as the class comment says) and returns the state with the losses
     * from step {@code since} on. Call with the {@link #lock} held.
     */
    State advance(int steps, int since) {
        long deadline = System.nanoTime() + TIME_BUDGET_MILLIS * 1_000_000;
        int done = 0;
        int budget = Math.min(steps, Math.min(MAX_STEPS_PER_REQUEST, MAX_TOTAL_STEPS - step()));
        while (done < budget && stopped == null && (done == 0 || System.nanoTime() < deadline)) {
            trainStep();
            done++;
        }
        return state(done, Math.min(since, step() + 1));
    }

    private void trainStep() {
        int b = config.batchSize();
        if (order == null || cursor + b > order.length) {
            order = rng.permutation(train.size());
            cursor = 0;
        }
        Batch batch = train.get(Arrays.copyOfRange(order, cursor, cursor + b));
        cursor += b;
        net.train();
        net.zeroGrad();
        try (Tape tape = Tape.record()) {
            tape.backward(Losses.crossEntropy(net.forward(batch.inputs()), batch.classes(), Reduction.MEAN));
        }
        measureLayers();
        try {
            optimizer.step();
        } catch (IllegalStateException e) {
            stopped = "training stopped at step " + (step() + 1) + ": " + e.getMessage();
            return;
        }
        record();
    }

    private void measureLayers() {
        List<Linear> ls = net.linears();
        double[] dead = net.deadFractions();
        double[] norm = new double[ls.size()], toWeight = new double[ls.size()];
        for (int l = 0; l < ls.size(); l++) {
            norm[l] = norm(ls.get(l).weight().grad().data());
            toWeight[l] = norm[l] / norm(ls.get(l).weight().data());
        }
        List<Layer> out = new ArrayList<>();
        for (int l = 0; l < ls.size(); l++) {
            String name = l == ls.size() - 1 ? "out" : "hidden " + (l + 1);
            double ratio = toWeight[l] / toWeight[ls.size() - 1];
            out.add(new Layer(name, norm[l], toWeight[l], dead[l],
                    GradientFlow.verdict(dead[l], ratio, toWeight[l]).name().toLowerCase(Locale.ROOT)));
        }
        layers = out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    /** Appends the full training and test losses in evaluation mode. */
    private void record() {
        net.eval();
        trainLoss.add(Losses.crossEntropy(net.forward(trainAll.inputs()), trainAll.classes(), Reduction.MEAN).item());
        testLoss.add(Losses.crossEntropy(net.forward(testAll.inputs()), testAll.classes(), Reduction.MEAN).item());
    }

    private double accuracy(Batch b) {
        double[] logits = net.forward(b.inputs()).data();
        int[] y = b.classes();
        int right = 0;
        for (int i = 0; i < y.length; i++) if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == y[i]) right++;
        return (double) right / y.length;
    }

    private State state(int done, int since) {
        net.eval();
        int g = BOUNDARY_GRID;
        double[] grid = new double[2 * g * g];
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                grid[2 * (r * g + c)] = window[0] + (window[1] - window[0]) * (c + 0.5) / g;
                grid[2 * (r * g + c) + 1] = window[2] + (window[3] - window[2]) * (r + 0.5) / g;
            }
        }
        double[] p = net.forward(Tensor.of(grid, g * g, 2)).softmax(1).data();
        double[] boundary = new double[g * g];
        for (int i = 0; i < boundary.length; i++) boundary[i] = p[2 * i + 1];
        return new State(step(), done, since, tail(trainLoss, since), tail(testLoss, since), accuracy(trainAll), accuracy(testAll), window, g,
                boundary, points, layers, stopped);
    }

    private static double[] tail(List<Double> values, int from) {
        double[] out = new double[values.size() - from];
        for (int i = 0; i < out.length; i++) out[i] = values.get(from + i);
        return out;
    }
}

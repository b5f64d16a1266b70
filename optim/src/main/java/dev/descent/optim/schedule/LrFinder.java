package dev.descent.optim.schedule;

import dev.descent.core.Tensor;
import dev.descent.optim.Hyperparameters;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.StateDict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017, section
 * 3.3; popularised as fastai's {@code lr_find}): train for a few steps while the learning rate grows exponentially, and
 * read a good learning rate off the loss curve.
 *
 * <p><b>Sweep.</b> Step {@code i} of {@code n} uses, in every group, {@code lr_i = start · (end / start)^(i / (n − 1))}
 * and calls {@link Optimizer#step(Supplier)} with the closure, recording the loss it returns.
 *
 * <p><b>Smoothing.</b> The recorded loss is the bias-corrected exponential moving average of fastai:
 * {@code a_i = β a_{i−1} + (1 − β) loss_i}, {@code s_i = a_i / (1 − β^(i+1))}, with {@code a_{−1} = 0}.
 *
 * <p><b>Stop.</b> The sweep stops early when the loss diverges: when {@code s_i > divergenceFactor · min_{j≤i} s_j}
 * (4 by default, as fastai) or when the loss is not finite. The point that triggered the stop is recorded if finite.
 *
 * <p><b>Suggestion.</b> The learning rate at which the smoothed loss falls fastest with respect to {@code log lr}: the
 * index of the most negative slope {@code ds/d(log lr)}, estimated by central differences (one-sided at the ends, as
 * {@code numpy.gradient}), among the points left after dropping the first {@code skipStart} and the last
 * {@code skipEnd} (fastai v1's defaults 10 and 5, which ignore the warm-up of the average and the blow-up); when fewer
 * than 3 points would remain, no point is dropped. NaN when fewer than 2 points were recorded or when the loss never
 * decreases. This is a heuristic: it points at the middle of the steepest descent, usually an order of magnitude below
 * the divergence.
 *
 * <p><b>Restoring.</b> Whatever happens (even when the closure throws), the parameters' values and gradients and the
 * optimizer's state and hyperparameters (through its {@link Optimizer#stateDict() state dict}) are put back as they
 * were before the test.
 */
public final class LrFinder {
    private LrFinder() {}

    /**
     * The test's settings; {@link #DEFAULTS} holds fastai's.
     *
     * @param startLr the first learning rate, {@code > 0}
     * @param endLr the last learning rate, {@code > startLr}
     * @param numIter the number of steps, {@code >= 2}
     * @param beta the smoothing factor β of the loss, in [0, 1)
     * @param divergenceFactor stop when the smoothed loss exceeds this multiple of its minimum, {@code > 1}
     * @param skipStart points ignored at the start when suggesting
     * @param skipEnd points ignored at the end when suggesting
     */
    public record Options(double startLr, double endLr, int numIter, double beta, double divergenceFactor, int skipStart, int skipEnd) {
        public Options {
            if (!(startLr > 0)) throw new IllegalArgumentException("Expected positive start_lr, but got " + startLr);
            if (!(endLr > startLr)) throw new IllegalArgumentException("Expected end_lr greater than start_lr " + startLr + ", but got " + endLr);
            if (numIter < 2) throw new IllegalArgumentException("Expected num_iter >= 2, but got " + numIter);
            if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("Expected smoothing beta in [0, 1), but got " + beta);
            if (!(divergenceFactor > 1)) throw new IllegalArgumentException("Expected divergence factor > 1, but got " + divergenceFactor);
            if (skipStart < 0 || skipEnd < 0) throw new IllegalArgumentException("Expected non-negative skips, but got " + skipStart + " and " + skipEnd);
        }

        public Options withRange(double startLr, double endLr) {
            return new Options(startLr, endLr, numIter, beta, divergenceFactor, skipStart, skipEnd);
        }

        public Options withNumIter(int numIter) {
            return new Options(startLr, endLr, numIter, beta, divergenceFactor, skipStart, skipEnd);
        }

        public Options withBeta(double beta) {
            return new Options(startLr, endLr, numIter, beta, divergenceFactor, skipStart, skipEnd);
        }

        public Options withDivergenceFactor(double divergenceFactor) {
            return new Options(startLr, endLr, numIter, beta, divergenceFactor, skipStart, skipEnd);
        }

        public Options withSkips(int skipStart, int skipEnd) {
            return new Options(startLr, endLr, numIter, beta, divergenceFactor, skipStart, skipEnd);
        }
    }

    /** fastai's defaults: 1e-7 to 10 over 100 steps, β = 0.98, stop at 4× the best loss, skip 10 and 5 points. */
    public static final Options DEFAULTS = new Options(1e-7, 10, 100, 0.98, 4, 10, 5);

    /**
     * What the test saw.
     *
     * @param lrs the learning rate of each recorded step
     * @param losses the loss the closure returned at each
     * @param smoothedLosses the smoothed loss at each
     * @param diverged whether the sweep stopped early
     * @param suggestionIndex index of the suggested rate in {@code lrs}, or -1
     * @param suggestion the suggested learning rate, or NaN
     */
    public record Result(double[] lrs, double[] losses, double[] smoothedLosses, boolean diverged, int suggestionIndex, double suggestion) {}

    /** The test with {@link #DEFAULTS}. */
    public static <H extends Hyperparameters<H>> Result run(Optimizer<H> optimizer, Supplier<Tensor> closure) {
        return run(optimizer, closure, DEFAULTS);
    }

    /**
     * Runs the test and restores the optimizer and its parameters.
     *
     * @param closure recomputes the loss under a tape, filling the gradients, and returns it (as for
     *     {@link Optimizer#step(Supplier)})
     */
    public static <H extends Hyperparameters<H>> Result run(Optimizer<H> optimizer, Supplier<Tensor> closure, Options options) {
        Objects.requireNonNull(closure, "closure");
        StateDict<H> saved = optimizer.stateDict();
        List<Tensor> params = new ArrayList<>();
        for (ParamGroup<H> g : optimizer.paramGroups()) params.addAll(g.params());
        List<double[]> values = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            values.add(p.toArray());
            grads.add(p.grad() == null ? null : Tensor.of(p.grad().toArray(), p.grad().shape()));
        }
        int n = options.numIter();
        double[] lrs = new double[n], losses = new double[n], smoothed = new double[n];
        int recorded = 0;
        boolean diverged = false;
        try {
            double avg = 0, best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double lr = options.startLr() * Math.pow(options.endLr() / options.startLr(), (double) i / (n - 1));
                for (ParamGroup<H> g : optimizer.paramGroups()) g.setLr(lr);
                double loss = optimizer.step(closure).item();
                if (!Double.isFinite(loss)) {
                    diverged = true;
                    break;
                }
                avg = options.beta() * avg + (1 - options.beta()) * loss;
                double s = avg / (1 - Math.pow(options.beta(), i + 1));
                lrs[recorded] = lr;
                losses[recorded] = loss;
                smoothed[recorded] = s;
                recorded++;
                best = Math.min(best, s);
                if (s > options.divergenceFactor() * best) {
                    diverged = true;
                    break;
                }
            }
        } finally {
            for (int k = 0; k < params.size(); k++) {
                Tensor p = params.get(k);
                System.arraycopy(values.get(k), 0, p.data(), 0, values.get(k).length);
                p.markModified();
                p.setGrad(grads.get(k));
            }
            optimizer.loadStateDict(saved);
        }
        lrs = Arrays.copyOf(lrs, recorded);
        losses = Arrays.copyOf(losses, recorded);
        smoothed = Arrays.copyOf(smoothed, recorded);
        int index = steepest(smoothed, options.skipStart(), options.skipEnd());
        return new Result(lrs, losses, smoothed, diverged, index, index < 0 ? Double.NaN : lrs[index]);
    }

    /**
     * The index of the most negative slope of {@code s} (per unit of index, which is proportional to {@code log lr}),
     * ignoring {@code skipStart} points at the start and {@code skipEnd} at the end unless fewer than 3 would remain;
     * -1 when no slope is negative.
     */
    static int steepest(double[] s, int skipStart, int skipEnd) {
        int n = s.length;
        if (n < 2) return -1;
        int from = skipStart, to = n - skipEnd;
        if (to - from < 3) {
            from = 0;
            to = n;
        }
        int best = -1;
        double steepest = 0;
        for (int i = from; i < to; i++) {
            double slope = i == 0 ? s[1] - s[0] : i == n - 1 ? s[n - 1] - s[n - 2] : (s[i + 1] - s[i - 1]) / 2;
            if (slope < steepest) {
                steepest = slope;
                best = i;
            }
        }
        return best;
    }
}

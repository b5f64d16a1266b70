package dev.descent.optim.schedule;

import dev.descent.core.Stateful;
import dev.descent.core.Tensor;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reduces the learning rate when a metric stops improving, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html">{@code ReduceLROnPlateau}</a>.
 * After each {@link #step(double)}: the metric is an improvement when it beats the best so far by the threshold —
 * {@code a < best·(1 − threshold)} ("min", "rel"), {@code a < best − threshold} ("min", "abs"),
 * {@code a > best·(1 + threshold)} ("max", "rel"), {@code a > best + threshold} ("max", "abs"). Otherwise it is a bad
 * epoch; bad epochs during the cooldown after a reduction are ignored. When there have been more than {@code patience}
 * bad epochs in a row, every group's rate becomes {@code max(lr · factor, minLr)} — unless that changes it by no more
 * than {@code eps} — and the cooldown starts.
 *
 * <p>Not an {@link LrScheduler}: it is driven by a metric, not by the epoch, as in PyTorch.
 */
public final class ReduceLROnPlateau implements Stateful {
    /**
     * The options; {@link #DEFAULTS} holds PyTorch's.
     *
     * @param mode "min" (the metric should decrease) or "max"
     * @param factor {@code new_lr = lr · factor}, {@code < 1}
     * @param patience bad epochs tolerated before reducing
     * @param threshold how much better than the best a metric must be to count as an improvement
     * @param thresholdMode "rel" or "abs"
     * @param cooldown epochs after a reduction during which bad epochs are not counted
     * @param minLr lower bound on every group's rate (see the constructor taking one per group)
     * @param eps reductions smaller than this are skipped
     */
    public record Options(String mode, double factor, int patience, double threshold, String thresholdMode, int cooldown, double minLr, double eps) {
        public Options {
            if (!(factor < 1.0)) throw new IllegalArgumentException("Factor should be < 1.0.");
            if (!"min".equals(mode) && !"max".equals(mode)) throw new IllegalArgumentException("mode " + mode + " is unknown!");
            if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode)) {
                throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
            }
        }

        public Options withMode(String mode) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withFactor(double factor) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withPatience(int patience) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withThreshold(double threshold, String thresholdMode) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withCooldown(int cooldown) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withMinLr(double minLr) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withEps(double eps) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }
    }

    /** PyTorch's defaults: "min", factor 0.1, patience 10, threshold 1e-4 "rel", no cooldown, min lr 0, eps 1e-8. */
    public static final Options DEFAULTS = new Options("min", 0.1, 10, 1e-4, "rel", 0, 0.0, 1e-8);

    private final Optimizer<?> optimizer;
    private final Options options;
    private final double[] minLrs;
    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;
    private double[] lastLr;

    /** PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer<?> optimizer) {
        this(optimizer, DEFAULTS);
    }

    public ReduceLROnPlateau(Optimizer<?> optimizer, Options options) {
        this(optimizer, options, new double[] {options.minLr()});
    }

    /** @param minLrs a lower bound per group (or one for all), replacing {@code options.minLr()} */
    public ReduceLROnPlateau(Optimizer<?> optimizer, Options options, double[] minLrs) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.options = Objects.requireNonNull(options, "options");
        int groups = optimizer.paramGroups().size();
        if (minLrs.length != 1 && minLrs.length != groups) throw new IllegalArgumentException("expected " + groups + " min_lrs, got " + minLrs.length);
        this.minLrs = LrScheduler.perGroup("min_lr", optimizer, minLrs);
        this.best = options.mode().equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastLr = currentLrs();
    }

    /** Records the metric of the epoch just finished and reduces the rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > options.patience()) {
            reduceLr();
            cooldownCounter = options.cooldown();
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        for (int i = 0; i < minLrs.length; i++) { // the groups there were at construction
            double oldLr = groups.get(i).lr();
            double newLr = Math.max(oldLr * options.factor(), minLrs[i]);
            if (oldLr - newLr > options.eps()) groups.get(i).setLr(newLr);
        }
    }

    private boolean isBetter(double a, double best) {
        boolean min = options.mode().equals("min"), rel = options.thresholdMode().equals("rel");
        if (min && rel) return a < best * (1. - options.threshold());
        if (min) return a < best - options.threshold();
        if (rel) return a > best * (options.threshold() + 1.);
        return a > best + options.threshold();
    }

    private double[] currentLrs() {
        return optimizer.paramGroups().stream().limit(minLrs.length).mapToDouble(ParamGroup::lr).toArray();
    }

    /**
     * This scheduler's state, as PyTorch's {@code state_dict()} (the options are fixed at construction).
     *
     * @param lastEpoch the number of metrics seen
     * @param best the best metric so far
     * @param numBadEpochs bad epochs in a row
     * @param cooldownCounter epochs of cooldown left
     * @param lastLr the groups' learning rates after the last step
     */
    public record State(int lastEpoch, double best, int numBadEpochs, int cooldownCounter, double[] lastLr) {
        public State {
            lastLr = lastLr.clone();
        }

        @Override
        public double[] lastLr() {
            return lastLr.clone();
        }
    }

    /** A copy of the counters and the best metric. */
    public State stateDict() {
        return new State(lastEpoch, best, numBadEpochs, cooldownCounter, lastLr);
    }

    /** Restores what {@link #stateDict()} gave; a state for another number of groups is refused and changes nothing. */
    public void loadStateDict(State state) {
        if (state.lastLr().length != minLrs.length) {
            throw new IllegalArgumentException("loaded scheduler state has " + state.lastLr().length + " learning rates, the optimizer "
                    + minLrs.length + " parameter groups");
        }
        lastEpoch = state.lastEpoch();
        best = state.best();
        numBadEpochs = state.numBadEpochs();
        cooldownCounter = state.cooldownCounter();
        lastLr = state.lastLr();
    }

    /** The state as named tensors: {@code last_epoch}, {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_lr}. */
    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(lastEpoch));
        out.put("best", Tensor.scalar(best));
        out.put("num_bad_epochs", Tensor.scalar(numBadEpochs));
        out.put("cooldown_counter", Tensor.scalar(cooldownCounter));
        out.put("last_lr", Tensor.vector(lastLr));
        return out;
    }

    /** Loads what {@link #stateTensors()} gave, strictly and all or nothing ({@code best} may be infinite, not NaN). */
    @Override
    public void loadStateTensors(Map<String, Tensor> t) {
        String what = "ReduceLROnPlateau state";
        Set<String> used = new HashSet<>();
        int epoch = (int) Checks.wholeNumber(what, "last_epoch", Checks.scalar(what, t, used, "last_epoch"), 0);
        double bestSaved = Checks.scalar(what, t, used, "best");
        if (Double.isNaN(bestSaved)) throw new IllegalArgumentException(what + ": 'best' is NaN");
        int bad = (int) Checks.wholeNumber(what, "num_bad_epochs", Checks.scalar(what, t, used, "num_bad_epochs"), 0);
        int cooldown = (int) Checks.wholeNumber(what, "cooldown_counter", Checks.scalar(what, t, used, "cooldown_counter"), 0);
        double[] lrs = Checks.finiteVector(what, t, used, "last_lr", minLrs.length);
        Checks.noOtherKeys(what, t, used);
        loadStateDict(new State(epoch, bestSaved, bad, cooldown, lrs));
    }

    /** The groups' learning rates after the last step (a copy). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The number of metrics seen. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The best metric so far (±∞ before the first). */
    public double best() {
        return best;
    }

    /** Bad epochs in a row so far. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Whether a reduction happened less than {@code cooldown} epochs ago. */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }
}

package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017,
 * arXiv:1506.01186), as <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.CyclicLR.html">{@code CyclicLR}</a>.
 * At batch {@code t}, with {@code S = up + down} and {@code r = up / S}:
 *
 * <pre>
 *   c = ⌊1 + t / S⌋,   x = 1 + t / S − c,   h = x / r  if x ≤ r,  else (x − 1) / (r − 1)
 *   lr = base_lr + (max_lr − base_lr) · h · scale(c or t)
 *   momentum = max_m − (max_m − base_m) · h · scale(c or t)
 * </pre>
 *
 * with {@code scale} 1 ("triangular"), {@code 1 / 2^(c−1)} ("triangular2", per cycle) or {@code γ^t} ("exp_range",
 * per iteration), or a custom {@code scaleFn} evaluated per {@code scaleMode}. Not chainable: computed from the base
 * rates. Construction sets every group's rate to {@code base_lr} (and momentum to {@code base_momentum}), as PyTorch.
 * Momentum cycling (on by default, as PyTorch) needs an optimizer with a {@code momentum} hyperparameter
 * ({@code SGD}, {@code RMSprop}); in PyTorch 1.13 Adam's β₁ is not cycled by this scheduler.
 */
public final class CyclicLR extends LrScheduler {
    /**
     * The options besides the bounds; {@link #DEFAULTS} holds PyTorch's.
     *
     * @param stepSizeUp iterations in the increasing half of a cycle
     * @param stepSizeDown iterations in the decreasing half; null for the same as {@code stepSizeUp}
     * @param mode "triangular", "triangular2" or "exp_range"; ignored when {@code scaleFn} is given
     * @param gamma the base of "exp_range"'s {@code γ^t}
     * @param scaleFn a custom amplitude scaling with values in [0, 1], or null
     * @param scaleMode "cycle" or "iterations": what {@code scaleFn} is a function of (the built-in modes fix it)
     * @param cycleMomentum cycle the momentum inversely to the rate
     * @param baseMomentum lower momentum bound (reached at the peak rate)
     * @param maxMomentum upper momentum bound
     */
    public record Options(int stepSizeUp, Integer stepSizeDown, String mode, double gamma, DoubleUnaryOperator scaleFn, String scaleMode,
            boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        public Options {
            if (scaleFn == null && !List.of("triangular", "triangular2", "exp_range").contains(mode)) {
                throw new IllegalArgumentException("mode is invalid and scale_fn is None");
            }
            if (!"cycle".equals(scaleMode) && !"iterations".equals(scaleMode)) {
                throw new IllegalArgumentException("scale_mode must be one of 'cycle' or 'iterations', instead got " + scaleMode);
            }
        }

        public Options withStepSizes(int stepSizeUp, Integer stepSizeDown) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withMode(String mode) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withGamma(double gamma) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withScaleFn(DoubleUnaryOperator scaleFn, String scaleMode) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withCycleMomentum(boolean cycleMomentum) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        public Options withMomentum(double baseMomentum, double maxMomentum) {
            return new Options(stepSizeUp, stepSizeDown, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }
    }

    /** PyTorch's defaults: 2000 steps up and down, triangular, γ = 1, momentum cycled between 0.8 and 0.9. */
    public static final Options DEFAULTS = new Options(2000, null, "triangular", 1.0, null, "cycle", true, 0.8, 0.9);

    private final double[] maxLrs, baseMomentums, maxMomentums;
    private final double totalSize, stepRatio, gamma;
    private final String mode;
    private final DoubleUnaryOperator scaleFn;
    private final boolean scaleByCycle;
    private final MomentumCycler momentum;

    /** PyTorch's defaults with the same bounds for every group. */
    public CyclicLR(Optimizer<?> optimizer, double baseLr, double maxLr) {
        this(optimizer, new double[] {baseLr}, new double[] {maxLr}, DEFAULTS);
    }

    /** @param baseLrs lower bounds, one for all groups or one per group; {@code maxLrs} likewise the upper bounds */
    public CyclicLR(Optimizer<?> optimizer, double[] baseLrs, double[] maxLrs, Options options) {
        super(setLrs(optimizer, perGroup("base_lr", optimizer, baseLrs)));
        double[] bases = perGroup("base_lr", optimizer, baseLrs);
        this.maxLrs = perGroup("max_lr", optimizer, maxLrs);
        double up = options.stepSizeUp(), down = options.stepSizeDown() != null ? options.stepSizeDown() : up;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        this.mode = options.mode();
        this.gamma = options.gamma();
        this.scaleFn = options.scaleFn();
        this.scaleByCycle = scaleFn != null ? options.scaleMode().equals("cycle") : !mode.equals("exp_range");
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        if (options.cycleMomentum()) {
            this.momentum = MomentumCycler.momentumOf(optimizer);
            if (momentum == null) throw Momentum.unsupported();
            this.baseMomentums = perGroup("base_momentum", optimizer, new double[] {options.baseMomentum()});
            for (int i = 0; i < groups.size(); i++) momentum.set(i, baseMomentums[i]);
            this.maxMomentums = perGroup("max_momentum", optimizer, new double[] {options.maxMomentum()});
        } else {
            this.momentum = null;
            this.baseMomentums = this.maxMomentums = null;
        }
        initialStep();
        System.arraycopy(bases, 0, this.baseLrs, 0, bases.length);
    }

    private static Optimizer<?> setLrs(Optimizer<?> optimizer, double[] lrs) {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(lrs[i]);
        return optimizer;
    }

    private double scale(double x) {
        if (scaleFn != null) return scaleFn.applyAsDouble(x);
        return switch (mode) {
            case "triangular" -> 1.;
            case "triangular2" -> 1 / Math.pow(2., x - 1);
            default -> Math.pow(gamma, x);
        };
    }

    @Override
    protected double[] computeLr() {
        double cycle = Math.floor(1 + lastEpoch / totalSize);
        double x = 1. + lastEpoch / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double s = scale(scaleByCycle ? cycle : lastEpoch);
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            double baseHeight = (maxLrs[i] - baseLrs[i]) * scaleFactor;
            lrs[i] = baseLrs[i] + baseHeight * s;
        }
        if (momentum != null) {
            for (int i = 0; i < lrs.length; i++) {
                double baseHeight = (maxMomentums[i] - baseMomentums[i]) * scaleFactor;
                momentum.set(i, maxMomentums[i] - baseHeight * s);
            }
        }
        return lrs;
    }
}

package dev.descent.optim.schedule;

import dev.descent.optim.Hyperparameters;
import dev.descent.optim.Optimizer;
import java.util.List;

/**
 * The 1cycle policy (Smith and Topin, "Super-Convergence: Very Fast Training of Neural Networks Using Large Learning
 * Rates", 2017, arXiv:1708.07120), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.OneCycleLR.html">{@code OneCycleLR}</a>.
 * With {@code N} total steps, {@code p = pctStart}, initial rate {@code η₀ = maxLr / divFactor} and final rate
 * {@code η_min = η₀ / finalDivFactor}, the rate is annealed
 *
 * <pre>
 *   two phases (default, as fastai):  η₀ → maxLr over steps [0, pN − 1],   maxLr → η_min up to step N − 1
 *   three phases (the paper):         η₀ → maxLr over [0, pN − 1],  maxLr → η₀ over [pN − 1, 2pN − 2],  η₀ → η_min up to N − 1
 * </pre>
 *
 * each piece by {@code anneal(a, b, q) = b + (a − b)(1 + cos πq) / 2} ("cos") or {@code a + (b − a) q} ("linear") with
 * {@code q} the fraction of the piece done. The momentum (or Adam's β₁) moves inversely, between {@code maxMomentum}
 * and {@code baseMomentum}. Not chainable: the rates are computed from the group's {@code η₀, maxLr, η_min}. Stepping
 * past {@code N} throws, as PyTorch.
 */
public final class OneCycleLR extends LrScheduler {
    /**
     * The options besides the peak rate and the number of steps; {@link #DEFAULTS} holds PyTorch's.
     *
     * @param pctStart fraction of the cycle spent increasing the rate, in [0, 1]
     * @param annealStrategy "cos" or "linear"
     * @param cycleMomentum cycle the momentum (or β₁) inversely to the rate
     * @param baseMomentum momentum at the peak rate
     * @param maxMomentum momentum at the start and the end
     * @param divFactor {@code η₀ = maxLr / divFactor}
     * @param finalDivFactor {@code η_min = η₀ / finalDivFactor}
     * @param threePhase the paper's schedule (back down to η₀ symmetrically, then to η_min) instead of fastai's two phases
     */
    public record Options(double pctStart, String annealStrategy, boolean cycleMomentum, double baseMomentum, double maxMomentum,
            double divFactor, double finalDivFactor, boolean threePhase) {
        public Options {
            if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + pctStart);
            if (!"cos".equals(annealStrategy) && !"linear".equals(annealStrategy)) {
                throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + annealStrategy);
            }
        }

        public Options withPctStart(double pctStart) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withAnnealStrategy(String annealStrategy) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withCycleMomentum(boolean cycleMomentum) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withMomentum(double baseMomentum, double maxMomentum) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withDivFactors(double divFactor, double finalDivFactor) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        public Options withThreePhase(boolean threePhase) {
            return new Options(pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }
    }

    /** PyTorch's defaults: 30% warm-up, cosine annealing, momentum 0.95 → 0.85 → 0.95, div factors 25 and 1e4, two phases. */
    public static final Options DEFAULTS = new Options(0.3, "cos", true, 0.85, 0.95, 25., 1e4, false);

    private record Phase(double endStep, int startLr, int endLr, int startMomentum, int endMomentum) {}

    // indices into the per-group values
    private static final int INITIAL = 0, MAX = 1, MIN = 2;

    private final int totalSteps;
    private final List<Phase> phases;
    private final boolean cos;
    private final MomentumCycler momentum;
    private final double[][] lrValues, momentumValues; // [group][INITIAL|MAX|MIN], [group][BASE=0|MAX=1]

    /** PyTorch's defaults with one peak rate for every group. */
    public OneCycleLR(Optimizer<?> optimizer, double maxLr, int totalSteps) {
        this(optimizer, new double[] {maxLr}, totalSteps, DEFAULTS);
    }

    /**
     * @param maxLrs the peak rate, one for all groups or one per group
     * @param totalSteps steps in the cycle, {@code > 0} (PyTorch's {@code total_steps}; for {@code epochs} and
     *     {@code steps_per_epoch} pass their product)
     */
    public OneCycleLR(Optimizer<?> optimizer, double[] maxLrs, int totalSteps, Options options) {
        this(optimizer, maxLrs, totalSteps, options, options.cycleMomentum() ? MomentumCycler.beta1OrMomentumOf(optimizer) : null);
    }

    /**
     * As above, with an explicit momentum strategy for an optimizer this module does not know.
     *
     * @param <H> the optimizer's hyperparameter record
     */
    public <H extends Hyperparameters<H>> OneCycleLR(Optimizer<H> optimizer, double[] maxLrs, int totalSteps, Options options, Momentum<H> momentum) {
        this(optimizer, maxLrs, totalSteps, options, MomentumCycler.of(optimizer, momentum));
    }

    private OneCycleLR(Optimizer<?> optimizer, double[] maxLrs, int totalSteps, Options options, MomentumCycler momentum) {
        super(optimizer);
        if (totalSteps <= 0) throw new IllegalArgumentException("Expected positive integer total_steps, but got " + totalSteps);
        if (options.cycleMomentum() && momentum == null) throw Momentum.unsupported();
        this.totalSteps = totalSteps;
        this.cos = options.annealStrategy().equals("cos");
        this.momentum = options.cycleMomentum() ? momentum : null;
        double p = options.pctStart();
        this.phases = options.threePhase()
                ? List.of(new Phase(p * totalSteps - 1, INITIAL, MAX, 1, 0), new Phase(2 * p * totalSteps - 2, MAX, INITIAL, 0, 1),
                        new Phase(totalSteps - 1, INITIAL, MIN, 1, 1))
                : List.of(new Phase(p * totalSteps - 1, INITIAL, MAX, 1, 0), new Phase(totalSteps - 1, MAX, MIN, 0, 1));
        double[] max = perGroup("max_lr", optimizer, maxLrs);
        int groups = max.length;
        lrValues = new double[groups][];
        momentumValues = new double[groups][];
        double[] initial = new double[groups];
        for (int i = 0; i < groups; i++) {
            initial[i] = max[i] / options.divFactor();
            lrValues[i] = new double[] {initial[i], max[i], initial[i] / options.finalDivFactor()};
            momentumValues[i] = new double[] {options.baseMomentum(), options.maxMomentum()};
        }
        InitialLr.set(optimizer, initial);
        System.arraycopy(initial, 0, baseLrs, 0, groups);
        initialStep();
    }

    private double anneal(double start, double end, double pct) {
        return cos ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    @Override
    public void step() {
        if (lastEpoch + 1 > totalSteps) {
            throw new IllegalStateException("Tried to step " + (lastEpoch + 2) + " times. The specified number of total steps is " + totalSteps);
        }
        super.step();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[lrValues.length];
        int stepNum = lastEpoch;
        for (int g = 0; g < lrs.length; g++) {
            double startStep = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                    lrs[g] = anneal(lrValues[g][phase.startLr()], lrValues[g][phase.endLr()], pct);
                    if (momentum != null) {
                        double m = anneal(momentumValues[g][phase.startMomentum()], momentumValues[g][phase.endMomentum()], pct);
                        momentum.set(g, m);
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }

    /** The number of steps in the cycle. */
    public int totalSteps() {
        return totalSteps;
    }
}

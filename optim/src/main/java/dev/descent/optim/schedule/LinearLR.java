package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Scales each group's learning rate by a factor moving linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs (a linear warmup when {@code startFactor < endFactor}), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.LinearLR.html">{@code LinearLR}</a>.
 * Chainable form: {@code lr ← lr · s} at epoch 0, then for {@code 0 < t ≤ T}
 *
 * <pre>
 *   lr ← lr · (1 + (e − s) / (T s + (t − 1)(e − s)))
 * </pre>
 *
 * and unchanged after {@code T}; alone, {@code lr_t = base · (s + (e − s) min(t, T) / T)}.
 */
public final class LinearLR extends LrScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    /** PyTorch's defaults: start factor 1/3, end factor 1, 5 iterations. */
    public LinearLR(Optimizer<?> optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    /**
     * @param startFactor factor at epoch 0, in (0, 1] (PyTorch 1.13 accepts 0, then divides by zero at epoch 1)
     * @param endFactor factor from epoch {@code totalIters} on, in [0, 1]
     * @param totalIters epochs over which the factor changes
     */
    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1.0)) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        }
        if (!(endFactor >= 0 && endFactor <= 1.0)) throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        double factor = 1. + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= factor;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] *= startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        }
        return lrs;
    }
}

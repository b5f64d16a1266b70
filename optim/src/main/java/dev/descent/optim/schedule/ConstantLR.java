package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Scales each group's learning rate by a constant {@code factor} for the first {@code totalIters} epochs, then
 * restores it, as <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ConstantLR.html">{@code ConstantLR}</a>.
 * Chainable form: {@code lr ← lr · f} at epoch 0, {@code lr ← lr · (1 / f)} at epoch {@code T}, unchanged otherwise.
 */
public final class ConstantLR extends LrScheduler {
    private final double factor;
    private final int totalIters;

    /** PyTorch's defaults: factor 1/3 for 5 epochs. */
    public ConstantLR(Optimizer<?> optimizer) {
        this(optimizer, 1.0 / 3, 5);
    }

    /**
     * @param factor in (0, 1] (PyTorch accepts 0, then divides by zero at epoch {@code totalIters})
     * @param totalIters epochs during which the rate is scaled
     */
    public ConstantLR(Optimizer<?> optimizer, double factor, int totalIters) {
        super(optimizer);
        if (!(factor > 0 && factor <= 1.0)) throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= factor;
        } else if (lastEpoch == totalIters) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= 1.0 / factor;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= factor + (lastEpoch >= totalIters ? 1 - factor : 0);
        return lrs;
    }
}

package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.StepLR.html">{@code StepLR}</a>.
 * Recursively, at epoch {@code t}: {@code lr ← lr · γ} when {@code t > 0} and {@code t mod stepSize = 0}, otherwise
 * unchanged; alone it gives {@code lr_t = base · γ^⌊t / stepSize⌋}.
 */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    /** PyTorch's default {@code gamma = 0.1}. */
    public StepLR(Optimizer<?> optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * @param stepSize period of the decay in epochs, {@code > 0} (PyTorch does not check; a non-positive period fails
     *     there with a division by zero)
     * @param gamma multiplicative factor, {@code > 0}
     */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("Expected positive integer step_size, but got " + stepSize);
        Checks.positiveGamma(gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }
}

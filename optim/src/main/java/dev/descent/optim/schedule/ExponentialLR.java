package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ExponentialLR.html">{@code ExponentialLR}</a>:
 * {@code lr ← lr · γ} for {@code t > 0}; alone, {@code lr_t = base · γ^t}.
 */
public final class ExponentialLR extends LrScheduler {
    private final double gamma;

    /** @param gamma multiplicative factor per epoch, {@code > 0} (PyTorch has no default and no check) */
    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        super(optimizer);
        Checks.positiveGamma(gamma);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, lastEpoch);
        return lrs;
    }
}

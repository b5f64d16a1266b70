package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Polynomial decay of each group's learning rate to zero over {@code totalIters} epochs, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.PolynomialLR.html">{@code PolynomialLR}</a>
 * (new in PyTorch 1.13). Chainable form, for {@code 0 < t ≤ T}:
 *
 * <pre>
 *   lr ← lr · ((1 − t / T) / (1 − (t − 1) / T))^p
 * </pre>
 *
 * unchanged at 0 and after {@code T}; alone, {@code lr_t = base · (1 − min(t, T) / T)^p}.
 */
public final class PolynomialLR extends LrScheduler {
    private final int totalIters;
    private final double power;

    /** PyTorch's defaults: 5 iterations, power 1 (linear decay). */
    public PolynomialLR(Optimizer<?> optimizer) {
        this(optimizer, 5, 1.0);
    }

    /** @param totalIters epochs to reach zero, {@code > 0} (PyTorch does not check) */
    public PolynomialLR(Optimizer<?> optimizer, int totalIters, double power) {
        super(optimizer);
        Checks.positive(totalIters, "total_iters");
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) return lrs;
        double decay = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= decay;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        return lrs;
    }
}

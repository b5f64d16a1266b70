package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;

/**
 * Cosine annealing from each group's base rate {@code η_max} to {@code etaMin} over {@code tMax} epochs, the annealing
 * half of SGDR (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017), as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html">{@code CosineAnnealingLR}</a>.
 * PyTorch's chainable form, at epoch {@code t > 0}:
 *
 * <pre>
 *   η ← η + (η_max − η_min)(1 − cos(π / T_max)) / 2                      if (t − 1 − T_max) mod 2T_max = 0
 *   η ← η_min + (η − η_min) · (1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max))   otherwise
 * </pre>
 *
 * Alone (nothing else changing the rate) this is the closed form {@code η_t = η_min + (η_max − η_min)(1 + cos(π t / T_max)) / 2},
 * up to rounding — the recursion is what PyTorch computes, so it is what is computed here. Past {@code tMax} the
 * rate climbs back (the cosine continues); it does not restart — see {@link CosineAnnealingWarmRestarts}.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final int tMax;
    private final double etaMin;

    /** PyTorch's default {@code eta_min = 0}. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    /** @param tMax half period in epochs, {@code > 0} (PyTorch does not check; 0 divides by zero there) */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        super(optimizer);
        Checks.positive(tMax, "T_max");
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax)) * (lrs[i] - etaMin) + etaMin;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lrs;
    }
}

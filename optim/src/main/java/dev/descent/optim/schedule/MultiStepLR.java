package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import java.util.Arrays;

/**
 * Multiplies each group's learning rate by {@code gamma} at each milestone epoch, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.MultiStepLR.html">{@code MultiStepLR}</a>.
 * Recursively, at epoch {@code t}: {@code lr ← lr · γ^c(t)} with {@code c(t)} the number of times {@code t} appears
 * among the milestones (a repeated milestone decays twice, as PyTorch's {@code Counter}); alone it gives
 * {@code lr_t = base · γ^(number of milestones ≤ t)}.
 */
public final class MultiStepLR extends LrScheduler {
    private final int[] milestones;
    private final double gamma;

    /** PyTorch's default {@code gamma = 0.1}. */
    public MultiStepLR(Optimizer<?> optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    /** @param milestones epoch indices, in increasing order */
    public MultiStepLR(Optimizer<?> optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        Checks.positiveGamma(gamma);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch, boolean upTo) {
        int c = 0;
        for (int m : milestones) if (upTo ? m <= epoch : m == epoch) c++;
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int c = count(lastEpoch, false);
        if (c == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, c);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, count(lastEpoch, true));
        return lrs;
    }
}

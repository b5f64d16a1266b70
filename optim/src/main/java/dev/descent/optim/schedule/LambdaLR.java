package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import java.util.List;

/**
 * Sets each group's learning rate to its base rate times a factor given by a function of the epoch, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.LambdaLR.html">{@code LambdaLR}</a>:
 * {@code lr_t = base · λ(t)}. The factor is a {@link Schedule}, so any composed schedule can drive an optimizer:
 * {@code new LambdaLR(opt, Schedule.warmupCosineDecay(0, 1, 10, 100, 0))}.
 */
public final class LambdaLR extends LrScheduler {
    private final List<Schedule> lambdas;

    /** One factor function for every group. */
    public LambdaLR(Optimizer<?> optimizer, Schedule lrLambda) {
        this(optimizer, Checks.forEveryGroup(optimizer, lrLambda));
    }

    /** One factor function per group. */
    public LambdaLR(Optimizer<?> optimizer, List<Schedule> lrLambdas) {
        super(optimizer);
        this.lambdas = Checks.onePerGroup(optimizer, lrLambdas);
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= lambdas.get(i).at(lastEpoch);
        return lrs;
    }
}

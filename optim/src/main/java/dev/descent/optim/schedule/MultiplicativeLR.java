package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import java.util.List;

/**
 * Multiplies each group's learning rate by a factor given by a function of the epoch, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.MultiplicativeLR.html">{@code MultiplicativeLR}</a>:
 * {@code lr_t = lr_{t−1} · λ(t)} for {@code t > 0} and {@code lr_0} the group's rate; alone,
 * {@code lr_t = base · λ(1) · λ(2) ⋯ λ(t)}. Where {@link LambdaLR} scales the base rate, this scales the current one,
 * so it chains with other schedulers; {@code new MultiplicativeLR(opt, Schedule.constant(0.95))} is
 * {@link ExponentialLR} with {@code γ = 0.95}. As in PyTorch, stepping to an explicit epoch also multiplies the
 * current rate (there is no closed form).
 */
public final class MultiplicativeLR extends LrScheduler {
    private final List<Schedule> lambdas;

    /** One factor function for every group. */
    public MultiplicativeLR(Optimizer<?> optimizer, Schedule lrLambda) {
        this(optimizer, Checks.forEveryGroup(optimizer, lrLambda));
    }

    /** One factor function per group. */
    public MultiplicativeLR(Optimizer<?> optimizer, List<Schedule> lrLambdas) {
        super(optimizer);
        this.lambdas = Checks.onePerGroup(optimizer, lrLambdas);
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= lambdas.get(i).at(lastEpoch);
        return lrs;
    }
}

package dev.descent.optim.schedule;

import dev.descent.optim.Hyperparameters;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.List;

/**
 * Sets the momentum (or β₁) of an optimizer's groups through a {@link Momentum} strategy of the same hyperparameter
 * type, so that the cycling schedulers need no type parameter of their own.
 */
final class MomentumCycler {
    private final Setter setter;

    private interface Setter {
        void set(int group, double value);
    }

    private MomentumCycler(Setter setter) {
        this.setter = setter;
    }

    /** A cycler through {@code momentum}, or null when it is null. */
    static <H extends Hyperparameters<H>> MomentumCycler of(Optimizer<H> optimizer, Momentum<H> momentum) {
        if (momentum == null) return null;
        List<ParamGroup<H>> groups = optimizer.paramGroups();
        return new MomentumCycler((g, v) -> groups.get(g).setOptions(momentum.with(groups.get(g).options(), v)));
    }

    /** Through PyTorch's {@code momentum} entry ({@link Momentum#momentumOf}), or null when the optimizer has none. */
    static MomentumCycler momentumOf(Optimizer<?> optimizer) {
        return momentumOfCaptured(optimizer);
    }

    private static <H extends Hyperparameters<H>> MomentumCycler momentumOfCaptured(Optimizer<H> optimizer) {
        return of(optimizer, Momentum.momentumOf(optimizer));
    }

    /** Through β₁ when the optimizer has betas, else through its {@code momentum}, else null (OneCycleLR's choice). */
    static MomentumCycler beta1OrMomentumOf(Optimizer<?> optimizer) {
        return beta1OrMomentumOfCaptured(optimizer);
    }

    private static <H extends Hyperparameters<H>> MomentumCycler beta1OrMomentumOfCaptured(Optimizer<H> optimizer) {
        Momentum<H> beta1 = Momentum.beta1Of(optimizer);
        return of(optimizer, beta1 != null ? beta1 : Momentum.momentumOf(optimizer));
    }

    /** Sets group {@code group}'s momentum (or β₁) to {@code value}. */
    void set(int group, double value) {
        setter.set(group, value);
    }
}

package dev.descent.optim.schedule;

import dev.descent.optim.AdaBelief;
import dev.descent.optim.Adam;
import dev.descent.optim.Adamax;
import dev.descent.optim.Hyperparameters;
import dev.descent.optim.LAMB;
import dev.descent.optim.LARS;
import dev.descent.optim.Lion;
import dev.descent.optim.NAdam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.RAdam;
import dev.descent.optim.RMSprop;
import dev.descent.optim.SGD;
import dev.descent.optim.Yogi;

/**
 * How a cycling scheduler ({@link OneCycleLR}, {@link CyclicLR}) reads and replaces the momentum of a parameter group:
 * PyTorch's {@code group['momentum']}, or the first entry of {@code group['betas']}. The hyperparameter records stay
 * unaware of schedulers; this strategy knows the optimizers of this module, and any other optimizer can be given one
 * explicitly.
 *
 * @param <H> the optimizer's hyperparameter record
 */
public interface Momentum<H extends Hyperparameters<H>> {
    /** The momentum (or β₁) in {@code options}. */
    double get(H options);

    /** A copy of {@code options} with momentum (or β₁) {@code value}. */
    H with(H options, double value);

    /**
     * The {@code momentum} hyperparameter of {@code optimizer}'s options ({@link SGD}, {@link RMSprop}, {@link LARS}), or null when
     * they have none — PyTorch's {@code 'momentum' in optimizer.defaults}.
     */
    @SuppressWarnings("unchecked")
    static <H extends Hyperparameters<H>> Momentum<H> momentumOf(Optimizer<H> optimizer) {
        Object d = optimizer.defaults();
        Momentum<?> m = switch (d) {
            case SGD.Options _ -> Momentum.<SGD.Options>of(SGD.Options::momentum, SGD.Options::withMomentum);
            case RMSprop.Options _ -> Momentum.<RMSprop.Options>of(RMSprop.Options::momentum, RMSprop.Options::withMomentum);
            case LARS.Options _ -> Momentum.<LARS.Options>of(LARS.Options::momentum, LARS.Options::withMomentum);
            default -> null;
        };
        return (Momentum<H>) m;
    }

    /**
     * β₁ of {@code optimizer}'s options ({@link Adam}, {@code AdamW}, {@link Adamax}, {@link NAdam}, {@link RAdam},
     * {@link Lion}, {@link LAMB}, {@link AdaBelief}, {@link Yogi}), or null when they have no betas — PyTorch's {@code 'betas' in optimizer.defaults}.
     */
    @SuppressWarnings("unchecked")
    static <H extends Hyperparameters<H>> Momentum<H> beta1Of(Optimizer<H> optimizer) {
        Object d = optimizer.defaults();
        Momentum<?> m = switch (d) {
            case Adam.Options _ -> Momentum.<Adam.Options>of(Adam.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case Adamax.Options _ -> Momentum.<Adamax.Options>of(Adamax.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case NAdam.Options _ -> Momentum.<NAdam.Options>of(NAdam.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case RAdam.Options _ -> Momentum.<RAdam.Options>of(RAdam.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case Lion.Options _ -> Momentum.<Lion.Options>of(Lion.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case LAMB.Options _ -> Momentum.<LAMB.Options>of(LAMB.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case AdaBelief.Options _ -> Momentum.<AdaBelief.Options>of(AdaBelief.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            case Yogi.Options _ -> Momentum.<Yogi.Options>of(Yogi.Options::beta1, (x, b) -> x.withBetas(b, x.beta2()));
            default -> null;
        };
        return (Momentum<H>) m;
    }

    /** A strategy from a getter and a wither. */
    static <H extends Hyperparameters<H>> Momentum<H> of(java.util.function.ToDoubleFunction<H> getter, java.util.function.BiFunction<H, Double, H> wither) {
        return new Momentum<>() {
            @Override
            public double get(H options) {
                return getter.applyAsDouble(options);
            }

            @Override
            public H with(H options, double value) {
                return wither.apply(options, value);
            }
        };
    }

    /** The error PyTorch raises when momentum cycling is asked of an optimizer without momentum. */
    static IllegalArgumentException unsupported() {
        return new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
    }
}

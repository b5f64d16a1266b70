package dev.descent.optim;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every optimizer, configured so that all of its state is in use and a 50-step Rosenbrock run stays finite. */
final class Optimizers {
    private Optimizers() {}

    private static Arguments of(String name, Function<List<Tensor>, Optimizer<?>> make) {
        return Arguments.of(name, make);
    }

    static Stream<Arguments> all() {
        return Stream.of(
                of("SGD nesterov", ps -> new SGD(ps, SGD.Options.lr(1e-3).withMomentum(0.9).withNesterov(true).withWeightDecay(0.1))),
                of("Adam amsgrad", ps -> new Adam(ps, Adam.DEFAULTS.withLr(0.05).withAmsgrad(true))),
                of("AdamW", ps -> new AdamW(ps, AdamW.DEFAULTS.withLr(0.05))),
                of("Adagrad lrDecay", ps -> new Adagrad(ps, Adagrad.DEFAULTS.withLr(0.1).withLrDecay(0.01).withInitialAccumulatorValue(0.1))),
                of("RMSprop centered momentum", ps -> new RMSprop(ps, RMSprop.DEFAULTS.withLr(1e-3).withMomentum(0.9).withCentered(true))),
                of("Adadelta", Adadelta::new),
                of("Adamax", ps -> new Adamax(ps, Adamax.DEFAULTS.withLr(0.05))),
                of("RAdam", RAdam::new),
                of("NAdam", ps -> new NAdam(ps, NAdam.DEFAULTS.withLr(0.05))),
                of("ASGD averaging", ps -> new ASGD(ps, ASGD.DEFAULTS.withLr(1e-3).withT0(10))),
                of("Rprop", Rprop::new),
                of("Lion", ps -> new Lion(ps, Lion.DEFAULTS.withLr(1e-3))),
                of("AdaBelief decay", ps -> new AdaBelief(ps, AdaBelief.DEFAULTS.withLr(0.05).withWeightDecay(0.1))),
                of("Yogi", Yogi::new),
                of("LAMB", ps -> new LAMB(ps, LAMB.DEFAULTS.withLr(0.01))),
                of("LARS", ps -> new LARS(ps, LARS.DEFAULTS.withLr(0.5))),
                of("Adafactor", Adafactor::new));
    }
}

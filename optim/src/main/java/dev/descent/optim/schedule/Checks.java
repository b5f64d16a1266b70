package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Argument checks shared by the schedulers, with messages in PyTorch's style. */
final class Checks {
    private Checks() {}

    /**
     * {@code gamma > 0}. PyTorch does not check it; a zero or negative factor makes the learning rate zero or negative,
     * which the optimizers reject anyway, so it is refused here where the mistake is made.
     */
    static void positiveGamma(double gamma) {
        if (!(gamma > 0)) throw new IllegalArgumentException("Expected positive gamma, but got " + gamma);
    }

    static void positive(int value, String name) {
        if (value <= 0) throw new IllegalArgumentException("Expected positive integer " + name + ", but got " + value);
    }

    /** {@code lrLambda} once for each of {@code optimizer}'s groups. */
    static List<Schedule> forEveryGroup(Optimizer<?> optimizer, Schedule lrLambda) {
        return Collections.nCopies(optimizer.paramGroups().size(), Objects.requireNonNull(lrLambda, "lrLambda"));
    }

    /** A copy of {@code lrLambdas}, checked to hold one function per group of {@code optimizer}. */
    static List<Schedule> onePerGroup(Optimizer<?> optimizer, List<Schedule> lrLambdas) {
        if (lrLambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got " + lrLambdas.size());
        }
        return List.copyOf(lrLambdas);
    }
}

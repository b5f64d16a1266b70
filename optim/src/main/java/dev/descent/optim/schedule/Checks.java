package dev.descent.optim.schedule;

import dev.descent.core.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
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

    /** The 0-dimensional tensor {@code key} of a saved state, marked as used; names {@code what} and the key otherwise. */
    static double scalar(String what, Map<String, Tensor> state, Set<String> used, String key) {
        Tensor t = state.get(key);
        if (t == null) throw new IllegalArgumentException(what + ": missing key '" + key + "'");
        if (t.dim() != 0) throw new IllegalArgumentException(what + ": '" + key + "' must be a scalar, got shape " + Arrays.toString(t.shape()));
        used.add(key);
        return t.item();
    }

    /** {@code v} as a whole number in [{@code min}, 2^31 - 1]. */
    static long wholeNumber(String what, String key, double v, int min) {
        if (!(v >= min && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
            throw new IllegalArgumentException(what + ": '" + key + "' is " + v + ", expected a whole number from " + min + " to " + Integer.MAX_VALUE);
        }
        return (long) v;
    }

    /** The vector {@code key} of {@code length} finite values, marked as used. */
    static double[] finiteVector(String what, Map<String, Tensor> state, Set<String> used, String key, int length) {
        Tensor t = state.get(key);
        if (t == null) throw new IllegalArgumentException(what + ": missing key '" + key + "'");
        if (t.dim() != 1 || t.size() != length) {
            throw new IllegalArgumentException(what + ": '" + key + "' has shape " + Arrays.toString(t.shape()) + ", expected [" + length + "]");
        }
        double[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) throw new IllegalArgumentException(what + ": '" + key + "' element " + i + " is " + v[i] + ", expected a finite number");
        }
        used.add(key);
        return v;
    }

    /** Throws naming the first key of {@code state} not in {@code used}. */
    static void noOtherKeys(String what, Map<String, Tensor> state, Set<String> used) {
        for (String key : state.keySet()) {
            if (!used.contains(key)) throw new IllegalArgumentException(what + ": unexpected key '" + key + "'");
        }
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

package dev.descent.optim.schedule;

import java.util.List;
import java.util.Objects;

/**
 * A schedule: a pure function from the step count ({@code 0, 1, 2, …}) to a value, usually a learning rate or a factor
 * on one, as optax's schedules. Schedules hold no state and are composed from smaller ones:
 *
 * <pre>{@code
 * Schedule lr = Schedule.linear(0, 1e-3, 500).then(500, Schedule.cosineDecay(1e-3, 9_500, 0.0));
 * double at = lr.at(step);
 * }</pre>
 *
 * To drive an optimizer's groups with a schedule, use it as the factor of a {@link LambdaLR}. Negative steps are
 * treated as 0 by the built-in schedules.
 */
@FunctionalInterface
public interface Schedule {
    /** The value at {@code step}. */
    double at(long step);

    // ---------------------------------------------------------------- building blocks

    /** {@code value} at every step. */
    static Schedule constant(double value) {
        return step -> value;
    }

    /**
     * Linear interpolation from {@code init} to {@code end} over {@code steps} steps, then {@code end} (optax's
     * {@code linear_schedule}): {@code init + (end − init) · min(t, steps) / steps}.
     */
    static Schedule linear(double init, double end, long steps) {
        requirePositive(steps, "steps");
        return step -> init + (end - init) * clamp(step, steps) / steps;
    }

    /**
     * Polynomial decay from {@code init} to {@code end} over {@code steps} steps (optax's {@code polynomial_schedule}):
     * {@code (init − end)(1 − min(t, steps) / steps)^power + end}.
     */
    static Schedule polynomial(double init, double end, double power, long steps) {
        requirePositive(steps, "steps");
        return step -> (init - end) * Math.pow(1 - (double) clamp(step, steps) / steps, power) + end;
    }

    /**
     * Cosine decay from {@code init} to {@code alpha · init} over {@code steps} steps, then constant (optax's
     * {@code cosine_decay_schedule}; Loshchilov and Hutter, SGDR, ICLR 2017):
     * {@code init · ((1 − α)(1 + cos(π min(t, steps) / steps)) / 2 + α)}.
     */
    static Schedule cosineDecay(double init, long steps, double alpha) {
        requirePositive(steps, "steps");
        return step -> init * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * clamp(step, steps) / steps)) + alpha);
    }

    /**
     * Exponential decay (optax's {@code exponential_decay} without a delayed start): {@code init · rate^(t / every)},
     * with the exponent rounded down when {@code staircase}.
     */
    static Schedule exponentialDecay(double init, long every, double rate, boolean staircase) {
        requirePositive(every, "transition steps");
        if (!(rate > 0)) throw new IllegalArgumentException("Expected positive decay rate, but got " + rate);
        return step -> {
            double p = (double) Math.max(step, 0) / every;
            return init * Math.pow(rate, staircase ? Math.floor(p) : p);
        };
    }

    /** Step decay, {@code init · γ^⌊t / every⌋} (what {@link StepLR} gives when alone). */
    static Schedule stepDecay(double init, long every, double gamma) {
        return exponentialDecay(init, every, gamma, true);
    }

    /**
     * Piecewise constant (optax's {@code piecewise_constant_schedule}): {@code init}, multiplied by {@code scales[k]}
     * from step {@code boundaries[k]} on, the products accumulating.
     */
    static Schedule piecewiseConstant(double init, long[] boundaries, double[] scales) {
        if (boundaries.length != scales.length) {
            throw new IllegalArgumentException("piecewiseConstant: " + boundaries.length + " boundaries but " + scales.length + " scales");
        }
        long[] b = boundaries.clone();
        double[] s = scales.clone();
        return step -> {
            double v = init;
            for (int k = 0; k < b.length; k++) if (step >= b[k]) v *= s[k];
            return v;
        };
    }

    // ---------------------------------------------------------------- combinators

    /**
     * Runs {@code schedules[k]} from step {@code boundaries[k−1]} on, each restarted at its own step 0 (optax's
     * {@code join_schedules}). Needs one boundary fewer than schedules, increasing.
     */
    static Schedule join(List<Schedule> schedules, long[] boundaries) {
        if (schedules.isEmpty() || boundaries.length != schedules.size() - 1) {
            throw new IllegalArgumentException("join: expected " + Math.max(schedules.size() - 1, 0) + " boundaries for " + schedules.size()
                    + " schedules, got " + boundaries.length);
        }
        for (int k = 1; k < boundaries.length; k++) {
            if (boundaries[k] < boundaries[k - 1]) throw new IllegalArgumentException("join: boundaries must increase, got " + java.util.Arrays.toString(boundaries));
        }
        List<Schedule> parts = List.copyOf(schedules);
        long[] b = boundaries.clone();
        return step -> {
            int k = 0;
            while (k < b.length && step >= b[k]) k++;
            return parts.get(k).at(k == 0 ? step : step - b[k - 1]);
        };
    }

    /** This schedule until {@code boundary}, then {@code next} restarted at its step 0. */
    default Schedule then(long boundary, Schedule next) {
        return join(List.of(this, Objects.requireNonNull(next, "next")), new long[] {boundary});
    }

    /**
     * Linear warmup from {@code init} to {@code after}'s first value over {@code steps} steps, then {@code after}
     * (restarted at its step 0).
     */
    static Schedule warmup(double init, long steps, Schedule after) {
        return linear(init, after.at(0), steps).then(steps, after);
    }

    /**
     * optax's {@code warmup_cosine_decay_schedule}: linear from {@code init} to {@code peak} over {@code warmupSteps},
     * then cosine decay from {@code peak} to {@code end}, reached at step {@code decaySteps} (counted from 0, warmup
     * included).
     */
    static Schedule warmupCosineDecay(double init, double peak, long warmupSteps, long decaySteps, double end) {
        return linear(init, peak, warmupSteps).then(warmupSteps, cosineDecay(peak, decaySteps - warmupSteps, end / peak));
    }

    /** This schedule times {@code factor}. */
    default Schedule times(double factor) {
        return step -> at(step) * factor;
    }

    /** This schedule times {@code other}, step by step. */
    default Schedule times(Schedule other) {
        return step -> at(step) * other.at(step);
    }

    /** This schedule shifted {@code by} steps later: {@code shifted(s).at(t) = at(t − s)}. */
    default Schedule shifted(long by) {
        return step -> at(step - by);
    }

    private static long clamp(long step, long steps) {
        return Math.min(Math.max(step, 0), steps);
    }

    private static void requirePositive(long steps, String what) {
        if (steps <= 0) throw new IllegalArgumentException("Expected positive " + what + ", but got " + steps);
    }
}

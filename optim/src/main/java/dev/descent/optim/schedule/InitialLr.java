package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * PyTorch's per-group {@code initial_lr}: recorded by the first scheduler created on an optimizer (PyTorch's
 * {@code group.setdefault('initial_lr', group['lr'])}) and shared by every later one. Kept beside the optimizer, keyed
 * by identity and weakly, so that parameter groups need no scheduler-specific field.
 */
final class InitialLr {
    private static final Map<Optimizer<?>, double[]> BY_OPTIMIZER = Collections.synchronizedMap(new WeakHashMap<>());

    private InitialLr() {}

    /** The initial learning rates of {@code optimizer}'s groups, recording the current rate of any group not seen yet. */
    static double[] of(Optimizer<?> optimizer) {
        synchronized (BY_OPTIMIZER) {
            double[] known = BY_OPTIMIZER.getOrDefault(optimizer, new double[0]);
            var groups = optimizer.paramGroups();
            double[] all = Arrays.copyOf(known, groups.size());
            for (int i = known.length; i < all.length; i++) all[i] = ((ParamGroup<?>) groups.get(i)).lr();
            BY_OPTIMIZER.put(optimizer, all);
            return all.clone();
        }
    }

    /** Overwrites the initial learning rates (OneCycleLR sets them to {@code max_lr / div_factor}, as PyTorch). */
    static void set(Optimizer<?> optimizer, double[] lrs) {
        BY_OPTIMIZER.put(optimizer, lrs.clone());
    }
}

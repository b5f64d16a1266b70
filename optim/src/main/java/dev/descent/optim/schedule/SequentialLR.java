package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.Arrays;
import java.util.List;

/**
 * Hands the optimizer from one scheduler to the next at milestone epochs, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.SequentialLR.html">{@code SequentialLR}</a>:
 * scheduler {@code k} drives epochs {@code [m_{k−1}, m_k)}; at its milestone it is restarted at epoch 0 (from its
 * closed form, PyTorch's {@code step(0)}). The usual use is a warmup: {@code LinearLR} for 5 epochs, then
 * {@code CosineAnnealingLR}.
 *
 * <p>As PyTorch, construction resets every group's rate to its initial value, takes back the initial step each child
 * made when it was built, and performs the first child's initial step again.
 */
public final class SequentialLR extends LrScheduler {
    private final List<LrScheduler> schedulers;
    private final int[] milestones;

    /**
     * @param schedulers built on {@code optimizer}, in the order they take over
     * @param milestones the epochs at which the next one takes over; one fewer than the schedulers, increasing
     */
    public SequentialLR(Optimizer<?> optimizer, List<? extends LrScheduler> schedulers, int[] milestones) {
        super(optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index "
                        + i + " to be different than the optimizer passed in.");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
                    + "points, but got number of schedulers " + schedulers.size() + " and the number of milestones to be equal to " + milestones.length);
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = 0;
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).setLr(baseLrs[i]);
        for (LrScheduler s : schedulers) s.lastEpoch -= 1;
        schedulers.get(0).initialStep();
        setLastLr(schedulers.get(0).getLastLr());
    }

    /** Advances one epoch, stepping the scheduler in charge (restarting it at its milestone). */
    @Override
    public void step() {
        atomically(() -> {
            lastEpoch++;
            int idx = bisectRight(milestones, lastEpoch);
            LrScheduler scheduler = schedulers.get(idx);
            if (idx > 0 && milestones[idx - 1] == lastEpoch) scheduler.step(0);
            else scheduler.step();
            setLastLr(scheduler.getLastLr());
        });
    }

    private static int bisectRight(int[] sorted, int x) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < sorted[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    @Override
    List<LrScheduler> children() {
        return schedulers;
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR computes no rate of its own");
    }

    /** The schedulers, in the order they take over. */
    public List<LrScheduler> schedulers() {
        return schedulers;
    }

    /** The milestones (a copy). */
    public int[] milestones() {
        return Arrays.copyOf(milestones, milestones.length);
    }
}

package dev.descent.optim.schedule;

import java.util.List;

/**
 * Steps several schedulers of the same optimizer with one call, as
 * <a href="https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ChainedScheduler.html">{@code ChainedScheduler}</a>.
 * Because the chainable schedulers update the current rate recursively, their effects multiply: a
 * {@link ConstantLR} and an {@link ExponentialLR} chained give {@code base · f · γ^t} for {@code t < T}, then
 * {@code base · γ^t}.
 */
public final class ChainedScheduler extends LrScheduler {
    private final List<LrScheduler> schedulers;

    /** @param schedulers already constructed on the same optimizer, stepped in this order */
    public ChainedScheduler(List<? extends LrScheduler> schedulers) {
        super(schedulers.get(0).optimizer());
        for (int i = 1; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != schedulers.get(0).optimizer()) {
                throw new IllegalArgumentException("ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and "
                        + i + " to be different");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.lastEpoch = 0; // counts this scheduler's own steps (PyTorch's ChainedScheduler keeps no epoch)
        setLastLr(currentLrs());
    }

    /** Steps every scheduler in order. */
    @Override
    public void step() {
        atomically(() -> {
            for (LrScheduler s : schedulers) s.step();
            lastEpoch++;
            setLastLr(currentLrs());
        });
    }

    @Override
    List<LrScheduler> children() {
        return schedulers;
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("ChainedScheduler computes no rate of its own");
    }

    /** The chained schedulers. */
    public List<LrScheduler> schedulers() {
        return schedulers;
    }
}

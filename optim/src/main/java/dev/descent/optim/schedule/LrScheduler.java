package dev.descent.optim.schedule;

import dev.descent.core.Stateful;
import dev.descent.core.Tensor;
import dev.descent.optim.Hyperparameters;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bookkeeping every epoch-driven scheduler shares, as PyTorch's {@code torch.optim.lr_scheduler._LRScheduler}: the
 * optimizer, the base learning rates, {@link #lastEpoch()}, applying new learning rates to the parameter groups, and
 * {@link #getLastLr()}.
 *
 * <p>A subclass gives the learning rates for the new {@code lastEpoch} in {@link #computeLr()}. Where PyTorch computes
 * them <em>recursively</em> from the groups' current learning rates (its "chainable form"), so do the subclasses, which
 * is what lets several schedulers act on the same optimizer ({@link ChainedScheduler}) and gives bit-for-bit the same
 * sequences as PyTorch. The closed form, used when a scheduler is stepped to an explicit epoch, is
 * {@link #closedFormLr()}.
 *
 * <p><b>Base learning rates.</b> As PyTorch's {@code initial_lr} entry, the first scheduler created on an optimizer
 * records each group's learning rate at that moment; later schedulers on the same optimizer take those recorded
 * values as their base rates (not the groups' current ones), so that {@link SequentialLR} and {@link ChainedScheduler}
 * compose as in PyTorch.
 *
 * <p>A scheduler drives the groups the optimizer had when it was built; groups added later keep their rate (PyTorch's
 * schedulers likewise only zip over their base rates).
 *
 * <p>Construction performs the initial step ({@code lastEpoch} becomes 0), as PyTorch. Call {@link #step()} after
 * each {@code optimizer.step()}.
 */
public abstract class LrScheduler implements Stateful {
    /** The optimizer whose groups this scheduler drives. */
    protected final Optimizer<?> optimizer;
    /** The base learning rate of each group ({@code initial_lr}). */
    protected final double[] baseLrs;
    /** The index of the last epoch (or batch) stepped; -1 before the initial step. */
    protected int lastEpoch = -1;
    /** How many times {@link #step} has run, counting the initial step (PyTorch's {@code _step_count}). */
    protected int stepCount;
    private double[] lastLr = new double[0];

    protected LrScheduler(Optimizer<?> optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLrs = InitialLr.of(optimizer);
    }

    /**
     * The learning rate of each group for the epoch {@link #lastEpoch} has just been set to, in PyTorch's form
     * (recursive where PyTorch's is). May read and, for momentum cycling, set other hyperparameters of the groups.
     */
    protected abstract double[] computeLr();

    /** The closed form for the current {@link #lastEpoch}; {@link #computeLr()} unless the scheduler has one. */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** PyTorch's {@code _initial_step}: resets the step count and steps once. Subclasses call it last in their constructors. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /**
     * Advances one epoch (or batch) and sets every group's learning rate. When a new value is invalid for the optimizer
     * (a negative rate, say), it throws and leaves the scheduler and every group as they were.
     */
    public void step() {
        atomically(() -> {
            stepCount++;
            lastEpoch++;
            apply(computeLr());
        });
    }

    /**
     * Jumps to {@code epoch} and sets the learning rates from the closed form (PyTorch's deprecated
     * {@code step(epoch)}; {@link SequentialLR} uses it to restart a scheduler at 0).
     */
    void step(int epoch) {
        atomically(() -> {
            stepCount++;
            lastEpoch = epoch;
            apply(closedFormLr());
        });
    }

    /** Runs {@code change}; if it throws, puts back the counters, the last rates and every group's hyperparameters. */
    protected final void atomically(Runnable change) {
        State saved = stateDict();
        Runnable restoreOptions = snapshotOptions(optimizer);
        // (all groups are saved: a later group cannot be changed by the step, so restoring it is a no-op)
        try {
            change.run();
        } catch (RuntimeException e) {
            load(saved);
            restoreOptions.run();
            throw e;
        }
    }

    /** Puts back, when run, every group's hyperparameters as they are now. */
    private static <H extends Hyperparameters<H>> Runnable snapshotOptions(Optimizer<H> optimizer) {
        List<ParamGroup<H>> groups = optimizer.paramGroups();
        List<H> options = groups.stream().map(ParamGroup::options).toList();
        return () -> {
            for (int i = 0; i < options.size(); i++) groups.get(i).setOptions(options.get(i));
        };
    }

    /** Sets each group's learning rate and records them as {@link #getLastLr()}. */
    protected final void apply(double[] lrs) {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        lastLr = currentLrs();
    }

    /** The learning rates now of the groups this scheduler drives. */
    protected final double[] currentLrs() {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** Records {@code lrs} as the last learning rates without touching the groups (for the composite schedulers). */
    final void setLastLr(double[] lrs) {
        lastLr = lrs.clone();
    }

    /** The learning rates this scheduler last set, one per group (a copy). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The index of the last epoch stepped (0 right after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The base learning rates, one per group (a copy). */
    public double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The optimizer this scheduler drives. */
    public Optimizer<?> optimizer() {
        return optimizer;
    }

    // ---------------------------------------------------------------- state

    /**
     * A scheduler's state, as PyTorch's {@code scheduler.state_dict()}: the epoch and step counters, the base and last
     * learning rates, the few numbers a scheduler keeps besides them ({@code extra}, such as SGDR's current period) and
     * the states of the schedulers a composite one drives. Save it with the optimizer's state dict: the chainable
     * schedulers continue from the groups' current rates, which the optimizer's state dict holds.
     *
     * @param lastEpoch the index of the last epoch stepped
     * @param stepCount PyTorch's {@code _step_count}
     * @param baseLrs the base learning rate of each group
     * @param lastLr the learning rates last set
     * @param extra the scheduler's own numbers (SGDR: the current period and the position in it)
     * @param children the states of the schedulers a composite one drives, in order
     */
    public record State(int lastEpoch, int stepCount, double[] baseLrs, double[] lastLr, double[] extra, List<State> children) {
        public State {
            baseLrs = baseLrs.clone();
            lastLr = lastLr.clone();
            extra = extra.clone();
            children = List.copyOf(children);
        }

        @Override
        public double[] baseLrs() {
            return baseLrs.clone();
        }

        @Override
        public double[] lastLr() {
            return lastLr.clone();
        }

        @Override
        public double[] extra() {
            return extra.clone();
        }
    }

    /** A copy of this scheduler's state. */
    public State stateDict() {
        return new State(lastEpoch, stepCount, baseLrs, lastLr, extraState(), children().stream().map(LrScheduler::stateDict).toList());
    }

    /**
     * Replaces this scheduler's state (and its children's) with {@code state}, which must come from a scheduler of the
     * same kind on an optimizer with as many groups. Everything is checked first, so a rejected state changes nothing.
     * The base rates also become the optimizer's recorded initial rates, as PyTorch's {@code initial_lr} entries would
     * with the optimizer's state dict.
     */
    public void loadStateDict(State state) {
        check(state);
        load(state);
    }

    private void check(State state) {
        Objects.requireNonNull(state, "state");
        if (state.baseLrs.length != baseLrs.length || state.lastLr.length != baseLrs.length) {
            throw new IllegalArgumentException("loaded scheduler state has " + state.baseLrs.length + " base learning rates, the optimizer "
                    + baseLrs.length + " parameter groups");
        }
        if (state.extra.length != extraState().length) {
            throw new IllegalArgumentException("loaded scheduler state has " + state.extra.length + " extra values, " + getClass().getSimpleName()
                    + " keeps " + extraState().length);
        }
        List<LrScheduler> children = children();
        if (state.children.size() != children.size()) {
            throw new IllegalArgumentException("loaded scheduler state has " + state.children.size() + " child schedulers, this one " + children.size());
        }
        for (int i = 0; i < children.size(); i++) children.get(i).check(state.children.get(i));
    }

    private void load(State state) {
        lastEpoch = state.lastEpoch;
        stepCount = state.stepCount;
        System.arraycopy(state.baseLrs, 0, baseLrs, 0, baseLrs.length);
        lastLr = state.lastLr.clone();
        loadExtraState(state.extra);
        List<LrScheduler> children = children();
        for (int i = 0; i < children.size(); i++) children.get(i).load(state.children.get(i));
        if (children.isEmpty()) InitialLr.set(optimizer, baseLrs);
    }

    /**
     * The {@link #stateDict()} as named tensors for a checkpoint: {@code last_epoch}, {@code step_count},
     * {@code base_lrs} and {@code last_lr} (one per group), {@code extra}, and {@code children.<i>.} followed by the
     * same for each scheduler a composite one drives.
     */
    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        put(stateDict(), "", out);
        return out;
    }

    private static void put(State s, String prefix, Map<String, Tensor> out) {
        out.put(prefix + "last_epoch", Tensor.scalar(s.lastEpoch()));
        out.put(prefix + "step_count", Tensor.scalar(s.stepCount()));
        out.put(prefix + "base_lrs", Tensor.vector(s.baseLrs()));
        out.put(prefix + "last_lr", Tensor.vector(s.lastLr()));
        out.put(prefix + "extra", Tensor.vector(s.extra()));
        for (int i = 0; i < s.children().size(); i++) put(s.children().get(i), prefix + "children." + i + ".", out);
    }

    /**
     * Loads what {@link #stateTensors()} gave, strictly (every key, no other, finite values, whole-number counters)
     * and all or nothing.
     *
     * @throws IllegalArgumentException naming the first bad key
     */
    @Override
    public void loadStateTensors(Map<String, Tensor> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        java.util.Set<String> used = new java.util.HashSet<>();
        State state = parse(this, "", tensors, used);
        Checks.noOtherKeys("scheduler state", tensors, used);
        loadStateDict(state);
    }

    private static State parse(LrScheduler shape, String prefix, Map<String, Tensor> t, java.util.Set<String> used) {
        int lastEpoch = (int) Checks.wholeNumber("scheduler state", prefix + "last_epoch", Checks.scalar("scheduler state", t, used, prefix + "last_epoch"), -1);
        int stepCount = (int) Checks.wholeNumber("scheduler state", prefix + "step_count", Checks.scalar("scheduler state", t, used, prefix + "step_count"), 0);
        int groups = shape.baseLrs.length;
        double[] base = Checks.finiteVector("scheduler state", t, used, prefix + "base_lrs", groups);
        double[] last = Checks.finiteVector("scheduler state", t, used, prefix + "last_lr", groups);
        double[] extra = Checks.finiteVector("scheduler state", t, used, prefix + "extra", shape.extraState().length);
        List<LrScheduler> kids = shape.children();
        List<State> children = new java.util.ArrayList<>();
        for (int i = 0; i < kids.size(); i++) children.add(parse(kids.get(i), prefix + "children." + i + ".", t, used));
        return new State(lastEpoch, stepCount, base, last, extra, children);
    }

    /** The numbers this scheduler keeps besides the common state; none unless overridden. */
    protected double[] extraState() {
        return new double[0];
    }

    /** Restores what {@link #extraState()} gave. */
    protected void loadExtraState(double[] extra) {}

    /** The schedulers a composite scheduler drives; none unless overridden. */
    List<LrScheduler> children() {
        return List.of();
    }

    /** {@code value} for each group, or {@code values} checked to have one entry per group (PyTorch's {@code _format_param}). */
    static double[] perGroup(String name, Optimizer<?> optimizer, double[] values) {
        int groups = optimizer.paramGroups().size();
        if (values.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups) throw new IllegalArgumentException("expected " + groups + " values for " + name + ", got " + values.length);
        return values.clone();
    }
}

package dev.descent.optim;

import dev.descent.core.Stateful;
import dev.descent.core.Tensor;
import dev.descent.core.kernel.Elementwise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bookkeeping every optimizer shares, as {@code torch.optim.Optimizer}: parameter groups with their own
 * hyperparameters, per-parameter state, {@link #step()}, {@link #step(Supplier)}, {@link #zeroGrad()} and
 * {@link #stateDict()}/{@link #loadStateDict} keyed by parameter index.
 *
 * <p>An algorithm only says which state a parameter needs ({@link #bufferNames}, {@link #scalarNames}) and how one parameter is
 * updated from its gradient ({@link #update}): one fused loop over {@code double[]}, no temporaries. State is created
 * on a parameter's first step; after that a step allocates nothing.
 *
 * <p><b>Parameters without a gradient</b> ({@code grad() == null}) are skipped, as in PyTorch: neither they nor their
 * state (including its step count) change.
 *
 * <p><b>Atomicity.</b> A step runs in two phases. The first writes nothing the caller can see: it checks every gradient
 * (finite, and of the parameter's size) and every existing state (the buffers the group's current hyperparameters
 * need), and makes sure that every value the update would write (parameter, state buffers and scalars) is finite; it
 * throws {@link IllegalStateException} naming the optimizer, the parameter index, its group and the element on the
 * first problem. Only when all parameters pass does the second phase create missing state and apply the updates,
 * which cannot fail. So a step that throws leaves every parameter and all optimizer state as they were. Rejecting
 * non-finite gradients, and finite gradients so large that the update overflows (1e200 squared), departs from
 * PyTorch, which would silently write NaN or infinity into the parameters or the moment estimates.
 *
 * <p><b>What the finiteness check costs.</b> One read of each gradient, before anything is written: the step cannot
 * know that a gradient is finite without reading all of it, and it must know that before it writes the first value.
 * That pass ({@link #scan}, by default {@link Elementwise#maxAbs}) gives the largest magnitude of the gradient, and
 * rules that need a reduction over the whole tensor before they write it (LARS's norm, Adafactor's factored second
 * moment) compute it there, so that it costs no pass of its own; the largest magnitude of the
 * parameter comes from the previous step, whose {@link #update} returns it (the values are in registers as they are
 * written), and is used as long as the parameter's {@linkplain Tensor#version() version} says nobody wrote it since
 * (otherwise the parameter is read too). Each rule's {@link #updateBound} turns the two, with bounds on its buffers
 * that the optimizer carries from step to step, into a bound on every value the update computes. When that bound is
 * far from overflow (below 1e300) the step goes ahead, and the update itself is the only other pass. Otherwise (huge
 * gradients or parameters, a rule that cannot bound itself, the first step after state was created or loaded) the
 * update is run on a copy, a chunk at a time in small reused arrays (see {@link #elementwise()}), and what it would
 * write is checked value by value, which also gives exact bounds for the next steps. So a step reads the gradient
 * once more than its update does, and nothing else: for plain SGD four arrays of traffic where the update alone has
 * three, for Adam eight where it has seven.
 *
 * <p><b>Kernels.</b> The rules' loops run as Vector API kernels when {@code jdk.incubator.vector} is present (see
 * {@link #vectorKernels()}), beside a scalar reference loop that is their specification; the two give the same bits
 * for any vector width (reductions add in the fixed order of {@code Sums8}), and so does every thread count, since a
 * step runs on the caller's thread.
 *
 * @param <H> the hyperparameter record of the algorithm (its {@code Options})
 */
public abstract class Optimizer<H extends Hyperparameters<H>> implements Stateful {
    /** The largest step count a loaded state may have: 2^53, the last integer a double (and so a checkpoint) holds exactly. */
    public static final long MAX_STEP = 1L << 53;
    /** PyTorch's names of buffers that hold squares or magnitudes, which are never negative. */
    private static final Set<String> NON_NEGATIVE = Set.of("exp_avg_sq", "max_exp_avg_sq", "exp_avg_var", "exp_inf", "exp_avg_sq_row",
            "exp_avg_sq_col", "square_avg", "acc_delta", "sum", "step_size");

    private final H defaults;
    private final List<ParamGroup<H>> groups = new ArrayList<>();
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    /**
     * One group holding {@code params}, with {@code defaults} as its hyperparameters and as the default for
     * {@link #addParamGroup(List)}.
     */
    protected Optimizer(List<Tensor> params, H defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        addParamGroup(params, defaults);
    }

    // ---------------------------------------------------------------- the algorithm

    /**
     * PyTorch's names for the state buffers a parameter needs under {@code options}, in the order {@link State#buffer}
     * indexes them. Called on every step: return constant lists.
     */
    protected abstract List<String> bufferNames(H options);

    /**
     * PyTorch's names for the per-parameter scalars (such as NAdam's {@code mu_product}) the algorithm keeps besides the
     * step count, in the order {@link State#scalar} indexes them; none unless overridden. Return constant lists.
     */
    protected List<String> scalarNames(H options) {
        return List.of();
    }

    /**
     * The length of buffer {@code index} for a parameter of shape {@code shape}: the parameter's size unless overridden
     * (Adafactor keeps a matrix's second moment as one row vector and one column vector).
     */
    protected int bufferSize(int index, int[] shape, H options) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /**
     * State that belongs to the optimizer rather than to one parameter (L-BFGS's history), for {@link #stateDict()};
     * none unless overridden. Return copies.
     */
    protected StateDict.GlobalState globalState() {
        return StateDict.GlobalState.NONE;
    }

    /**
     * Replaces the optimizer-wide state with copies of {@code global}. Called by {@link #loadStateDict} after the rest
     * of the dict was checked; must check everything before changing anything. This default accepts only none.
     */
    protected void loadGlobalState(StateDict.GlobalState global) {
        if (!global.scalars().isEmpty() || !global.arrays().isEmpty()) {
            throw new IllegalArgumentException("loaded state dict has optimizer-wide state " + global.arrays().keySet() + global.scalars().keySet()
                    + ", which " + getClass().getSimpleName() + " does not keep");
        }
    }

    /**
     * Whether the values of buffer {@code name} can never be negative (second moments, accumulated squares, running
     * maxima of magnitudes, Rprop's step sizes), so that {@link #loadStateDict} refuses a negative one. By PyTorch's
     * buffer names unless overridden.
     */
    protected boolean isNonNegative(String name) {
        return NON_NEGATIVE.contains(name);
    }

    /**
     * Whether {@link #update} treats elements independently (element i of the result depends only on element i of the
     * parameter, gradient and buffers, the step and the scalars), so that the finiteness check can run it on short
     * chunks. True unless overridden; rules that use norms or sums over the whole parameter (LAMB, LARS, Adafactor)
     * return false, and when their bound does not hold (the first step, or huge values) the check runs on a full copy
     * kept per parameter (their memory doubles from then on).
     */
    protected boolean elementwise() {
        return true;
    }

    /**
     * A bound on the magnitude of every value (intermediate or written) that {@link #update} computes at step
     * {@code step} for a parameter whose elements are all at most {@code pmax} in magnitude, with a gradient at most
     * {@code gmax} and state buffer {@code k} at most {@code bounds[k]}; writes the bounds of the updated buffers into
     * {@code next}. It may assume that the state was written by earlier checked steps of this rule (so, for example,
     * second-moment estimates are not negative). Return infinity where no bound can be given; the step then checks by
     * running the update on a copy. The default gives none. Must not allocate.
     */
    protected double updateBound(double gmax, double pmax, double[] bounds, double[] next, long step, State state, H options) {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The step's read pass over one gradient, before anything is written: returns the largest magnitude in
     * {@code grad[0, n)}, or NaN if an element is NaN (the step then names the first non-finite element). Rules whose
     * update needs a reduction over the whole tensor before it writes it (LARS's norms, Adafactor's factored second
     * moment) override this to compute it in the same pass, into the state's {@link State#work} values or
     * {@linkplain State#scratch scratch} arrays, so that checking the gradient costs no pass of its own. {@code state.step()} still
     * counts the steps before this one. Must write nothing but the work values and scratch arrays, must not allocate
     * after the first step, and must not throw.
     */
    protected double scan(double[] param, double[] grad, int n, State state, H options) {
        return Elementwise.maxAbs(grad, 0, n);
    }

    /** Fills a parameter's fresh state; buffers and scalars start as zeros unless overridden. */
    protected void initState(State state, H options) {}

    /**
     * Updates one parameter in place: {@code param[0, n)} from {@code grad[0, n)}. {@code state.step()} already counts
     * this step (it is 1 on the first). Must not allocate and must not throw.
     *
     * @return the largest magnitude in {@code param[0, n)} after the update, which the next step's check uses instead
     *         of reading the parameter again; {@link Double#NaN} if the rule does not track it (the next step then
     *         reads the parameter)
     */
    protected abstract double update(double[] param, double[] grad, int n, State state, H options);

    /**
     * Whether the rules may run their Vector API kernels: when {@code jdk.incubator.vector} is present, unless the
     * scalar references were asked for (tests compare the two). Both give the same bits.
     */
    protected final boolean vectorKernels() {
        return VECTOR && !scalarKernels;
    }

    private static final boolean VECTOR = dev.descent.core.kernel.Kernels.vectorized();
    /** Set by tests to run the scalar reference loops even where the vector kernels could run. */
    boolean scalarKernels;

    /**
     * The state of one parameter: its step count, its buffers (each as long as the parameter unless
     * {@link Optimizer#bufferSize} says otherwise), its scalars and the parameter's shape.
     */
    public static final class State {
        private long step;
        private final double[][] buffers;
        private final double[] scalars;
        private final int[] shape;
        /** For rules that are not {@link Optimizer#elementwise()}: the full copy the step's check runs on. */
        private State shadow;
        private double[] shadowParam;
        /** Bounds on the magnitude of each buffer (null: unknown), and the ones the step being checked will leave. */
        private double[] bounds;
        private final double[] nextBounds;
        /** The largest magnitude in the parameter as the last update left it (NaN: unknown), and its version then. */
        private double paramMax = Double.NaN;
        private int paramVersion;
        private boolean unchanged;
        /** Values a rule keeps between its scan and its update, or from one update to the next scan (not saved). */
        private final double[] work = new double[4];
        /** Interleaved partial sums for the rules' reductions ({@link Sums8}): two sums of eight. */
        final double[] partials = new double[2 * Sums8.WIDTH];
        private double[][] scratch;

        State(int[] bufferSizes, int scalars, int[] shape) {
            this.buffers = new double[bufferSizes.length][];
            for (int b = 0; b < bufferSizes.length; b++) buffers[b] = new double[bufferSizes[b]];
            this.nextBounds = new double[bufferSizes.length];
            this.scalars = new double[scalars];
            this.shape = shape;
        }

        /** The shape of the parameter this state belongs to (do not modify). */
        public int[] shape() {
            return shape;
        }

        /** Steps taken on this parameter (including the one being applied, inside {@link Optimizer#update}). */
        public long step() {
            return step;
        }

        /** The live buffer at {@code index} (in the order of {@link Optimizer#bufferNames}). */
        public double[] buffer(int index) {
            return buffers[index];
        }

        /** The scalar at {@code index} (in the order of {@link Optimizer#scalarNames}). */
        public double scalar(int index) {
            return scalars[index];
        }

        /** Sets the scalar at {@code index}. */
        public void setScalar(int index, double value) {
            scalars[index] = value;
        }

        /**
         * Work value {@code index} (0 to 3): what a rule's {@link Optimizer#scan} computed for its update, or what an
         * update computed for the next scan. Not part of the state dict; zero on a fresh state.
         */
        public double work(int index) {
            return work[index];
        }

        /** Sets work value {@code index}. */
        public void setWork(int index, double value) {
            work[index] = value;
        }

        /**
         * Whether the parameter is as the last update of this state left it: no one has written it since (its
         * {@linkplain Tensor#version() version} has not moved). So values the update computed from what it wrote (a
         * norm, kept in {@link #work}) still hold. False on the first step and after a load. Valid during a step.
         */
        public boolean parameterUnchanged() {
            return unchanged;
        }

        /**
         * Scratch array {@code index} (0 to 3) of {@code length} values, for what a rule's {@link Optimizer#scan}
         * computes and its update then uses or commits; allocated on first use and reused while the length stays the
         * same (not part of the state dict).
         */
        public double[] scratch(int index, int length) {
            if (scratch == null) scratch = new double[4][];
            if (scratch[index] == null || scratch[index].length != length) scratch[index] = new double[length];
            return scratch[index];
        }
    }

    // ---------------------------------------------------------------- groups

    /** The defaults given at construction. */
    public H defaults() {
        return defaults;
    }

    /** The parameter groups, in order (unmodifiable; each group's hyperparameters can be replaced). */
    public List<ParamGroup<H>> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Adds a group with the optimizer's defaults. */
    public final ParamGroup<H> addParamGroup(List<Tensor> params) {
        return addParamGroup(params, defaults);
    }

    /**
     * Adds a group of parameters with its own hyperparameters. The list must be non-empty, hold only leaves, hold each
     * parameter once and share none with an existing group.
     */
    public final ParamGroup<H> addParamGroup(List<Tensor> params, H options) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(options, "options");
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = Objects.requireNonNull(params.get(i), "parameter " + i + " is null");
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor (parameter " + i + " of the group)");
            if (!seen.add(p)) throw new IllegalArgumentException("parameter " + i + " appears more than once in the parameter group");
        }
        for (ParamGroup<H> g : groups) {
            for (Tensor p : g.params()) {
                if (seen.contains(p)) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
            }
        }
        ParamGroup<H> group = new ParamGroup<>(params, options);
        groups.add(group);
        return group;
    }

    // ---------------------------------------------------------------- stepping

    /**
     * Applies one update to every parameter that has a gradient. Parameters are written in place, outside any tape,
     * and marked modified, so a tape that saved one of them notices. See the class comment for atomicity.
     */
    public void step() {
        int index = 0;
        Map<Tensor, State> fresh = null;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup<H> group = groups.get(gi);
            H options = group.options();
            int buffers = bufferNames(options).size(), scalars = scalarNames(options).size();
            List<Tensor> params = group.params();
            for (int pi = 0; pi < params.size(); pi++, index++) {
                Tensor p = params.get(pi);
                Tensor g = p.grad();
                if (g == null) continue;
                checkSize(g.data(), p.size(), index, gi);
                State s = state.get(p);
                if (s != null && (s.buffers.length != buffers || s.scalars.length != scalars)) {
                    throw new IllegalStateException("step: parameter " + index + " (group " + gi + ") has state buffers for other options; "
                            + "its group now needs " + bufferNames(options) + "; nothing was changed");
                }
                if (s == null) {
                    // made here so that the check can run the first update; kept only if the whole step passes
                    s = newState(p.shape(), options);
                    initState(s, options);
                    if (fresh == null) fresh = new IdentityHashMap<>();
                    fresh.put(p, s);
                }
                double[] pd = p.data(), gd = g.data();
                int n = p.size();
                // the last update's largest magnitude, unless someone wrote the parameter since
                s.unchanged = !Double.isNaN(s.paramMax) && s.paramVersion == p.version();
                double gmax = scan(pd, gd, n, s, options);
                if (!Double.isFinite(gmax)) {
                    int i = 0;
                    while (Double.isFinite(gd[i])) i++;
                    throw new IllegalStateException("step: the gradient of parameter " + index + " (group " + gi + ") is " + gd[i]
                            + " at element " + i + "; nothing was changed");
                }
                double pmax = s.unchanged ? s.paramMax : Elementwise.maxAbs(pd, 0, n);
                if (!withinBound(s, gmax, pmax, options)) checkUpdate(pd, gd, n, s, options, index, gi);
            }
        }
        if (fresh != null) state.putAll(fresh);
        // in reverse: the gradients the check read last are still in the cache (parameters update independently, so
        // the order changes no result)
        for (int gi = groups.size() - 1; gi >= 0; gi--) {
            ParamGroup<H> group = groups.get(gi);
            H options = group.options();
            List<Tensor> params = group.params();
            for (int pi = params.size() - 1; pi >= 0; pi--) {
                Tensor p = params.get(pi);
                Tensor g = p.grad();
                if (g == null) continue;
                State s = state.get(p);
                s.step++;
                double largest = update(p.data(), g.data(), p.size(), s, options);
                if (s.bounds == null) s.bounds = new double[s.nextBounds.length];
                System.arraycopy(s.nextBounds, 0, s.bounds, 0, s.bounds.length);
                p.markModified();
                s.paramMax = largest;
                s.paramVersion = p.version();
            }
        }
    }

    /**
     * Calls {@code closure}, which must recompute the loss under a tape (zeroing and filling the gradients) and return
     * it, then steps. Returns the loss, which must be a scalar.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss = evaluate(closure);
        step();
        return loss;
    }

    /** Calls the closure and checks that it returned a scalar loss. */
    static Tensor evaluate(Supplier<Tensor> closure) {
        Tensor loss = Objects.requireNonNull(closure, "closure").get();
        if (loss == null || loss.dim() != 0) {
            throw new IllegalArgumentException("step: the closure must return a scalar loss, got "
                    + (loss == null ? "null" : "a tensor of shape " + Arrays.toString(loss.shape())));
        }
        return loss;
    }

    private State newState(int[] shape, H options) {
        int[] sizes = new int[bufferNames(options).size()];
        for (int b = 0; b < sizes.length; b++) sizes[b] = bufferSize(b, shape, options);
        return new State(sizes, scalarNames(options).size(), shape);
    }

    private static void checkSize(double[] grad, int n, int index, int group) {
        if (grad.length < n) {
            throw new IllegalStateException("step: the gradient of parameter " + index + " (group " + group + ") has " + grad.length
                    + " elements, the parameter " + n + "; nothing was changed");
        }
    }

    /** Below this, a bound from {@link #updateBound} is far enough from overflow (1.8e308) for any rounding. */
    private static final double SAFE = 1e300;

    /** True when the rule's bound shows the update cannot overflow; fills {@code s.nextBounds} then. */
    private boolean withinBound(State s, double gmax, double pmax, H options) {
        if (s.bounds == null) return false;
        if (!(updateBound(gmax, pmax, s.bounds, s.nextBounds, s.step + 1, s, options) <= SAFE)) return false;
        for (double b : s.nextBounds) if (!(b <= SAFE)) return false;
        return true;
    }

    /** How many parameter updates were checked on a copy rather than by their bound (for tests). */
    private long copyChecks;

    long copyChecks() {
        return copyChecks;
    }

    /** Elements per chunk of the step's check: small enough that the copies stay in the L1/L2 cache. */
    private static final int CHUNK = 1024;
    /** The reused chunk-sized copies the check runs elementwise rules on (grown to the largest buffer count seen). */
    private State chunk;
    private final double[] chunkParam = new double[CHUNK], chunkGrad = new double[CHUNK];

    /**
     * Throws unless the update of one parameter, run on a copy of it and its state, writes only finite values; sets
     * {@code s.nextBounds} to the largest magnitudes it would leave in the buffers. Changes nothing visible.
     */
    private void checkUpdate(double[] param, double[] grad, int n, State s, H options, int index, int group) {
        copyChecks++;
        Arrays.fill(s.nextBounds, 0);
        if (elementwise()) {
            if (chunk == null || chunk.buffers.length < s.buffers.length || chunk.scalars.length < s.scalars.length) {
                int[] sizes = new int[Math.max(s.buffers.length, chunk == null ? 0 : chunk.buffers.length)];
                Arrays.fill(sizes, CHUNK);
                chunk = new State(sizes, Math.max(s.scalars.length, chunk == null ? 0 : chunk.scalars.length), new int[] {CHUNK});
            }
            for (int off = 0; off < n; off += CHUNK) {
                int len = Math.min(CHUNK, n - off);
                System.arraycopy(grad, off, chunkGrad, 0, len);
                System.arraycopy(param, off, chunkParam, 0, len);
                for (int b = 0; b < s.buffers.length; b++) System.arraycopy(s.buffers[b], off, chunk.buffers[b], 0, len);
                checkRun(chunkParam, chunkGrad, len, off, s, chunk, options, index, group);
            }
        } else {
            if (s.shadow == null) {
                s.shadow = new State(sizes(s), s.scalars.length, s.shape);
                s.shadowParam = new double[n];
            }
            System.arraycopy(param, 0, s.shadowParam, 0, n);
            for (int b = 0; b < s.buffers.length; b++) System.arraycopy(s.buffers[b], 0, s.shadow.buffers[b], 0, s.buffers[b].length);
            checkRun(s.shadowParam, grad, n, 0, s, s.shadow, options, index, group);
        }
    }

    private static int[] sizes(State s) {
        int[] sizes = new int[s.buffers.length];
        for (int b = 0; b < sizes.length; b++) sizes[b] = s.buffers[b].length;
        return sizes;
    }

    /** Runs the update on {@code copy} (holding elements {@code offset ..} of {@code s}) and checks what it wrote. */
    private void checkRun(double[] param, double[] grad, int n, int offset, State s, State copy, H options, int index, int group) {
        copy.step = s.step + 1;
        copy.unchanged = s.unchanged;
        System.arraycopy(s.scalars, 0, copy.scalars, 0, s.scalars.length);
        System.arraycopy(s.work, 0, copy.work, 0, s.work.length);
        if (s.scratch != null) {
            for (int b = 0; b < s.scratch.length; b++) {
                if (s.scratch[b] != null) System.arraycopy(s.scratch[b], 0, copy.scratch(b, s.scratch[b].length), 0, s.scratch[b].length);
            }
        }
        update(param, grad, n, copy, options);
        checkWritten(param, n, offset, -1, options, index, group);
        for (int b = 0; b < s.buffers.length; b++) {
            double largest = checkWritten(copy.buffers[b], copy == chunk ? n : copy.buffers[b].length, offset, b, options, index, group);
            s.nextBounds[b] = Math.max(s.nextBounds[b], largest);
        }
        for (int k = 0; k < s.scalars.length; k++) {
            if (!Double.isFinite(copy.scalars[k])) {
                throw new IllegalStateException("step: " + getClass().getSimpleName() + " would write " + copy.scalars[k] + " into the state '"
                        + scalarNames(options).get(k) + "' of parameter " + index + " (group " + group + "); nothing was changed");
            }
        }
    }

    /**
     * Throws at the first non-finite value, naming the parameter ({@code buffer} -1) or the state buffer it belongs to;
     * returns the largest magnitude.
     */
    private double checkWritten(double[] values, int n, int offset, int buffer, H options, int index, int group) {
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, Math.abs(values[i]));
            if (!Double.isFinite(values[i])) {
                String into = buffer < 0 ? "" : "the state '" + bufferNames(options).get(buffer) + "' of ";
                throw new IllegalStateException("step: " + getClass().getSimpleName() + " would write " + values[i] + " into " + into
                        + "parameter " + index + " (group " + group + ") at element " + (offset + i) + "; nothing was changed");
            }
        }
        return largest;
    }

    /** Sets every parameter's gradient to zero in place (PyTorch's {@code zero_grad()} in 1.13). */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** Sets every gradient to zero, or to none when {@code setToNone} (then the next step skips the parameter). */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup<H> group : groups) {
            for (Tensor p : group.params()) {
                if (setToNone) p.setGrad(null);
                else p.zeroGrad();
            }
        }
    }

    // ---------------------------------------------------------------- state dict

    /** A copy of the hyperparameters and per-parameter state, keyed by parameter index as PyTorch. */
    public StateDict<H> stateDict() {
        Map<Integer, StateDict.ParamState> byIndex = new LinkedHashMap<>();
        List<StateDict.GroupState<H>> groupStates = new ArrayList<>();
        int index = 0;
        for (ParamGroup<H> group : groups) {
            List<String> names = bufferNames(group.options()), scalarNames = scalarNames(group.options());
            List<Integer> indices = new ArrayList<>();
            for (Tensor p : group.params()) {
                State s = state.get(p);
                if (s != null) {
                    Map<String, double[]> buffers = new LinkedHashMap<>();
                    for (int b = 0; b < s.buffers.length; b++) buffers.put(names.get(b), s.buffers[b]);
                    Map<String, Double> scalars = new LinkedHashMap<>();
                    for (int k = 0; k < s.scalars.length; k++) scalars.put(scalarNames.get(k), s.scalars[k]);
                    byIndex.put(index, new StateDict.ParamState(s.step, scalars, buffers));
                }
                indices.add(index++);
            }
            groupStates.add(new StateDict.GroupState<>(group.options(), indices));
        }
        return new StateDict<>(byIndex, groupStates, globalState());
    }

    /**
     * Replaces every group's hyperparameters and all per-parameter state with copies of {@code dict}'s. Groups are
     * matched by position and so are the parameters within them, as PyTorch does. Everything is checked first, so a
     * rejected dict changes nothing: the groups and parameter indices, the buffer and scalar names the groups' options
     * need, buffer lengths, step counts in [0, {@link #MAX_STEP}], every buffer value and scalar finite (and not null),
     * and the buffers of {@link #isNonNegative} not negative. So a loaded state never makes the next step write NaN.
     *
     * @throws IllegalArgumentException naming the parameter index and the buffer or scalar at fault
     */
    public void loadStateDict(StateDict<H> dict) {
        Objects.requireNonNull(dict, "dict");
        List<StateDict.GroupState<H>> loaded = dict.paramGroups();
        if (loaded.size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups (" + loaded.size()
                    + " vs " + groups.size() + ")");
        }
        Map<Integer, Tensor> paramByIndex = new HashMap<>();
        Map<Integer, List<String>> namesByIndex = new HashMap<>(), scalarNamesByIndex = new HashMap<>();
        Map<Integer, H> optionsByIndex = new HashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<Integer> ids = loaded.get(gi).params();
            List<Tensor> params = groups.get(gi).params();
            if (ids.size() != params.size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group ("
                        + "group " + gi + ": " + ids.size() + " vs " + params.size() + " parameters)");
            }
            for (int j = 0; j < ids.size(); j++) {
                if (paramByIndex.put(ids.get(j), params.get(j)) != null) {
                    throw new IllegalArgumentException("loaded state dict lists parameter index " + ids.get(j) + " twice");
                }
                namesByIndex.put(ids.get(j), bufferNames(loaded.get(gi).options()));
                optionsByIndex.put(ids.get(j), loaded.get(gi).options());
                scalarNamesByIndex.put(ids.get(j), scalarNames(loaded.get(gi).options()));
            }
        }
        Map<Tensor, State> restored = new IdentityHashMap<>();
        for (Map.Entry<Integer, StateDict.ParamState> e : dict.state().entrySet()) {
            Tensor p = paramByIndex.get(e.getKey());
            if (p == null) throw new IllegalArgumentException("loaded state dict has state for parameter " + e.getKey() + ", which no group lists");
            StateDict.ParamState ps = e.getValue();
            if (ps == null) throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + " is null");
            List<String> names = namesByIndex.get(e.getKey());
            if (!ps.buffers().keySet().equals(Set.copyOf(names))) {
                throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + " has buffers " + ps.buffers().keySet()
                        + ", its group's options need " + names);
            }
            List<String> scalarNames = scalarNamesByIndex.get(e.getKey());
            if (!ps.scalars().keySet().equals(Set.copyOf(scalarNames))) {
                throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + " has scalars " + ps.scalars().keySet()
                        + ", its group's options need " + scalarNames);
            }
            if (ps.step() < 0 || ps.step() > MAX_STEP) {
                throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + " has step " + ps.step() + ", expected 0 to " + MAX_STEP);
            }
            State s = newState(p.shape(), optionsByIndex.get(e.getKey()));
            s.step = ps.step();
            for (int k = 0; k < scalarNames.size(); k++) {
                Double v = ps.scalars().get(scalarNames.get(k));
                if (v == null || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + ": scalar " + scalarNames.get(k) + " is " + v
                            + ", expected a finite number");
                }
                s.scalars[k] = v;
            }
            for (int b = 0; b < names.size(); b++) {
                double[] values = ps.buffers().get(names.get(b));
                if (values == null || values.length != s.buffers[b].length) {
                    throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + ": buffer " + names.get(b) + " has "
                            + (values == null ? "no" : values.length) + " values, expected " + s.buffers[b].length);
                }
                boolean nonNegative = isNonNegative(names.get(b));
                for (int i = 0; i < values.length; i++) {
                    if (!Double.isFinite(values[i]) || (nonNegative && values[i] < 0)) {
                        throw new IllegalArgumentException("loaded state of parameter " + e.getKey() + ": buffer " + names.get(b) + " has " + values[i]
                                + " at element " + i + ", expected a " + (nonNegative ? "finite non-negative" : "finite") + " value");
                    }
                }
                System.arraycopy(values, 0, s.buffers[b], 0, values.length);
            }
            restored.put(p, s);
        }
        loadGlobalState(dict.global());
        for (int gi = 0; gi < groups.size(); gi++) groups.get(gi).setOptions(loaded.get(gi).options());
        state.clear();
        state.putAll(restored);
    }

    /**
     * The {@link #stateDict()} as named tensors for a checkpoint, buffers in their parameter's shape:
     * {@code state.<i>.step}, {@code state.<i>.<buffer>} and {@code state.<i>.<scalar>} for each parameter index
     * {@code i} with state, {@code param_groups.<g>.params} (the indices) and {@code param_groups.<g>.<field>} for each
     * numeric or boolean hyperparameter of group {@code g} (booleans as 0 and 1; text fields such as L-BFGS's
     * {@code lineSearchFn} are configuration and not saved), and {@code global.<name>} for optimizer-wide state.
     */
    @Override
    public Map<String, Tensor> stateTensors() {
        return StateTensors.of(this);
    }

    /**
     * Loads what {@link #stateTensors()} gave: every key must be present and none may be extra, with the expected
     * shapes, integral counts and indices; then {@link #loadStateDict} checks the values. All or nothing.
     *
     * @throws IllegalArgumentException naming the first bad key and what was expected
     */
    @Override
    public void loadStateTensors(Map<String, Tensor> tensors) {
        loadStateDict(StateTensors.parse(this, tensors));
    }
}

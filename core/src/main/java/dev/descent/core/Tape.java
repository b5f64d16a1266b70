package dev.descent.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records operations for reverse-mode differentiation, in the style of TensorFlow's {@code GradientTape}.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     Tensor loss = x.matmul(w).sub(y).square().mean();
 *     tape.backward(loss);                // accumulates into w.grad() (and x.grad() if x requires grad)
 * }
 * }</pre>
 *
 * <h2>What is recorded</h2>
 * While a tape is open on the current thread, every op with at least one input that {@linkplain
 * Tensor#requiresGrad() requires grad} records a node on the innermost open tape, and its output requires grad too.
 * Outside a tape, or inside {@link #noGrad}, nothing is recorded and no memory is kept.
 *
 * <h2>Backward</h2>
 * {@link #backward} and {@link #gradient} walk the graph from the target iteratively (no recursion: chains of any
 * length work), visiting nodes in reverse recording order and summing the gradients of fan-in once per node. An op
 * with several outputs ({@link Tensor#unbind}, {@link Tensor#lstmCell}) is one node, visited once with the gradients
 * of all its outputs (null for an output that received none).
 * Backward rules are themselves tensor ops: when another tape is open <em>around</em> the one differentiating, that
 * outer tape records the backward pass, so its results can be differentiated again (Hessians, Newton's method). The
 * differentiating tape itself never records its own backward pass.
 *
 * <h2>Freeing the graph</h2>
 * As in PyTorch, a graph can be differentiated once: a backward pass frees what the nodes saved, node by node as it
 * goes, and a second pass through them throws. A tape made with {@link #retainGraph()} keeps them. A backward pass that is itself being
 * recorded (create-graph) always retains, as PyTorch's {@code create_graph=True} implies {@code retain_graph}.
 *
 * <h2>Checks</h2>
 * A tensor saved by a node and then modified in place makes backward throw {@link IllegalStateException} naming the
 * op. With {@link #detectAnomalies()} the first op whose output or gradient holds NaN or infinity throws
 * {@link ArithmeticException} naming the op and the source line that recorded it.
 *
 * <p>With {@link #scope(String, String)} code names what runs inside it; anomaly messages then say where in a model
 * the op was recorded ({@code in layers.15 (Linear)}), and {@code nn}'s containers open a scope for each child they
 * run. The location named is the first stack frame outside the descent library (the packages {@code dev.descent.core},
 * {@code dev.descent.nn} and {@code dev.descent.optim} as loaded from the library's own classes), so it is the
 * caller's line even when the caller's code shares a package with the library.
 *
 * <h2>Threads</h2>
 * A tape belongs to the thread that opened it: {@link #close}, {@link #backward} and {@link #gradient} called from
 * another thread throw {@link IllegalStateException} naming both threads and change nothing. Each thread has its own
 * stack of open tapes, so a tape left open stays open on its thread: on a pooled thread (an
 * {@link java.util.concurrent.ExecutorService}) every later task that runs on it records too. Open tapes with
 * try-with-resources; {@link #depth()} tells a task how many tapes are open around it, and {@link #isolated} runs a
 * task with none, closing and reporting any that the task leaves open.
 */
public final class Tape implements AutoCloseable {

    /**
     * Per-thread recording state: the stack of open tapes, and {@code active}, one more than the index of the tape
     * that records now (0: none records, inside {@link #noGrad}).
     */
    private static final class State {
        final List<Tape> open = new ArrayList<>();
        /** The open {@link Scope}s, outermost first. */
        final List<Scope> scopes = new ArrayList<>();
        int active;
        long seq;
        long pass;
        /** The gradients the running backward rule marked with {@link #fresh}, until the traversal takes them. */
        Tensor[] fresh;
        /** The gradient the running backward rule may overwrite (see {@link #overwritable}), or null. */
        Tensor overwritable;
        /** Whether the running backward rule is part of a plain backward pass (see {@link #plainBackward}). */
        boolean plain;
    }

    /** For ops whose backward rule reads no tensor that could change in place. */
    static final Tensor[] NOTHING_SAVED = new Tensor[0];

    /**
     * Called by a backward rule on the gradients it is about to return when each is a new tensor that nothing else
     * references (distinct tensors, no views): the traversal may then keep them as gradient buffers, and add into
     * them, instead of copying them first. Returns {@code grads}.
     */
    static Tensor[] fresh(Tensor[] grads) {
        STATE.get().fresh = grads;
        return grads;
    }

    /**
     * Whether the running backward rule may write its result into {@code g}, the gradient it was given, instead of
     * into a new array: true in a plain backward pass (nothing recorded, no gradients returned to the caller, no
     * anomaly checks) when {@code g} is a gradient that an earlier rule marked {@link #fresh} and that nothing else
     * references any more. A rule that does so returns {@code g} (not a view of it) and may mark it fresh again. So
     * a chain of elementwise backward rules reuses one buffer, which stays in cache, instead of filling new ones.
     */
    static boolean overwritable(Tensor g) {
        return g != null && STATE.get().overwritable == g;
    }

    /**
     * Whether the running backward rule is part of a plain backward pass (nothing recorded, no gradients returned to
     * the caller, no anomaly checks): its results then only ever reach other rules and, copied, the leaves' grads, so
     * a rule may return a tensor of the forward pass itself as a gradient, as long as it does not mark it
     * {@link #fresh}.
     */
    static boolean plainBackward() {
        return STATE.get().plain;
    }

    /**
     * The tensor a rule should write a result of {@code shape} into when it reads each element of {@code g} before it
     * writes the result at that index: {@code g} itself where {@link #overwritable} allows it and the shapes agree,
     * otherwise a new one. The rule returns this tensor.
     */
    static Tensor resultFor(Tensor g, int[] shape) {
        return overwritable(g) && java.util.Arrays.equals(g.shapeRef(), shape) ? g : new Tensor(new double[Shapes.size(shape)], shape);
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private final State state;
    private final Thread owner = Thread.currentThread();
    private boolean closed;
    private int activeBefore;
    private boolean retain;
    private boolean anomalies;

    private Tape(State state) {
        this.state = state;
    }

    /**
     * Opens a tape on the current thread and makes it the recording one, also inside {@link #noGrad} (as PyTorch's
     * {@code enable_grad}); close it with try-with-resources.
     */
    public static Tape record() {
        State s = STATE.get();
        Tape t = new Tape(s);
        t.activeBefore = s.active;
        s.open.add(t);
        s.active = s.open.size();
        return t;
    }

    /** Keeps the graph after a backward pass so it can be differentiated again. Returns this tape. */
    public Tape retainGraph() {
        this.retain = true;
        return this;
    }

    /**
     * Anomaly mode: every op recorded on this tape checks its output, and every backward rule its gradients, for NaN
     * and infinity, and the source location of each op is kept for the message. Slower; for debugging.
     */
    public Tape detectAnomalies() {
        this.anomalies = true;
        return this;
    }

    /** Runs {@code body} with recording switched off on this thread, as PyTorch's {@code torch.no_grad()}. */
    public static <T> T noGrad(Supplier<T> body) {
        State s = STATE.get();
        int saved = s.active;
        s.active = 0;
        try {
            return body.get();
        } finally {
            s.active = saved;
        }
    }

    /** Runs {@code body} with recording switched off on this thread. */
    public static void noGrad(Runnable body) {
        noGrad(() -> {
            body.run();
            return null;
        });
    }

    /** True when an op executed now on this thread would be recorded (given an input that requires grad). */
    public static boolean isRecording() {
        State s = STATE.get();
        return s.active > 0;
    }

    /** The number of tapes open on the current thread (0 at the start of a task whose predecessors closed theirs). */
    public static int depth() {
        return STATE.get().open.size();
    }

    /**
     * Runs {@code body} as if no tape were open on this thread (none records, {@link #depth()} is 0), then restores the
     * caller's tapes. For tasks on pooled threads: a tape left open by an earlier task cannot reach the body, and a tape
     * the body leaves open is closed and reported with {@link IllegalStateException} rather than leaking into the next
     * task.
     */
    public static <T> T isolated(Supplier<T> body) {
        State saved = STATE.get(), fresh = new State();
        STATE.set(fresh);
        T result;
        try {
            result = body.get();
        } finally {
            STATE.set(saved);
        }
        if (!fresh.open.isEmpty() || !fresh.scopes.isEmpty()) {
            throw new IllegalStateException("Tape.isolated: the task left " + fresh.open.size() + " tape" + (fresh.open.size() == 1 ? "" : "s")
                    + " open" + (fresh.scopes.isEmpty() ? "" : " and " + fresh.scopes.size() + " scope(s)")
                    + "; they were closed. Open tapes with try-with-resources");
        }
        return result;
    }

    /** Runs {@code body} as {@link #isolated(Supplier)} does. */
    public static void isolated(Runnable body) {
        isolated(() -> {
            body.run();
            return null;
        });
    }

    /** Throws unless the current thread opened this tape. */
    private void checkOwner(String call) {
        Thread now = Thread.currentThread();
        if (now != owner) {
            throw new IllegalStateException("Tape." + call + ": this tape was opened on thread " + describe(owner)
                    + " and is used from thread " + describe(now) + "; a tape belongs to the thread that opened it, and"
                    + " nothing was changed");
        }
    }

    private static String describe(Thread t) {
        return "'" + t.getName() + "' (id " + t.threadId() + ")";
    }

    @Override
    public void close() {
        checkOwner("close");
        if (closed) return;
        int i = state.open.lastIndexOf(this);
        if (i != state.open.size() - 1) {
            throw new IllegalStateException("Tape.close: tapes must be closed innermost first (this tape is at depth " + i
                    + " of " + state.open.size() + ")");
        }
        state.open.remove(i);
        state.active = activeBefore;
        closed = true;
    }

    // ---------------------------------------------------------------- recording

    /**
     * Called by every op after computing its output: records a node when a tape is recording and an input requires
     * grad; checks for anomalies when the recording tape asks for it.
     */
    static void record(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Backward backward) {
        State s = STATE.get();
        Tape tape = recorder(s, inputs);
        if (tape == null) return;
        String where = tape.anomalies ? callerLocation(s) : null;
        if (tape.anomalies) checkFinite(out, "'" + op + "' produced %s in its output", where);
        out.attach(new Node(op, ++s.seq, inputs, new Tensor[] {out}, saved, backward, null, where));
    }

    /**
     * As {@link #record(String, Tensor, Tensor[], Tensor[], Node.Backward)} for an op with several outputs: one node
     * shared by all of them, whose rule gets every output's gradient at once (null for an output that received none).
     */
    static void record(String op, Tensor[] outs, Tensor[] inputs, Tensor[] saved, Node.MultiBackward backward) {
        State s = STATE.get();
        Tape tape = recorder(s, inputs);
        if (tape == null) return;
        String where = tape.anomalies ? callerLocation(s) : null;
        if (tape.anomalies) {
            for (int k = 0; k < outs.length; k++) checkFinite(outs[k], "'" + op + "' produced %s in its output " + k, where);
        }
        Node node = new Node(op, ++s.seq, inputs, outs.clone(), saved, null, backward, where);
        for (Tensor out : outs) out.attach(node);
    }

    /** The tape that records an op on these inputs now, or null when none does or no input requires grad. */
    private static Tape recorder(State s, Tensor[] inputs) {
        if (s.active == 0) return null;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return s.open.get(s.active - 1);
        }
        return null;
    }

    /** The first stack frame outside the descent library (the user's line), and the open scopes if any. */
    private static String callerLocation(State s) {
        String line = WALKER.walk(frames -> frames.filter(f -> !LIBRARY.get(f.getDeclaringClass())).findFirst())
                .map(f -> f.toStackTraceElement().toString()).orElse("unknown location");
        if (s.scopes.isEmpty()) return line;
        StringBuilder path = new StringBuilder(line).append(" in ");
        for (int i = 0; i < s.scopes.size(); i++) path.append(i == 0 ? "" : ".").append(s.scopes.get(i).name);
        String kind = s.scopes.getLast().kind;
        return kind == null ? path.toString() : path.append(" (").append(kind).append(')').toString();
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** The library's packages, each with a class of the module that holds it, to tell its classes from callers'. */
    private static final String[][] LIBRARY_PACKAGES = {
            {"dev.descent.core.", "dev.descent.core.Tape"},
            {"dev.descent.nn.", "dev.descent.nn.Module"},
            {"dev.descent.optim.", "dev.descent.optim.Optimizer"}};

    /**
     * Whether a class belongs to the library: its package is one of the library's and it was loaded from the same
     * place (directory or jar) as that module's anchor class, so tests and examples that share a package are callers.
     * The JDK's own classes (a {@code forEach} between the library and the caller) are never the caller either.
     */
    private static final ClassValue<Boolean> LIBRARY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            ClassLoader loader = c.getClassLoader();
            if (loader == null || loader == ClassLoader.getPlatformClassLoader()) return true;
            for (String[] p : LIBRARY_PACKAGES) {
                if (!c.getName().startsWith(p[0])) continue;
                try {
                    Class<?> anchor = Class.forName(p[1], false, c.getClassLoader());
                    return java.util.Objects.equals(location(anchor), location(c));
                } catch (ClassNotFoundException | LinkageError e) {
                    return true;
                }
            }
            return false;
        }
    };

    private static java.net.URL location(Class<?> c) {
        java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    // ---------------------------------------------------------------- scopes

    /**
     * Names the code that runs until the returned scope is closed, for anomaly messages: ops recorded inside scopes
     * {@code "layers"} and {@code "15"} (kind {@code "Linear"}) are reported {@code in layers.15 (Linear)}. Scopes
     * nest, belong to the current thread and close innermost first; use try-with-resources. {@code kind} may be null.
     */
    public static Scope scope(String name, String kind) {
        java.util.Objects.requireNonNull(name, "name");
        State s = STATE.get();
        Scope scope = new Scope(s, name, kind);
        s.scopes.add(scope);
        return scope;
    }

    /** An open {@link #scope(String, String)}; closing it twice does nothing. */
    public static final class Scope implements AutoCloseable {
        private final State state;
        final String name, kind;
        private boolean closed;

        private Scope(State state, String name, String kind) {
            this.state = state;
            this.name = name;
            this.kind = kind;
        }

        @Override
        public void close() {
            if (closed) return;
            if (STATE.get() != state) {
                throw new IllegalStateException("Tape.Scope.close: scope '" + name + "' was opened on another thread"
                        + " (or outside Tape.isolated); close it where it was opened");
            }
            List<Scope> open = state.scopes;
            if (open.isEmpty() || open.getLast() != this) {
                throw new IllegalStateException("Tape.Scope.close: scopes must be closed innermost first ('" + name
                        + "' is not the innermost open scope of this thread)");
            }
            open.removeLast();
            closed = true;
        }
    }

    private static void checkFinite(Tensor t, String what, String where) {
        double[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(d[i])) {
                String kind = Double.isNaN(d[i]) ? "NaN" : "infinity";
                throw new ArithmeticException("anomaly: " + String.format(what, kind) + " at flat index " + i
                        + (where == null ? "" : "; the op was recorded at " + where));
            }
        }
    }

    // ---------------------------------------------------------------- differentiation

    /** Backward from a scalar: accumulates d target / d leaf into {@code grad()} of every leaf that requires grad. */
    public void backward(Tensor target) {
        backward(target, null);
    }

    /**
     * Backward from a tensor of any shape with the given seed (the gradient of some scalar with respect to
     * {@code target}; same shape as {@code target}); null seeds a scalar target with 1.
     */
    public void backward(Tensor target, Tensor seed) {
        run("backward", target, seed, null);
    }

    /** Returns d target / d x for each x, without touching any {@code grad()}. {@code target} must be a scalar. */
    public Tensor[] gradient(Tensor target, Tensor... xs) {
        return gradient(target, xs, null);
    }

    /**
     * Returns the vector-Jacobian products seed^T · d target / d x for each x, without touching any {@code grad()}.
     * Inputs that the target does not depend on get zeros. A null seed stands for 1 and needs a scalar target.
     */
    public Tensor[] gradient(Tensor target, Tensor[] xs, Tensor seed) {
        if (xs.length == 0) throw new IllegalArgumentException("gradient: expected at least one tensor to differentiate with respect to, got none");
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) throw new IllegalArgumentException("gradient: input " + i + " is null");
            if (!xs[i].requiresGrad()) {
                throw new IllegalArgumentException("gradient: input " + i + " (shape " + Shapes.str(xs[i].shapeRef())
                        + ") does not require grad; call requiresGrad(true) on it before recording");
            }
        }
        return run("gradient", target, seed, xs);
    }

    private Tensor[] run(String call, Tensor target, Tensor seed, Tensor[] xs) {
        checkOwner(call);
        if (target == null) throw new IllegalArgumentException(call + ": target is null");
        if (!target.requiresGrad()) {
            throw new IllegalArgumentException(call + ": the target (shape " + Shapes.str(target.shapeRef())
                    + ") was not recorded on a tape: none of the tensors it was computed from requires grad, or it was "
                    + "computed outside Tape.record() or inside noGrad");
        }
        if (seed == null) {
            if (target.size() != 1 || target.dim() != 0) {
                throw new IllegalArgumentException(call + ": the target has shape " + Shapes.str(target.shapeRef())
                        + "; a scalar (shape []) is expected, or pass a seed gradient of that shape");
            }
            seed = Tensor.scalar(1.0);
        } else if (!java.util.Arrays.equals(seed.shapeRef(), target.shapeRef())) {
            throw new IllegalArgumentException(call + ": the seed has shape " + Shapes.str(seed.shapeRef())
                    + " but the target has shape " + Shapes.str(target.shapeRef()));
        }

        State s = state;
        int mine = s.open.indexOf(this);
        int saved = s.active;
        // While this tape differentiates, only a tape opened outside it may record (the backward pass).
        if (mine >= 0) s.active = Math.min(saved, mine);
        boolean createGraph = s.active > 0;
        try {
            return traverse(call, target, seed, xs, createGraph, retain || createGraph);
        } finally {
            s.active = saved;
        }
    }

    private Tensor[] traverse(String call, Tensor target, Tensor seed, Tensor[] xs, boolean createGraph, boolean keep) {
        List<Node> order = topologicalOrder(target);
        for (Node n : order) {
            if (n.released()) {
                throw new IllegalStateException(call + ": the graph through '" + n.op + "'" + n.at()
                        + " was already freed by an earlier backward pass; record with Tape.record().retainGraph() "
                        + "to differentiate it more than once");
            }
        }
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        IdentityHashMap<Tensor, Boolean> owned = new IdentityHashMap<>();
        grads.put(target, seed);
        // Plain backward (no create-graph, no anomaly checks) lets rules add into leaves' grad buffers directly.
        boolean fuse = xs == null && !createGraph && !anomalies;
        for (int at = 0; at < order.size(); at++) {
            Node n = order.get(at);
            // Without keep, each node is freed right after its visit (not all at the end): what the forward pass kept
            // for it becomes garbage as soon as it is no longer needed, which keeps the live memory of a pass small.
            if (!keep) order.set(at, null);
            Tensor[] g = new Tensor[n.outputs.length];
            boolean reached = false, mine = false;
            for (int k = 0; k < g.length; k++) {
                g[k] = grads.get(n.outputs[k]);
                if (g[k] == null) continue;
                reached = true;
                if (xs == null) grads.remove(n.outputs[k]);
                // from here on the rule may pass it (or views of it) to its inputs
                mine = owned.remove(g[k]) != null;
            }
            if (!reached) {
                if (!keep) n.release();
                continue;
            }
            state.fresh = null; // the rule runs on this thread (the owner's), whose state this is
            state.overwritable = fuse && mine && g.length == 1 ? g[0] : null;
            state.plain = fuse;
            Tensor[] gi;
            try {
                gi = n.backward(g, fuse ? sinks(n) : null);
            } finally {
                state.overwritable = null;
                state.plain = false;
            }
            boolean fresh = state.fresh == gi && gi != null;
            state.fresh = null;
            for (int i = 0; i < n.inputs.length; i++) {
                Tensor in = n.inputs[i];
                if (in == null || !in.requiresGrad() || gi[i] == null) continue;
                if (!java.util.Arrays.equals(gi[i].shapeRef(), in.shapeRef())) {
                    throw new IllegalStateException("the backward rule of '" + n.op + "' returned a gradient of shape "
                            + Shapes.str(gi[i].shapeRef()) + " for input " + i + " of shape " + Shapes.str(in.shapeRef()));
                }
                if (anomalies) checkFinite(gi[i], "the backward rule of '" + n.op + "' produced %s in the gradient of input " + i, n.where);
                accumulate(grads, owned, in, gi[i], fresh, createGraph);
            }
            if (!keep) n.release();
        }
        if (xs != null) {
            Tensor[] out = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) {
                Tensor g = grads.get(xs[i]);
                out[i] = g != null ? g : Tensor.zeros(xs[i].shapeRef());
            }
            return out;
        }
        for (var e : grads.entrySet()) {
            Tensor leaf = e.getKey();
            if (!leaf.isLeaf()) continue;
            Tensor g = e.getValue();
            // An owned sum may be stored as the leaf's grad once; any other tensor may alias another gradient.
            leaf.accumulateGrad(g, owned.remove(g) != null, createGraph);
        }
        return null;
    }

    /** The existing, plain grad buffers of a node's leaf inputs (null where there is none), or null if none has one. */
    private static Tensor[] sinks(Node n) {
        Tensor[] sinks = null;
        for (int i = 0; i < n.inputs.length; i++) {
            Tensor in = n.inputs[i];
            if (in != null && in.isLeaf() && in.requiresGrad() && in.grad() != null && !in.grad().requiresGrad()) {
                if (sinks == null) sinks = new Tensor[n.inputs.length];
                sinks[i] = in.grad();
            }
        }
        return sinks;
    }

    private static void accumulate(IdentityHashMap<Tensor, Tensor> grads, IdentityHashMap<Tensor, Boolean> owned,
                                   Tensor x, Tensor g, boolean fresh, boolean createGraph) {
        Tensor prev = grads.get(x);
        if (prev == null) {
            grads.put(x, g);
            if (fresh) owned.put(g, Boolean.TRUE);
        } else if (createGraph) {
            grads.put(x, prev.add(g));
        } else if (owned.containsKey(prev)) {
            prev.addInPlaceUnchecked(g);
        } else {
            Tensor sum = prev.add(g);
            owned.put(sum, Boolean.TRUE);
            grads.put(x, sum);
        }
    }

    /** Every node the target depends on, latest first (reverse recording order), found without recursion. */
    private List<Node> topologicalOrder(Tensor target) {
        long pass = ++state.pass;
        List<Node> nodes = new ArrayList<>();
        ArrayList<Node> stack = new ArrayList<>();
        Node root = target.node();
        if (root != null) {
            root.mark = pass;
            stack.add(root);
        }
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            nodes.add(n);
            for (Tensor in : n.inputs) {
                Node p = in == null ? null : in.node();
                if (p != null && p.mark != pass) {
                    p.mark = pass;
                    stack.add(p);
                }
            }
        }
        nodes.sort((a, b) -> Long.compare(b.seq, a.seq));
        return nodes;
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or a network of layers, as PyTorch's {@code torch.nn.Module}: a {@link #forward} function plus the
 * parameters, buffers and child modules it registered.
 *
 * <p>Names: a module's own entries are registered under simple names ({@code weight}, {@code 0}); the recursive
 * views ({@link #namedParameters()}, {@link #namedBuffers()}, {@link #stateDict()}) join them with dots in
 * registration order, so a parameter of the third child of a {@link Sequential} held as {@code layers} is
 * {@code layers.2.weight}. The order and the names are stable: they depend only on the order of registration.
 *
 * <p>Parameters are variables ({@code requiresGrad}); buffers are constants that belong to the state, such as
 * BatchNorm's running statistics. A parameter shared by two children is listed once, under its first name, as
 * PyTorch does.
 *
 * <p>Subclasses register their entries in the constructor and read them back through {@link #parameter(String)} /
 * {@link #buffer(String)} in {@code forward}, which is what lets {@link #functionalCall} substitute them.
 *
 * <p>Import this class by name ({@code import dev.descent.nn.Module;}): with only {@code import dev.descent.nn.*;}
 * the simple name is ambiguous with {@code java.lang.Module}.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module with no parameters, buffers or children yet, in training mode. */
    protected Module() {}

    /** Computes this module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    // ================================================================ registration

    /** Registers {@code param} under {@code name}, marking it as a variable. Returns it. */
    protected final Tensor registerParameter(String name, Tensor param) {
        checkNewName("parameter", name);
        parameters.put(name, param.requiresGrad(true));
        return param;
    }

    /** Registers a constant {@code buffer} (part of the state dict, never trained) under {@code name}. Returns it. */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkNewName("buffer", name);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers {@code child} under {@code name}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkNewName("module", name);
        if (child == null) throw new IllegalArgumentException(kind() + ": module '" + name + "' is null");
        children.put(name, child);
        return child;
    }

    private void checkNewName(String what, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(kind() + ": " + what + " name must be non-empty and contain no '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(kind() + ": attribute '" + name + "' already exists");
        }
    }

    /** This module's own parameter {@code name}. */
    protected final Tensor parameter(String name) {
        Tensor p = parameters.get(name);
        if (p == null) throw new IllegalArgumentException(kind() + ": no parameter '" + name + "'");
        return p;
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) throw new IllegalArgumentException(kind() + ": no buffer '" + name + "'");
        return b;
    }

    // ================================================================ recursive views

    /** Direct children by name, in registration order (read-only). */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants by dotted name, each tensor once, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), true);
        return out;
    }

    /** The values of {@link #namedParameters()}: what an optimizer updates. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer of this module and its descendants by dotted name, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    /** The values of {@link #namedBuffers()}. */
    public final List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean params) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collect(prefix + c.getKey() + ".", out, seen, params);
        }
    }

    // ================================================================ mode and gradients

    /** Puts this module and all its descendants in training mode (the initial mode). Returns this. */
    public Module train() {
        return train(true);
    }

    /** Puts this module and all its descendants in training ({@code true}) or evaluation mode. Returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Puts this module and all its descendants in evaluation mode: same as {@code train(false)}. Returns this. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Zeroes the accumulated gradient of every parameter (those that have none keep none). */
    public void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    // ================================================================ state

    /** Parameters then buffers by dotted name, as detached copies: later training does not change the result. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue().detach().copy());
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) out.put(prefix + e.getKey(), e.getValue().detach().copy());
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().collectState(prefix + c.getKey() + ".", out);
    }

    /** The keys a {@link #loadStateDict} call ignored ({@code unexpectedKeys}) or could not fill ({@code missingKeys}). */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, matching by dotted name, as
     * PyTorch's {@code load_state_dict}. A shape mismatch is always an error; missing and unexpected keys are errors
     * when {@code strict} and are reported in the result otherwise. On error nothing is changed and the message lists
     * every problem at once.
     *
     * @throws IllegalArgumentException listing missing keys, unexpected keys and shape mismatches
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        collectTargets("", own);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a tensor of shape " + Arrays.toString(src.shape())
                        + ", the shape in the current model is " + Arrays.toString(e.getValue().shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);

        List<String> errors = new ArrayList<>();
        if (strict && !missing.isEmpty()) errors.add("Missing key(s) in state_dict: " + quoted(missing));
        if (strict && !unexpected.isEmpty()) errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected));
        errors.addAll(mismatched);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) e.getValue().copyFrom(src);
        }
        return new LoadResult(missing, unexpected);
    }

    /** Every parameter and buffer by dotted name, shared ones under each of their names (all are load targets). */
    private void collectTargets(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collectTargets(prefix + k + ".", out));
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) sb.append(sb.isEmpty() ? "" : ", ").append('"').append(k).append('"');
        return sb.append('.').toString();
    }

    // ================================================================ functional call

    /**
     * Runs {@link #forward} with some parameters or buffers replaced by the given tensors (by dotted name), then
     * restores the originals, as {@code torch.func.functional_call}. Gradients then flow to the substitutes, which is
     * how a module is checked against finite differences with respect to its parameters. The substitution is visible
     * to other threads using the same module while the call runs.
     *
     * @throws IllegalArgumentException for a name that is neither a parameter nor a buffer, or a shape that differs
     */
    public final Tensor functionalCall(Map<String, Tensor> substitutes, Tensor input) {
        List<Runnable> restore = new ArrayList<>();
        try {
            for (Map.Entry<String, Tensor> e : substitutes.entrySet()) restore.add(substitute(e.getKey(), e.getValue()));
            return forward(input);
        } finally {
            for (int i = restore.size() - 1; i >= 0; i--) restore.get(i).run();
        }
    }

    private Runnable substitute(String dotted, Tensor value) {
        int dot = dotted.indexOf('.');
        if (dot >= 0) {
            Module child = children.get(dotted.substring(0, dot));
            if (child != null) return child.substitute(dotted.substring(dot + 1), value);
        } else {
            Map<String, Tensor> table = parameters.containsKey(dotted) ? parameters : buffers.containsKey(dotted) ? buffers : null;
            if (table != null) {
                Tensor old = table.get(dotted);
                if (!Arrays.equals(old.shape(), value.shape())) {
                    throw new IllegalArgumentException("functionalCall: " + dotted + " has shape " + Arrays.toString(old.shape())
                            + ", got a substitute of shape " + Arrays.toString(value.shape()));
                }
                table.put(dotted, value);
                return () -> table.put(dotted, old);
            }
        }
        throw new IllegalArgumentException("functionalCall: " + getClass().getSimpleName() + " has no parameter or buffer '" + dotted + "'");
    }

    // ================================================================ description

    /** The constructor arguments worth showing in {@link #toString()}, as PyTorch's {@code extra_repr}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /** {@code Name(extra)} for a leaf, and the children indented one per line for a container, as PyTorch prints. */
    @Override
    public String toString() {
        String head = getClass().getSimpleName() + "(" + extraRepr();
        if (children.isEmpty()) return head + ")";
        StringBuilder sb = new StringBuilder(head).append('\n');
        children.forEach((k, c) -> sb.append("  (").append(k).append("): ").append(c.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }

    private String kind() {
        return getClass().getSimpleName();
    }
}

package dev.descent.core;

/**
 * One recorded operation: its output (or outputs), its inputs, the tensors its backward rule reads (with their versions
 * at recording time) and the rule itself. The graph lives in the tensors ({@code output.node}); a node is kept alive
 * exactly as long as something downstream of it is. Most ops have one output and a {@link Backward} rule; an op with
 * several outputs (as {@code unbind} or the LSTM cell's {@code h} and {@code c}) has one node shared by all of them
 * and a {@link MultiBackward} rule, run once with the gradients of every output.
 */
final class Node {
    /** Maps the gradient of the output to the gradients of the inputs (null where an input gets none). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor grad);

        /**
         * As {@link #apply}, but where {@code sinks[i]} is non-null (the existing grad buffer of leaf input i) the rule
         * may add input i's gradient straight into it and return null in its place, saving a temporary. Rules that
         * cannot do better keep this default.
         */
        default Tensor[] applyInto(Tensor grad, Tensor[] sinks) {
            return apply(grad);
        }
    }

    /**
     * The rule of an op with several outputs: maps the gradients of its outputs (null for an output that received none,
     * which stands for zeros) to the gradients of its inputs (null where an input gets none).
     */
    @FunctionalInterface
    interface MultiBackward {
        Tensor[] apply(Tensor[] grads);
    }

    final String op;
    final long seq;
    /** The op's inputs; emptied when the node is released. */
    Tensor[] inputs;
    /** The op's outputs, one for all but multi-output ops. */
    final Tensor[] outputs;
    private Tensor[] saved;
    private int[] savedVersions;
    private Backward backward;
    private MultiBackward multiBackward;
    /** Where the op was recorded; only captured in anomaly mode. */
    final String where;
    /** Pass mark used by the traversal to visit each node once. */
    long mark;

    Node(String op, long seq, Tensor[] inputs, Tensor[] outputs, Tensor[] saved, Backward backward, MultiBackward multiBackward,
         String where) {
        this.op = op;
        this.seq = seq;
        this.inputs = inputs;
        this.outputs = outputs;
        this.saved = saved;
        this.backward = backward;
        this.multiBackward = multiBackward;
        this.where = where;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].version();
    }

    boolean released() {
        return backward == null && multiBackward == null;
    }

    /**
     * Frees what the node holds for backward: the rule (and the activations it captured), the saved tensors and the
     * links to the inputs, so that a graph being differentiated is freed node by node as the pass goes.
     */
    void release() {
        backward = null;
        multiBackward = null;
        inputs = NONE;
        saved = NONE;
        savedVersions = new int[0];
    }

    private static final Tensor[] NONE = new Tensor[0];

    /**
     * Runs the rule on the outputs' gradients ({@code grads[k]} for {@code outputs[k]}, null for none) after checking
     * that nothing it saved was modified; {@code sinks} may be null.
     */
    Tensor[] backward(Tensor[] grads, Tensor[] sinks) {
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("backward: a tensor of shape " + Shapes.str(saved[i].shapeRef())
                        + " saved by '" + op + "' was modified in place after it was recorded (version " + now
                        + ", expected " + savedVersions[i] + "), so its gradient would be wrong" + at()
                        + ". Use a copy, or modify it after backward.");
            }
        }
        if (multiBackward != null) return multiBackward.apply(grads);
        return sinks == null ? backward.apply(grads[0]) : backward.applyInto(grads[0], sinks);
    }

    String at() {
        return where == null ? "" : " (recorded at " + where + ")";
    }
}

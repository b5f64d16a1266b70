package dev.descent.core;

/**
 * One recorded operation: its output, its inputs, the tensors its backward rule reads (with their versions at
 * recording time) and the rule itself. The graph lives in the tensors ({@code output.node}); a node is kept alive
 * exactly as long as something downstream of it is.
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

    final String op;
    final long seq;
    final Tensor[] inputs;
    final Tensor output;
    private final Tensor[] saved;
    private final int[] savedVersions;
    private Backward backward;
    /** Where the op was recorded; only captured in anomaly mode. */
    final String where;
    /** Pass mark used by the traversal to visit each node once. */
    long mark;

    Node(String op, long seq, Tensor[] inputs, Tensor output, Tensor[] saved, Backward backward, String where) {
        this.op = op;
        this.seq = seq;
        this.inputs = inputs;
        this.output = output;
        this.saved = saved;
        this.backward = backward;
        this.where = where;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].version();
    }

    boolean released() {
        return backward == null;
    }

    void release() {
        backward = null;
    }

    /** Runs the rule after checking that nothing it saved was modified; {@code sinks} may be null. */
    Tensor[] backward(Tensor grad, Tensor[] sinks) {
        for (int i = 0; i < saved.length; i++) {
            int now = saved[i].version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("backward: a tensor of shape " + Shapes.str(saved[i].shapeRef())
                        + " saved by '" + op + "' was modified in place after it was recorded (version " + now
                        + ", expected " + savedVersions[i] + "), so its gradient would be wrong" + at()
                        + ". Use a copy, or modify it after backward.");
            }
        }
        return sinks == null ? backward.apply(grad) : backward.applyInto(grad, sinks);
    }

    String at() {
        return where == null ? "" : " (recorded at " + where + ")";
    }
}

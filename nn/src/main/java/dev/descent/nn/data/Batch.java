package dev.descent.nn.data;

import dev.descent.core.Tensor;

/** A batch of inputs and their targets, both with the batch along the first dimension. */
public record Batch(Tensor inputs, Tensor targets) {
    /** The targets as class indices, for {@code Losses.crossEntropy}: each target must hold an integral value. */
    public int[] classes() {
        double[] t = targets.toArray();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = (int) t[i];
            if (out[i] != t[i]) throw new IllegalStateException("Batch.classes: target " + i + " is " + t[i] + ", not a class index");
        }
        return out;
    }

    /** The number of examples. */
    public int size() {
        return inputs.shape(0);
    }
}

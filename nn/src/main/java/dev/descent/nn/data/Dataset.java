package dev.descent.nn.data;

/** A finite, indexable collection of examples, as PyTorch's map-style {@code Dataset}, read a batch at a time. */
public interface Dataset {
    /** The number of examples. */
    int size();

    /** The examples at {@code indices} (each in {@code [0, size())}), in that order. */
    Batch get(int[] indices);
}

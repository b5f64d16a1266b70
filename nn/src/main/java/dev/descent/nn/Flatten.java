package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Merges dimensions {@code startDim..endDim} (inclusive, negative counting from the end) into one, as PyTorch's
 * {@code nn.Flatten}; the default {@code (1, -1)} keeps the batch dimension and flattens the rest.
 */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        int rank = Math.max(s.length, 1);
        int start = startDim < 0 ? startDim + rank : startDim;
        int end = endDim < 0 ? endDim + rank : endDim;
        if (start < 0 || start >= rank || end < 0 || end >= rank || start > end) {
            throw new IllegalArgumentException(this + ": cannot flatten dimensions " + startDim + ".." + endDim + " of shape " + Arrays.toString(s));
        }
        if (s.length == 0) return input.reshape(1);
        int[] out = new int[s.length - (end - start)];
        int merged = 1;
        for (int d = start; d <= end; d++) merged *= s[d];
        for (int d = 0; d < start; d++) out[d] = s[d];
        out[start] = merged;
        for (int d = end + 1; d < s.length; d++) out[d - (end - start)] = s[d];
        return input.reshape(out);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}

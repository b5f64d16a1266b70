package dev.descent.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops that select by integer index: the extreme value along a dimension with its index (max/min/argmax/argmin), and
 * the embedding lookup. Indices are tensors of integral values; results that are indices are constants.
 */
final class IndexOps {
    private IndexOps() {}

    /**
     * The index of the largest (or smallest) element along {@code dim}, as a tensor of {@code keepDim} shape. Ties
     * resolve to the first occurrence and NaN counts as the extreme (the first NaN wins), as PyTorch on CPU.
     */
    static Tensor argExtreme(String op, Tensor a, int dim, boolean keepDim, boolean max) {
        if (a.dim() == 0) return keepDim ? Tensor.zeros() : Tensor.scalar(0);
        int ax = Shapes.axis(op, dim, a.dim());
        int[] s = a.shapeRef();
        int len = s[ax];
        if (len == 0) throw new IllegalArgumentException(op + ": cannot reduce over dimension " + ax + " of size 0 in shape " + Shapes.str(s));
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= s[i];
        for (int i = ax + 1; i < s.length; i++) inner *= s[i];
        double[] x = a.data(), idx = new double[outer * inner], best = new double[inner];
        for (int o = 0; o < outer; o++) {
            int base = o * len * inner, out = o * inner;
            System.arraycopy(x, base, best, 0, inner);
            for (int k = 1; k < len; k++) {
                int row = base + k * inner;
                for (int i = 0; i < inner; i++) {
                    double v = x[row + i], b = best[i];
                    boolean better = max ? v > b : v < b;
                    if (better || (v != v && b == b)) {
                        best[i] = v;
                        idx[out + i] = k;
                    }
                }
            }
        }
        return new Tensor(idx, Shapes.reduced(s, new int[] {ax}, keepDim));
    }

    /** The values at {@link #argExtreme} and the indices; the gradient flows to the selected element only (PyTorch). */
    static ValuesAndIndices extreme(String op, Tensor a, int dim, boolean keepDim, boolean max) {
        if (a.dim() == 0) return new ValuesAndIndices(a.reshape(), Tensor.scalar(0));
        int ax = Shapes.axis(op, dim, a.dim());
        Tensor kept = argExtreme(op, a, ax, true, max);
        Tensor values = a.gather(ax, kept);
        int[] reduced = Shapes.reduced(a.shapeRef(), new int[] {ax}, keepDim);
        return new ValuesAndIndices(keepDim ? values : values.reshape(reduced), keepDim ? kept : kept.reshape(reduced));
    }

    /** The flat index of the extreme of all elements, as {@code torch.argmax(x)} without a dim: a scalar. */
    static Tensor argExtremeFlat(String op, Tensor a, boolean max) {
        if (a.size() == 0) throw new IllegalArgumentException(op + ": cannot reduce an empty tensor of shape " + Shapes.str(a.shapeRef()));
        return argExtreme(op, a.reshape(-1), 0, false, max);
    }

    /**
     * Rows of {@code weight [V, D]} at the indices: output {@code [*indices.shape, D]}. The gradient adds the output
     * gradient's rows into the picked rows (repeats accumulate), except for rows picked by {@code paddingIdx}
     * (negative counts from the end; {@link #NO_PADDING}: none), which get none, as in PyTorch.
     */
    static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: expected weight [numEmbeddings, embeddingDim], got " + Shapes.str(weight.shapeRef()));
        int v = weight.shapeRef()[0], d = weight.shapeRef()[1];
        boolean hasPad = paddingIdx != NO_PADDING;
        if (hasPad && (paddingIdx < -v || paddingIdx >= v)) {
            throw new IllegalArgumentException("embedding: expected paddingIdx in [" + -v + ", " + v + "), got " + paddingIdx);
        }
        int pad = paddingIdx < 0 ? paddingIdx + v : paddingIdx;
        int[] idx = indexValues("embedding", indices, v);
        int[] outShape = new int[indices.dim() + 1];
        System.arraycopy(indices.shapeRef(), 0, outShape, 0, indices.dim());
        outShape[indices.dim()] = d;
        Tensor rows = Tape.noGrad(() -> weight.indexSelect(0, idx)).detach();
        Tensor out = new Tensor(rows.data(), outShape);
        int[] full = weight.shapeRef();
        Tape.record("embedding", out, new Tensor[] {weight}, Tape.NOTHING_SAVED, g -> {
            Tensor flat = g.reshape(idx.length, d);
            if (!hasPad) return new Tensor[] {Structural.indexAdd(flat, full, 0, idx)};
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < idx.length; i++) if (idx[i] != pad) keep.add(i);
            int[] at = new int[keep.size()], to = new int[keep.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = keep.get(i);
                to[i] = idx[at[i]];
            }
            return new Tensor[] {Structural.indexAdd(flat.indexSelect(0, at), full, 0, to)};
        });
        return out;
    }

    /** paddingIdx meaning "no padding row" (PyTorch's None). */
    static final int NO_PADDING = Integer.MIN_VALUE;

    /** The values of an index tensor as ints, each checked to be an integer in [0, bound). */
    static int[] indexValues(String op, Tensor indices, int bound) {
        double[] x = indices.data();
        int[] out = new int[indices.size()];
        for (int i = 0; i < out.length; i++) {
            double val = x[i];
            if (val != Math.rint(val) || val < 0 || val >= bound) {
                throw new IllegalArgumentException(op + ": index " + (val == Math.rint(val) ? String.valueOf((long) val) : String.valueOf(val))
                        + " is out of range [0, " + bound + ")");
            }
            out[i] = (int) val;
        }
        return out;
    }
}

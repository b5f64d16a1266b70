package dev.descent.core;

import dev.descent.core.kernel.Elementwise;
import java.util.Arrays;

/** Ops that move data without arithmetic (reshape, permute, broadcast, concat, slice, gather) and their adjoints. */
final class Structural {
    private Structural() {}

    static Tensor reshape(Tensor a, int[] newShape) {
        int[] shape = inferShape(a, newShape);
        if (Arrays.equals(shape, a.shapeRef())) return a;
        Tensor out = a.shareAs(shape);
        Tape.record("reshape", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> {
            // The gradient with a's shape shares g's array; when g is the tape's own and referenced nowhere else, so
            // is the reshaped one, which the traversal may then keep (and add into) without copying it.
            Tensor[] ga = {g.reshape(a.shapeRef())};
            return Tape.overwritable(g) ? Tape.fresh(ga) : ga;
        });
        return out;
    }

    private static int[] inferShape(Tensor a, int[] newShape) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dimension can be -1, got " + Shapes.str(newShape));
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid dimension " + newShape[i] + " in " + Shapes.str(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] shape = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || a.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(a.shapeRef()) + " (" + a.size()
                        + " elements) into " + Shapes.str(newShape));
            }
            shape[infer] = (int) (a.size() / known);
        } else if (known != a.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(a.shapeRef()) + " (" + a.size()
                    + " elements) into " + Shapes.str(newShape) + " (" + known + " elements)");
        }
        return shape;
    }

    static Tensor unsqueeze(Tensor a, int axis) {
        int ax = Shapes.axis("unsqueeze", axis, a.dim() + 1);
        int[] s = new int[a.dim() + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == ax ? 1 : a.shapeRef()[j++];
        return a.reshape(s);
    }

    static Tensor squeeze(Tensor a, int axis) {
        int ax = Shapes.axis("squeeze", axis, a.dim());
        if (a.shapeRef()[ax] != 1) {
            throw new IllegalArgumentException("squeeze: dimension " + ax + " of shape " + Shapes.str(a.shapeRef()) + " has size "
                    + a.shapeRef()[ax] + ", expected 1");
        }
        int[] s = new int[a.dim() - 1];
        for (int i = 0, j = 0; i < a.dim(); i++) if (i != ax) s[j++] = a.shapeRef()[i];
        return a.reshape(s);
    }

    static Tensor transpose(Tensor a, int x, int y) {
        int r = a.dim();
        if (r < 2) throw new IllegalArgumentException("transpose: expected a tensor of rank >= 2, got shape " + Shapes.str(a.shapeRef()));
        int ax = Shapes.axis("transpose", x, r), ay = Shapes.axis("transpose", y, r);
        int[] dims = new int[r];
        for (int i = 0; i < r; i++) dims[i] = i;
        dims[ax] = ay;
        dims[ay] = ax;
        return permute(a, dims);
    }

    static Tensor permute(Tensor a, int[] dims) {
        int r = a.dim();
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: expected " + r + " dimensions for shape " + Shapes.str(a.shapeRef())
                    + ", got " + Arrays.toString(dims));
        }
        int[] d = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            d[i] = Shapes.axis("permute", dims[i], r);
            if (seen[d[i]]) throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " is not a permutation of 0.." + (r - 1));
            seen[d[i]] = true;
            inverse[d[i]] = i;
        }
        int[] inShape = a.shapeRef(), inStrides = Shapes.strides(inShape);
        int[] shape = new int[r], src = new int[r];
        for (int i = 0; i < r; i++) {
            shape[i] = inShape[d[i]];
            src[i] = inStrides[d[i]];
        }
        Tensor out = new Tensor(Shapes.gather(a.data(), shape, src), shape);
        Tape.record("permute", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> new Tensor[] {g.permute(inverse)});
        return out;
    }

    static Tensor broadcastTo(Tensor a, int[] target) {
        if (Arrays.equals(a.shapeRef(), target)) return a;
        if (!Shapes.canBroadcastTo(a.shapeRef(), target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shapes.str(a.shapeRef()) + " cannot be broadcast to " + Shapes.str(target));
        }
        int[] shape = target.clone();
        Tensor out = a.size() == 1 ? Tensor.filled(a.data()[0], shape)
                : new Tensor(Shapes.gather(a.data(), shape, Shapes.broadcastStrides(a.shapeRef(), shape)), shape);
        Tape.record("broadcastTo", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> fresh(g, g.sumTo(a.shapeRef())));
        return out;
    }

    static Tensor sumTo(Tensor a, int[] target) {
        if (Arrays.equals(a.shapeRef(), target)) return a;
        if (!Shapes.canBroadcastTo(target, a.shapeRef())) {
            throw new IllegalArgumentException("sumTo: shape " + Shapes.str(a.shapeRef()) + " cannot be summed to " + Shapes.str(target)
                    + " (the target must broadcast to the source)");
        }
        int[] shape = a.shapeRef();
        int[] so = Shapes.broadcastStrides(target, shape);
        double[] x = a.data(), o = new double[Shapes.size(target)];
        if (o.length == 1) {
            // everything into one value: one vectorised sum, not one per row
            o[0] = Elementwise.sum(x, 0, x.length);
        } else {
            int n = Shapes.inner(shape), io = Shapes.innerStride(so);
            int[] pos = {0};
            Shapes.rows(shape, so, null, null, (off, u1, u2) -> {
                int p = pos[0];
                if (io == 0) {
                    o[off] += Elementwise.sum(x, p, n);
                } else {
                    Elementwise.axpy(1.0, x, p, o, off, n);
                }
                pos[0] += n;
            });
        }
        Tensor out = new Tensor(o, target.clone());
        Tape.record("sumTo", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> fresh(g, g.broadcastTo(a.shapeRef())));
        return out;
    }

    /** A rule's single gradient {@code d} computed from {@code g}: marked {@link Tape#fresh} unless it is g itself. */
    private static Tensor[] fresh(Tensor g, Tensor d) {
        Tensor[] out = {d};
        return d == g ? out : Tape.fresh(out);
    }

    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: expected at least one tensor, got none");
        int[] first = parts[0].shapeRef();
        if (first.length == 0) throw new IllegalArgumentException("concat: scalars cannot be concatenated; use stack");
        int ax = Shapes.axis("concat", axis, first.length);
        int total = 0;
        for (int p = 0; p < parts.length; p++) {
            int[] s = parts[p].shapeRef();
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == ax || s[i] == first[i];
            if (!ok) {
                throw new IllegalArgumentException("concat: tensor " + p + " has shape " + Shapes.str(s) + ", which does not match "
                        + Shapes.str(first) + " outside axis " + ax);
            }
            total += s[ax];
        }
        int[] shape = first.clone();
        shape[ax] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        double[] o = new double[Shapes.size(shape)];
        int start = 0;
        int[] starts = new int[parts.length];
        for (int p = 0; p < parts.length; p++) {
            // counted along the axis, not in elements, so zero-size parts (inner == 0) need no division
            int along = parts[p].shapeRef()[ax], len = along * inner;
            starts[p] = start;
            double[] x = parts[p].data();
            for (int r = 0; r < outer; r++) System.arraycopy(x, r * len, o, (r * total + start) * inner, len);
            start += along;
        }
        Tensor out = new Tensor(o, shape);
        Tensor[] inputs = parts.clone();
        Tape.record("concat", out, inputs, Tape.NOTHING_SAVED, g -> {
            Tensor[] gs = new Tensor[inputs.length];
            for (int p = 0; p < inputs.length; p++) {
                if (inputs[p].requiresGrad()) gs[p] = g.slice(ax, starts[p], starts[p] + inputs[p].shapeRef()[ax]);
            }
            return Tape.fresh(gs); // each slice is a copy of its own
        });
        return out;
    }

    static Tensor stack(int axis, Tensor[] parts) {
        if (parts.length == 0) throw new IllegalArgumentException("stack: expected at least one tensor, got none");
        int ax = Shapes.axis("stack", axis, parts[0].dim() + 1);
        Tensor[] expanded = new Tensor[parts.length];
        for (int p = 0; p < parts.length; p++) {
            if (!Arrays.equals(parts[p].shapeRef(), parts[0].shapeRef())) {
                throw new IllegalArgumentException("stack: tensor " + p + " has shape " + Shapes.str(parts[p].shapeRef())
                        + ", expected " + Shapes.str(parts[0].shapeRef()) + " like tensor 0");
            }
            expanded[p] = parts[p].unsqueeze(ax);
        }
        return concat(ax, expanded);
    }

    static Tensor slice(Tensor a, int axis, int start, int end) {
        if (a.dim() == 0) throw new IllegalArgumentException("slice: a scalar cannot be sliced");
        int ax = Shapes.axis("slice", axis, a.dim());
        int len = a.shapeRef()[ax];
        int s = start < 0 ? start + len : start, e = end < 0 ? end + len : end;
        if (s < 0 || e > len || s > e) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is out of bounds for axis " + ax
                    + " of size " + len + " in shape " + Shapes.str(a.shapeRef()));
        }
        int[] shape = a.shapeRef().clone();
        shape[ax] = e - s;
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        double[] x = a.data(), o = new double[Shapes.size(shape)];
        int chunk = (e - s) * inner;
        for (int r = 0; r < outer; r++) System.arraycopy(x, (r * len + s) * inner, o, r * chunk, chunk);
        Tensor out = new Tensor(o, shape);
        int[] full = a.shapeRef();
        Tape.record("slice", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> new Tensor[] {embed(g, full, ax, s)});
        return out;
    }

    /**
     * {@code n} consecutive parts of {@code a} along {@code axis}, as PyTorch's {@code torch.chunk}: each
     * {@code ceil(len / n)} long but the last, which holds the rest (fewer than {@code n} parts when the length runs out
     * first). One op with one output per part (see {@link #split}).
     */
    static Tensor[] chunk(Tensor a, int n, int axis) {
        if (a.dim() == 0) throw new IllegalArgumentException("chunk: a scalar cannot be split");
        if (n < 1) throw new IllegalArgumentException("chunk: expected at least 1 chunk, got " + n);
        int ax = Shapes.axis("chunk", axis, a.dim());
        int len = a.shapeRef()[ax];
        int size = Math.max(1, (len + n - 1) / n);
        int parts = len == 0 ? 1 : (len + size - 1) / size;
        if (parts == 1) return new Tensor[] {a};
        int[] lengths = new int[parts];
        for (int p = 0; p < parts; p++) lengths[p] = Math.min(size, len - p * size);
        return split("chunk", a, ax, lengths, false);
    }

    /** The slices of {@code a} at every index of {@code axis}, that axis removed, as PyTorch's {@code torch.unbind}. */
    static Tensor[] unbind(Tensor a, int axis) {
        int ax = Shapes.axis("unbind", axis, a.dim());
        int len = a.shapeRef()[ax];
        if (len == 0) return new Tensor[0];
        if (len == 1) return new Tensor[] {squeeze(a, ax)};
        int[] lengths = new int[len];
        Arrays.fill(lengths, 1);
        return split("unbind", a, ax, lengths, true);
    }

    /**
     * The consecutive parts of {@code a} along axis {@code ax} of the given lengths (with {@code squeeze}, all 1 and the
     * axis removed), as one recorded op with one output per part. Its backward concatenates the parts' gradients
     * (zeros for a part that received none) into one tensor of {@code a}'s shape, so splitting into {@code n} parts
     * costs {@code O(size)} both ways, whatever {@code n}.
     */
    private static Tensor[] split(String op, Tensor a, int ax, int[] lengths, boolean squeeze) {
        int[] full = a.shapeRef();
        int len = full[ax], outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= full[i];
        for (int i = ax + 1; i < full.length; i++) inner *= full[i];
        double[] x = a.data();
        Tensor[] outs = new Tensor[lengths.length];
        for (int p = 0, start = 0; p < outs.length; start += lengths[p], p++) {
            int[] shape = full.clone();
            shape[ax] = lengths[p];
            int chunk = lengths[p] * inner;
            double[] o;
            if (outer == 1) {
                o = Arrays.copyOfRange(x, start * inner, start * inner + chunk); // no zeroing before the copy
            } else {
                o = new double[outer * chunk];
                for (int r = 0; r < outer; r++) System.arraycopy(x, (r * len + start) * inner, o, r * chunk, chunk);
            }
            outs[p] = new Tensor(o, squeeze ? Shapes.reduced(shape, new int[] {ax}, false) : shape);
        }
        int[][] partShapes = new int[outs.length][];
        for (int p = 0; p < outs.length; p++) partShapes[p] = outs[p].shapeRef();
        Tape.record(op, outs, new Tensor[] {a}, Tape.NOTHING_SAVED, gs -> {
            Tensor[] parts = new Tensor[gs.length];
            for (int p = 0; p < gs.length; p++) {
                Tensor g = gs[p] != null ? gs[p] : Tensor.zeros(partShapes[p]);
                parts[p] = squeeze ? g.unsqueeze(ax) : g;
            }
            return Tape.fresh(new Tensor[] {concat(ax, parts)});
        });
        return outs;
    }

    /** The adjoint of slice: g placed at offset {@code start} along {@code axis} in zeros of {@code full} shape. */
    static Tensor embed(Tensor g, int[] full, int axis, int start) {
        int[] gs = g.shapeRef();
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= full[i];
        for (int i = axis + 1; i < full.length; i++) inner *= full[i];
        int chunk = gs[axis] * inner;
        double[] x = g.data(), o = new double[Shapes.size(full)];
        for (int r = 0; r < outer; r++) System.arraycopy(x, r * chunk, o, (r * full[axis] + start) * inner, chunk);
        Tensor out = new Tensor(o, full.clone());
        int end = start + gs[axis];
        Tape.record("embed", out, new Tensor[] {g}, Tape.NOTHING_SAVED, h -> new Tensor[] {h.slice(axis, start, end)});
        return out;
    }

    static Tensor indexSelect(Tensor a, int axis, int[] indices) {
        if (a.dim() == 0) throw new IllegalArgumentException("indexSelect: a scalar cannot be indexed");
        int ax = Shapes.axis("indexSelect", axis, a.dim());
        int len = a.shapeRef()[ax];
        for (int i : indices) {
            if (i < 0 || i >= len) {
                throw new IndexOutOfBoundsException("indexSelect: index " + i + " is out of bounds for axis " + ax + " of size " + len
                        + " in shape " + Shapes.str(a.shapeRef()));
            }
        }
        int[] idx = indices.clone();
        int[] shape = a.shapeRef().clone();
        shape[ax] = idx.length;
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        double[] x = a.data(), o = new double[Shapes.size(shape)];
        for (int r = 0; r < outer; r++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(x, (r * len + idx[j]) * inner, o, (r * idx.length + j) * inner, inner);
            }
        }
        Tensor out = new Tensor(o, shape);
        int[] full = a.shapeRef();
        Tape.record("indexSelect", out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> new Tensor[] {indexAdd(g, full, ax, idx)});
        return out;
    }

    /** The adjoint of indexSelect: rows of g added at {@code idx} along {@code axis} into zeros of {@code full} shape. */
    static Tensor indexAdd(Tensor g, int[] full, int axis, int[] idx) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= full[i];
        for (int i = axis + 1; i < full.length; i++) inner *= full[i];
        int len = full[axis];
        double[] x = g.data(), o = new double[Shapes.size(full)];
        for (int r = 0; r < outer; r++) {
            for (int j = 0; j < idx.length; j++) {
                int src = (r * idx.length + j) * inner, dst = (r * len + idx[j]) * inner;
                for (int i = 0; i < inner; i++) o[dst + i] += x[src + i];
            }
        }
        Tensor out = new Tensor(o, full.clone());
        Tape.record("indexAdd", out, new Tensor[] {g}, Tape.NOTHING_SAVED, h -> new Tensor[] {h.indexSelect(axis, idx)});
        return out;
    }

    static Tensor gather(Tensor a, int axis, Tensor index) {
        int r = a.dim();
        int ax = Shapes.axis("gather", axis, r);
        int[] is = index.shapeRef(), as = a.shapeRef();
        if (is.length != r) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(is) + " must have the rank of the input "
                    + Shapes.str(as));
        }
        for (int d = 0; d < r; d++) {
            if (d != ax && is[d] > as[d]) {
                throw new IllegalArgumentException("gather: index shape " + Shapes.str(is) + " exceeds input shape " + Shapes.str(as)
                        + " in dimension " + d);
            }
        }
        return take("gather", a, positions("gather", a, ax, index), is.clone());
    }

    /**
     * The elements of {@code a} at flat positions {@code pos}, as a tensor of {@code shape}, recorded as {@code op}; its
     * backward rule is {@link #scatterAdd}, whose own backward rule is this.
     */
    static Tensor take(String op, Tensor a, int[] pos, int[] shape) {
        double[] x = a.data(), o = new double[pos.length];
        for (int i = 0; i < o.length; i++) o[i] = x[pos[i]];
        Tensor out = new Tensor(o, shape);
        int[] full = a.shapeRef();
        Tape.record(op, out, new Tensor[] {a}, Tape.NOTHING_SAVED, g -> new Tensor[] {scatterAdd(g, full, pos)});
        return out;
    }

    /** For each element of index, the flat position in {@code a} it selects along {@code axis}. */
    private static int[] positions(String op, Tensor a, int axis, Tensor index) {
        int[] is = index.shapeRef(), as = a.shapeRef(), astr = Shapes.strides(as);
        double[] id = index.data();
        int[] pos = new int[index.size()];
        int[] coord = new int[is.length];
        for (int i = 0; i < pos.length; i++) {
            double v = id[i];
            if (v != Math.rint(v) || v < 0 || v >= as[axis]) {
                throw new IndexOutOfBoundsException(op + ": index value " + v + " is not an integer in [0, " + as[axis]
                        + ") for axis " + axis + " of shape " + Shapes.str(as));
            }
            int p = 0;
            for (int d = 0; d < is.length; d++) p += (d == axis ? (int) v : coord[d]) * astr[d];
            pos[i] = p;
            for (int d = is.length - 1; d >= 0; d--) {
                if (++coord[d] < is[d]) break;
                coord[d] = 0;
            }
        }
        return pos;
    }

    /** The adjoint of gather: g[i] added at flat positions pos[i] of zeros of {@code full} shape. */
    private static Tensor scatterAdd(Tensor g, int[] full, int[] pos) {
        double[] x = g.data(), o = new double[Shapes.size(full)];
        for (int i = 0; i < pos.length; i++) o[pos[i]] += x[i];
        Tensor out = new Tensor(o, full.clone());
        int[] gs = g.shapeRef();
        Tape.record("scatterAdd", out, new Tensor[] {g}, Tape.NOTHING_SAVED, h -> new Tensor[] {take("gatherFlat", h, pos, gs)});
        return out;
    }
}

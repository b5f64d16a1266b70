package dev.descent.core;

/** Reductions over axes (sum, mean, max, logSumExp) and the softmax family, with their backward rules. */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor a, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("sum", axes, a.dim());
        Tensor s = a.sumTo(Shapes.reduced(a.shapeRef(), ax, true));
        return keepDims ? s : s.reshape(Shapes.reduced(a.shapeRef(), ax, false));
    }

    static Tensor mean(Tensor a, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, a.dim());
        long count = 1;
        for (int d : ax) count *= a.shapeRef()[d];
        return sum(a, ax, keepDims).mul(1.0 / count);
    }

    /** The maximum over axes; the gradient is shared evenly among tied maxima (PyTorch's amax). */
    static Tensor max(Tensor a, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("max", axes, a.dim());
        int[] keep = Shapes.reduced(a.shapeRef(), ax, true);
        for (int d : ax) {
            if (a.shapeRef()[d] == 0) throw new IllegalArgumentException("max: cannot reduce over axis " + d + " of size 0 in shape " + Shapes.str(a.shapeRef()));
        }
        Tensor m = reduceMax(a, keep);
        Tape.record("max", m, new Tensor[] {a}, new Tensor[] {a, m}, g -> {
            Tensor ties = a.eq(m);
            return new Tensor[] {g.div(ties.sumTo(keep)).mul(ties)};
        });
        return keepDims ? m : m.reshape(Shapes.reduced(a.shapeRef(), ax, false));
    }

    /** Max of {@code a} into a tensor of {@code keep} shape (a broadcast-compatible shape with size-1 reduced axes). */
    private static Tensor reduceMax(Tensor a, int[] keep) {
        double[] o = new double[Shapes.size(keep)];
        java.util.Arrays.fill(o, Double.NEGATIVE_INFINITY);
        double[] x = a.data();
        int[] shape = a.shapeRef();
        int[] so = Shapes.broadcastStrides(keep, shape);
        int n = Shapes.inner(shape), io = Shapes.innerStride(so);
        int[] pos = {0};
        Shapes.rows(shape, so, null, null, (oo, u1, u2) -> {
            int p = pos[0];
            for (int i = 0; i < n; i++) {
                double v = x[p + i];
                int k = oo + i * io;
                if (v > o[k] || Double.isNaN(v)) o[k] = v;
            }
            pos[0] += n;
        });
        return new Tensor(o, keep);
    }

    static Tensor logSumExp(Tensor a, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("logSumExp", axes, a.dim());
        int[] keep = Shapes.reduced(a.shapeRef(), ax, true);
        Tensor out = Tape.noGrad(() -> {
            Tensor m = finiteMax(a, keep);
            return a.sub(m).exp().sumTo(keep).log().add(m);
        });
        Tensor lse = new Tensor(out.data(), keep);
        Tape.record("logSumExp", lse, new Tensor[] {a}, new Tensor[] {a, lse},
                g -> new Tensor[] {g.mul(a.sub(lse).exp())});
        return keepDims ? lse : lse.reshape(Shapes.reduced(a.shapeRef(), ax, false));
    }

    /** x - max - log(sum(exp(x - max))), shifting first as PyTorch does so large logits lose no precision. */
    static Tensor logSoftmax(Tensor a, int axis) {
        int ax = Shapes.axis("logSoftmax", axis, a.dim());
        Tensor y = Tape.noGrad(() -> {
            Tensor shifted = a.sub(finiteMax(a, Shapes.reduced(a.shapeRef(), new int[] {ax}, true)));
            return shifted.sub(shifted.exp().sum(ax, true).log());
        }).detach();
        Tape.record("logSoftmax", y, new Tensor[] {a}, new Tensor[] {y},
                g -> new Tensor[] {g.sub(y.exp().mul(g.sum(ax, true)))});
        return y;
    }

    /** exp(x - max) / sum(exp(x - max)) along the axis. */
    static Tensor softmax(Tensor a, int axis) {
        int ax = Shapes.axis("softmax", axis, a.dim());
        Tensor y = Tape.noGrad(() -> {
            Tensor e = a.sub(finiteMax(a, Shapes.reduced(a.shapeRef(), new int[] {ax}, true))).exp();
            return e.div(e.sum(ax, true));
        }).detach();
        Tape.record("softmax", y, new Tensor[] {a}, new Tensor[] {y},
                g -> new Tensor[] {y.mul(g.sub(g.mul(y).sum(ax, true)))});
        return y;
    }

    /** The max into {@code keep} shape, with infinite maxima replaced by 0 so that shifting never computes inf - inf. */
    private static Tensor finiteMax(Tensor a, int[] keep) {
        Tensor m = reduceMax(a, keep);
        double[] md = m.data();
        for (int i = 0; i < md.length; i++) if (Double.isInfinite(md[i])) md[i] = 0;
        return m;
    }
}

package dev.descent.core;

import dev.descent.core.kernel.ColumnSums;
import dev.descent.core.kernel.MatMul;

/** Matrix products. One primitive, op(A)·op(B) with optional transposes, whose backward rule uses itself. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got shapes "
                    + Shapes.str(a.shapeRef()) + " and " + Shapes.str(b.shapeRef()));
        }
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int ka = as[as.length - 1], kb = bs.length == 1 ? bs[0] : bs[bs.length - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(as) + " and " + Shapes.str(bs) + " are not aligned ("
                    + ka + " != " + kb + ")");
        }
        if (a.dim() == 1 || b.dim() == 1) {
            Tensor r = matmul(a.dim() == 1 ? a.unsqueeze(0) : a, b.dim() == 1 ? b.unsqueeze(1) : b);
            if (a.dim() == 1) r = r.squeeze(-2);
            return b.dim() == 1 ? r.squeeze(-1) : r;
        }
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2), batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        if (!java.util.Arrays.equals(batchA, batchB)) {
            int[] batch;
            try {
                batch = Shapes.broadcast("matmul", batchA, batchB);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("matmul: batch dimensions of shapes " + Shapes.str(as) + " and " + Shapes.str(bs)
                        + " cannot be broadcast together");
            }
            a = a.broadcastTo(concat(batch, as[as.length - 2], as[as.length - 1]));
            b = b.broadcastTo(concat(batch, bs[bs.length - 2], bs[bs.length - 1]));
        }
        return product(a, b, false, false);
    }

    /** {@code x·wᵀ + bias}; {@code wT}, when not null, is a plain copy of {@code wᵀ} that the product reads instead. */
    static Tensor linear(Tensor x, Tensor w, Tensor bias, Tensor wT) {
        if (w.dim() != 2) throw new IllegalArgumentException("linear: weight must be [out, in], got shape " + Shapes.str(w.shapeRef()));
        int in = w.shapeRef()[1];
        if (x.dim() == 0 || x.shapeRef()[x.dim() - 1] != in) {
            throw new IllegalArgumentException("linear: input of shape " + Shapes.str(x.shapeRef()) + " does not end in " + in
                    + " features as weight " + Shapes.str(w.shapeRef()) + " expects");
        }
        if (bias != null && (bias.dim() != 1 || bias.shapeRef()[0] != w.shapeRef()[0])) {
            throw new IllegalArgumentException("linear: bias must have shape [" + w.shapeRef()[0] + "], got " + Shapes.str(bias.shapeRef()));
        }
        if (wT != null && (wT.dim() != 2 || wT.shapeRef()[0] != in || wT.shapeRef()[1] != w.shapeRef()[0] || wT.requiresGrad())) {
            throw new IllegalArgumentException("linear: the transposed weight must be a plain tensor of shape [" + in + ", "
                    + w.shapeRef()[0] + "] (weight.detach().t()), got shape " + Shapes.str(wT.shapeRef())
                    + (wT.requiresGrad() ? " requiring grad" : ""));
        }
        Tensor x2 = x.dim() == 2 ? x : x.reshape(-1, in);
        Tensor y = bias == null && wT == null ? product(x2, w, false, true) : affine(x2, w, bias, wT);
        if (x.dim() == 2) return y;
        int[] shape = x.shape();
        shape[shape.length - 1] = w.shapeRef()[0];
        return y.reshape(shape);
    }

    /**
     * {@code x·wᵀ + bias} for {@code x [m, in]} as one op: the output starts as {@code bias} in every row and the product
     * is added to it by the matrix kernel (beta 1), which saves the product's own output and a pass over it. The
     * backward rule is the product's plus the bias's column sums of the gradient. Without a bias the output starts
     * empty (beta 0). With {@code wT} (wᵀ as a plain tensor) the product reads it untransposed, which the kernel can
     * do without packing it; every sum is taken in the same order, so the values do not change.
     */
    private static Tensor affine(Tensor x, Tensor w, Tensor bias, Tensor wT) {
        int m = x.shapeRef()[0], n = w.shapeRef()[0];
        double[] o = new double[m * n];
        if (bias != null) {
            double[] b = bias.data();
            for (int r = 0; r < m; r++) System.arraycopy(b, 0, o, r * n, n);
        }
        double beta = bias == null ? 0.0 : 1.0;
        if (wT != null) multiply(x, wT, false, false, beta, o);
        else multiply(x, w, false, true, beta, o);
        Tensor out = new Tensor(o, new int[] {m, n});
        Tape.record("linear", out, new Tensor[] {x, w, bias}, new Tensor[] {x, w}, new AffineBackward(new ProductBackward(x, w, false, true), bias));
        return out;
    }

    /** The backward rule of {@link #affine}: the product's rule for x and w, the column sums of the gradient for the bias. */
    private record AffineBackward(ProductBackward product, Tensor bias) implements Node.Backward {
        private static final Tensor[] NO_SINKS = new Tensor[3];

        @Override
        public Tensor[] apply(Tensor g) {
            return applyInto(g, NO_SINKS);
        }

        @Override
        public Tensor[] applyInto(Tensor g, Tensor[] sinks) {
            Tensor[] xw = product.applyInto(g, new Tensor[] {sinks[0], sinks[1]});
            Tensor gb = null;
            if (bias != null && bias.requiresGrad()) {
                if (g.requiresGrad() && Tape.isRecording()) {
                    gb = g.sumTo(bias.shapeRef());
                } else {
                    int[] gs = g.shapeRef();
                    double[] sums = new double[gs[1]];
                    ColumnSums.sums(g.data(), gs[0], gs[1], sums);
                    gb = new Tensor(sums, bias.shapeRef());
                }
            }
            return Tape.fresh(new Tensor[] {xw[0], xw[1], gb}); // each a new tensor (or null)
        }
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /**
     * op(A)·op(B) for operands with equal batch dimensions; op(X) is X or its transpose over the last two axes. The
     * backward rule is four cases of the same primitive, so no transpose is ever materialised.
     */
    static Tensor product(Tensor a, Tensor b, boolean ta, boolean tb) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int r = as.length;
        int m = ta ? as[r - 1] : as[r - 2], k = ta ? as[r - 2] : as[r - 1];
        int kb = tb ? bs[r - 1] : bs[r - 2], n = tb ? bs[r - 2] : bs[r - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(as) + (ta ? "ᵀ" : "") + " and " + Shapes.str(bs)
                    + (tb ? "ᵀ" : "") + " are not aligned (" + k + " != " + kb + ")");
        }
        int[] shape = concat(java.util.Arrays.copyOf(as, r - 2), m, n);
        Tensor out = new Tensor(new double[Shapes.size(shape)], shape);
        multiply(a, b, ta, tb, 0.0, out.data());
        Tape.record("matmul", out, new Tensor[] {a, b}, new Tensor[] {a, b}, new ProductBackward(a, b, ta, tb));
        return out;
    }

    /** out = op(A)·op(B) + beta·out, batch by batch, for operands already checked by {@link #product}. */
    private static void multiply(Tensor a, Tensor b, boolean ta, boolean tb, double beta, double[] out) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int r = as.length;
        int m = ta ? as[r - 1] : as[r - 2], k = ta ? as[r - 2] : as[r - 1], n = tb ? bs[r - 2] : bs[r - 1];
        int batches = Shapes.size(java.util.Arrays.copyOf(as, r - 2));
        double[] x = a.data(), y = b.data();
        // BLAS wants leading dimensions of at least 1, also for zero-size matrices (k = 0 gives beta * C, as NumPy)
        int lda = Math.max(1, as[r - 1]), ldb = Math.max(1, bs[r - 1]), ldc = Math.max(1, n);
        for (int i = 0; i < batches; i++) {
            MatMul.gemm(ta, tb, m, n, k, x, i * m * k, lda, y, i * k * n, ldb, beta, out, i * m * n, ldc);
        }
    }

    /**
     * The backward rule of op(A)·op(B): four cases of the same primitive. Into a leaf's existing grad buffer it adds
     * the product directly (gemm with beta = 1), so training steps allocate no weight-sized temporaries.
     */
    private record ProductBackward(Tensor a, Tensor b, boolean ta, boolean tb) implements Node.Backward {
        private static final Tensor[] NO_SINKS = new Tensor[2];

        @Override
        public Tensor[] apply(Tensor g) {
            return applyInto(g, NO_SINKS);
        }

        @Override
        public Tensor[] applyInto(Tensor g, Tensor[] sinks) {
            Tensor ga = null, gb = null;
            if (a.requiresGrad()) ga = ta ? (tb ? into(b, g, true, true, sinks[0]) : into(b, g, false, true, sinks[0]))
                                          : (tb ? into(g, b, false, false, sinks[0]) : into(g, b, false, true, sinks[0]));
            if (b.requiresGrad()) gb = tb ? (ta ? into(g, a, true, true, sinks[1]) : into(g, a, true, false, sinks[1]))
                                          : (ta ? into(a, g, false, false, sinks[1]) : into(a, g, true, false, sinks[1]));
            return Tape.fresh(new Tensor[] {ga, gb}); // each a new tensor (or null)
        }

        /** op(x)·op(y) as a new tensor, or added into {@code sink} (then null). */
        private static Tensor into(Tensor x, Tensor y, boolean tx, boolean ty, Tensor sink) {
            if (sink == null) return product(x, y, tx, ty);
            multiply(x, y, tx, ty, 1.0, sink.data());
            sink.markModified();
            return null;
        }
    }
}

package dev.descent.core;

import java.util.function.Function;

/**
 * Second derivatives of a scalar function by double backward: the gradient is computed on an inner tape while an
 * outer tape records that backward pass, and the outer tape then differentiates the gradient.
 */
public final class Hessian {
    private Hessian() {}

    /**
     * The Hessian of scalar {@code f} at {@code x}, as an [n, n] matrix with n = x.size() (x is flattened row-major).
     * Costs one backward pass per row.
     */
    public static Tensor of(Function<Tensor, Tensor> f, Tensor x) {
        int n = x.size();
        Tensor xv = x.detach().copy().requiresGrad(true);
        double[] h = new double[n * n];
        try (Tape outer = Tape.record().retainGraph()) {
            Tensor g = firstDerivative(f, xv);
            if (g.requiresGrad()) {
                for (int i = 0; i < n; i++) {
                    Tensor seed = Tensor.zeros(xv.shapeRef());
                    seed.data()[i] = 1;
                    Tensor row = outer.gradient(g, new Tensor[] {xv}, seed)[0];
                    System.arraycopy(row.data(), 0, h, i * n, n);
                }
            }
        }
        return new Tensor(h, new int[] {n, n});
    }

    /** The Hessian-vector product H(x)·v for scalar {@code f}, with v shaped like x; one double-backward pass. */
    public static Tensor vectorProduct(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        if (!java.util.Arrays.equals(x.shapeRef(), v.shapeRef())) {
            throw new IllegalArgumentException("Hessian.vectorProduct: v has shape " + Shapes.str(v.shapeRef()) + ", expected x's shape "
                    + Shapes.str(x.shapeRef()));
        }
        Tensor xv = x.detach().copy().requiresGrad(true);
        try (Tape outer = Tape.record()) {
            Tensor g = firstDerivative(f, xv);
            return g.requiresGrad() ? outer.gradient(g, new Tensor[] {xv}, v.detach())[0].detach() : Tensor.zeros(x.shapeRef());
        }
    }

    /** The gradient of f at xv, computed on an inner tape so that the enclosing tape records it. */
    static Tensor firstDerivative(Function<Tensor, Tensor> f, Tensor xv) {
        try (Tape inner = Tape.record()) {
            Tensor y = f.apply(xv);
            if (y.size() != 1 || y.dim() != 0) {
                throw new IllegalArgumentException("Hessian: f must return a scalar (shape []), got shape " + Shapes.str(y.shapeRef()));
            }
            if (!y.requiresGrad()) return Tensor.zeros(xv.shapeRef());
            return inner.gradient(y, xv)[0];
        }
    }
}

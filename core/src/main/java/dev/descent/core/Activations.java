package dev.descent.core;

/**
 * The activations with options or with a PyTorch convention that no composition of primitives reproduces, each one
 * fused op: a forward loop and a backward rule in tensor ops (so second derivatives work). Activations that are plain
 * compositions ({@code mish}, {@code selu}, {@code celu}, {@code softsign}) are written as such on {@link Tensor}.
 */
final class Activations {
    private Activations() {}

    /** √(2/π) and the cubic coefficient of the tanh approximation of GELU (Hendrycks and Gimpel, 2016). */
    private static final double K = Math.sqrt(2 / Math.PI), C = 0.044715;

    /** {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, PyTorch's {@code gelu(approximate='tanh')}. */
    static Tensor geluTanh(Tensor a) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) {
            double v = x[i];
            o[i] = 0.5 * v * (1 + Math.tanh(K * (v + C * v * v * v)));
        }
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("gelu", out, new Tensor[] {a}, new Tensor[] {a}, g -> {
            // d/dx = 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(√(2/π)·(x + 0.044715·x³))
            Tensor t = a.pow(3).mul(C).add(a).mul(K).tanh();
            Tensor inner = a.square().mul(3 * C).add(1).mul(K);
            return new Tensor[] {g.mul(t.add(1).mul(0.5).add(a.mul(0.5).mul(t.square().neg().add(1)).mul(inner)))};
        });
        return out;
    }

    /**
     * {@code log(1 + e^(βx))/β}, and {@code x} itself where {@code βx > threshold}, as PyTorch's {@code softplus};
     * the gradient is {@code sigmoid(βx)}, and 1 above the threshold.
     */
    static Tensor softplus(Tensor a, double beta, double threshold) {
        if (!(beta > 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("softplus: expected a finite beta > 0, got " + beta);
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) {
            double bx = beta * x[i];
            o[i] = bx > threshold ? x[i] : Math.log1p(Math.exp(bx)) / beta;
        }
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("softplus", out, new Tensor[] {a}, new Tensor[] {a}, g -> {
            Tensor bx = a.mul(beta);
            return new Tensor[] {g.mul(Tensor.where(bx.gt(threshold), Tensor.scalar(1), bx.sigmoid()))};
        });
        return out;
    }

    /** {@code x} clamped into [min, max]; the gradient is 1 strictly inside and 0 on and beyond the bounds (PyTorch). */
    static Tensor hardtanh(Tensor a, double min, double max) {
        if (!(min <= max)) throw new IllegalArgumentException("hardtanh: expected minVal <= maxVal, got " + min + " > " + max);
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = x[i] < min ? min : x[i] > max ? max : x[i];
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("hardtanh", out, new Tensor[] {a}, new Tensor[] {a}, g -> new Tensor[] {g.mul(a.gt(min).mul(a.lt(max)))});
        return out;
    }

    /**
     * {@code x·min(max(x + 3, 0), 6)/6} (Howard et al., 2019); the gradient is 0 below −3, {@code (2x + 3)/6} on
     * [−3, 3] (bounds included, as PyTorch's scalar kernel; its vectorised kernel in 1.13 gives 1 at exactly 3) and 1
     * above.
     */
    static Tensor hardswish(Tensor a) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = x[i] * Math.min(Math.max(x[i] + 3, 0), 6) / 6;
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("hardswish", out, new Tensor[] {a}, new Tensor[] {a}, g -> {
            Tensor middle = a.mul(2).add(3).div(6);
            return new Tensor[] {g.mul(Tensor.where(a.lt(-3), Tensor.scalar(0), Tensor.where(a.le(3), middle, Tensor.scalar(1))))};
        });
        return out;
    }

    /** {@code log σ(x) = min(x, 0) − log(1 + e^−|x|)}, exact for any x; the gradient is {@code σ(−x)}. */
    static Tensor logSigmoid(Tensor a) {
        double[] x = a.data(), o = new double[a.size()];
        for (int i = 0; i < o.length; i++) o[i] = Math.min(x[i], 0) - Math.log1p(Math.exp(-Math.abs(x[i])));
        Tensor out = new Tensor(o, a.shapeRef());
        Tape.record("logSigmoid", out, new Tensor[] {a}, new Tensor[] {a}, g -> new Tensor[] {g.mul(a.neg().sigmoid())});
        return out;
    }
}

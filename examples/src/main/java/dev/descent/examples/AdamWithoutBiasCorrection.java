package dev.descent.examples;

import dev.descent.core.Tensor;
import dev.descent.optim.Adam;
import dev.descent.optim.Optimizer;
import java.util.List;

/**
 * Adam with its bias correction removed, for the optimizers demonstration only: the same moment estimates as
 * {@link Adam} ({@code m ← β₁m + (1 − β₁)g}, {@code v ← β₂v + (1 − β₂)g²}) but the step is {@code lr · m / (√v + ε)}
 * instead of {@code lr · m̂ / (√v̂ + ε)} with {@code m̂ = m / (1 − β₁ᵗ)}, {@code v̂ = v / (1 − β₂ᵗ)}. Both moments start at
 * zero, so early on {@code m} and {@code v} are too small; as {@code √(1 − β₂ᵗ)} is far smaller than {@code 1 − β₁ᵗ}
 * for the default betas, the uncorrected step is too <em>large</em>: by {@code (1 − β₁ᵗ)/√(1 − β₂ᵗ)}, about 3 at the
 * first step, 6.5 at the tenth and still 1.3 after a thousand (Kingma and Ba, 2015, section 3).
 */
final class AdamWithoutBiasCorrection extends Optimizer<Adam.Options> {
    private static final List<String> MOMENTS = List.of("exp_avg", "exp_avg_sq");

    AdamWithoutBiasCorrection(List<Tensor> params, Adam.Options options) {
        super(params, options);
    }

    @Override
    protected List<String> bufferNames(Adam.Options options) {
        return MOMENTS;
    }

    @Override
    protected double update(double[] p, double[] g, int n, State s, Adam.Options o) {
        double[] m = s.buffer(0), v = s.buffer(1);
        double largest = 0; // the largest |p| left, which the next step's finiteness check starts from
        for (int i = 0; i < n; i++) {
            m[i] = o.beta1() * m[i] + (1 - o.beta1()) * g[i];
            v[i] = o.beta2() * v[i] + (1 - o.beta2()) * g[i] * g[i];
            p[i] -= o.lr() * m[i] / (Math.sqrt(v[i]) + o.eps());
            largest = Math.max(largest, Math.abs(p[i]));
        }
        return largest;
    }
}

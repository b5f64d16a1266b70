package dev.descent.optim.clip;

import dev.descent.core.Tensor;
import java.util.List;

/**
 * Gradient clipping in place: by global norm and by value as {@code torch.nn.utils}, per parameter, and adaptive (AGC).
 * Parameters without a gradient are skipped. Each method checks everything before it writes, so one that throws leaves
 * every gradient unchanged.
 */
public final class Clip {
    private Clip() {}

    /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm, not failing on non-finite norms. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * Scales all gradients together so that their total {@code normType}-norm — the norm of the vector of every
     * gradient's norm, i.e. of all gradient elements concatenated — is at most about {@code maxNorm}, exactly as
     * {@code torch.nn.utils.clip_grad_norm_}:
     *
     * <pre>
     *   N = ‖(‖g₁‖ₚ, …, ‖gₖ‖ₚ)‖ₚ      (p = ∞: the largest |element|)
     *   gᵢ ← gᵢ · min(1, maxNorm / (N + 1e-6))
     * </pre>
     *
     * A non-finite {@code N} (a NaN or infinite gradient element) throws when {@code errorIfNonfinite}; otherwise, as
     * PyTorch, the gradients are scaled by the resulting factor (0 for an infinite norm, NaN for a NaN one).
     *
     * @param params the parameters whose gradients to clip
     * @param maxNorm the largest total norm allowed
     * @param normType {@code p}: a positive number or {@link Double#POSITIVE_INFINITY}
     * @param errorIfNonfinite throw {@link IllegalStateException} (changing nothing) when the total norm is NaN or infinite
     * @return the total norm of the gradients before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm: normType must be positive or infinity, got " + normType);
        boolean any = false;
        double total = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            double norm = norm(g.data(), 0, g.size(), normType);
            if (normType == Double.POSITIVE_INFINITY) total = Math.max(total, norm);
            else total += normType == 1 ? norm : normType == 2 ? norm * norm : Math.pow(norm, normType);
            any = true;
        }
        if (!any) return 0.0;
        if (normType == 2) total = Math.sqrt(total);
        else if (normType != 1 && normType != Double.POSITIVE_INFINITY) total = Math.pow(total, 1 / normType);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("The total norm of order " + normType + " for gradients from `parameters` is non-finite, so it "
                    + "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                    + "`errorIfNonfinite=false`");
        }
        double coefficient = maxNorm / (total + 1e-6);
        double clamped = coefficient > 1.0 ? 1.0 : coefficient; // NaN stays NaN, as torch.clamp
        for (Tensor p : params) {
            if (p.grad() != null) scale(p.grad(), 0, p.grad().size(), clamped);
        }
        return total;
    }

    /**
     * Clips each parameter's gradient on its own: {@code gᵢ ← gᵢ · min(1, maxNorm / (‖gᵢ‖ₚ + 1e-6))}, the per-tensor
     * version of {@link #clipGradNorm(List, double, double, boolean)}.
     *
     * @param params the parameters whose gradients to clip
     * @param maxNorm the largest norm allowed for each gradient
     * @param normType {@code p}: a positive number or {@link Double#POSITIVE_INFINITY}
     * @return each parameter's gradient norm before clipping (NaN for a parameter without a gradient)
     */
    public static double[] clipGradNormPerParameter(List<Tensor> params, double maxNorm, double normType) {
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNormPerParameter: normType must be positive or infinity, got " + normType);
        double[] norms = new double[params.size()];
        for (int k = 0; k < norms.length; k++) {
            Tensor g = params.get(k).grad();
            if (g == null) {
                norms[k] = Double.NaN;
                continue;
            }
            norms[k] = norm(g.data(), 0, g.size(), normType);
            double coefficient = maxNorm / (norms[k] + 1e-6);
            scale(g, 0, g.size(), coefficient > 1.0 ? 1.0 : coefficient);
        }
        return norms;
    }

    /**
     * Adaptive gradient clipping (Brock, De, Smith and Simonyan, "High-Performance Large-Scale Image Recognition Without
     * Normalization", ICML 2021, section 4.1), unit-wise as the paper and {@code timm.utils.adaptive_clip_grad}. A
     * unit is a slice along axis 0 (an output row of a weight matrix or a filter); a tensor of rank 0 or 1 is one
     * unit. For each unit with weights {@code W} and gradient {@code G} (2-norms):
     *
     * <pre>
     *   G ← G · λ max(‖W‖, ε) / max(‖G‖, 1e-6)     when ‖G‖ ≥ λ max(‖W‖, ε);   G unchanged otherwise
     * </pre>
     *
     * @param params the parameters whose gradients to clip
     * @param clipping {@code λ}, the largest allowed ratio of gradient norm to weight norm (the paper uses 0.01–0.16)
     * @param eps {@code ε}, the smallest weight norm used, so that zero-initialised units can move (the paper: 1e-3)
     */
    public static void clipGradAdaptive(List<Tensor> params, double clipping, double eps) {
        if (!(clipping > 0)) throw new IllegalArgumentException("clipGradAdaptive: clipping must be > 0, got " + clipping);
        if (!(eps >= 0)) throw new IllegalArgumentException("clipGradAdaptive: eps must be >= 0, got " + eps);
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            int units = p.dim() <= 1 ? 1 : p.shape(0), width = p.size() / Math.max(units, 1);
            for (int u = 0; u < units; u++) {
                int from = u * width;
                double maxNorm = Math.max(norm(p.data(), from, width, 2), eps) * clipping;
                double gradNorm = norm(g.data(), from, width, 2);
                if (!(gradNorm < maxNorm)) scale(g, from, width, maxNorm / Math.max(gradNorm, 1e-6));
            }
        }
    }

    private static void scale(Tensor g, int from, int n, double factor) {
        double[] d = g.data();
        for (int i = from; i < from + n; i++) d[i] *= factor;
        g.markModified();
    }

    /** The p-norm of {@code x[from, from + n)}: sum of |x| for p = 1, the square root of the sum of squares for 2, the max |x| for ∞. */
    private static double norm(double[] x, int from, int n, double p) {
        double acc = 0;
        for (int i = from; i < from + n; i++) {
            double a = Math.abs(x[i]);
            if (p == Double.POSITIVE_INFINITY) acc = Math.max(acc, a); // Math.max propagates NaN, as torch.max
            else acc += p == 1 ? a : p == 2 ? a * a : Math.pow(a, p);
        }
        if (p == 2) return Math.sqrt(acc);
        if (p == 1 || p == Double.POSITIVE_INFINITY) return acc;
        return Math.pow(acc, 1 / p);
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]} in place, as
     * {@code torch.nn.utils.clip_grad_value_} (NaN elements stay NaN).
     *
     * @param params the parameters whose gradients to clip
     * @param clipValue the largest magnitude allowed, {@code >= 0}
     */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, got " + clipValue);
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            double[] d = g.data();
            for (int i = 0, n = g.size(); i < n; i++) {
                if (d[i] > clipValue) d[i] = clipValue;
                else if (d[i] < -clipValue) d[i] = -clipValue;
            }
            g.markModified();
        }
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation (Ba et al., 2016), as PyTorch's {@code nn.LayerNorm} with its defaults: over the trailing
 * dimensions {@code normalizedShape}, {@code y = (x − mean) / √(var + eps) · weight + bias} with the biased variance,
 * {@code eps = 1e-5}, weight initialised to ones and bias to zeros (both of shape {@code normalizedShape}). The same in
 * training and evaluation.
 */
public final class LayerNorm extends Module {
    private static final double EPS = 1e-5;
    private final int[] normalizedShape;

    public LayerNorm(int... normalizedShape) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: expected a non-empty normalizedShape");
        this.normalizedShape = normalizedShape.clone();
        registerParameter("weight", Tensor.ones(normalizedShape));
        registerParameter("bias", Tensor.zeros(normalizedShape));
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        int k = normalizedShape.length;
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException(this + ": expected input with shape [*, " + Arrays.toString(normalizedShape).substring(1)
                    + ", got shape " + Arrays.toString(s));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = s.length - k + i;
        Tensor centred = input.sub(input.mean(axes, true));
        Tensor var = centred.square().mean(axes, true);
        return centred.div(var.add(EPS).sqrt()).mul(parameter("weight")).add(parameter("bias"));
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')') + ", eps=" + EPS;
    }
}

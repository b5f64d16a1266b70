package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation (Ba et al., 2016), as PyTorch's {@code nn.LayerNorm}, through the fused {@link Tensor#layerNorm}
 * op: over the trailing dimensions {@code normalizedShape}, {@code y = (x − mean) / √(var + eps) · weight + bias} with
 * the biased variance; with {@code elementwiseAffine} (the default) weight is initialised to ones and bias to zeros,
 * both of shape {@code normalizedShape}. The same in training and evaluation; any number of leading dimensions.
 */
public final class LayerNorm extends Module {
    /** PyTorch's options, with its defaults in {@link #DEFAULT}: {@code eps} added to the variance, {@code elementwiseAffine}. */
    public record Options(double eps, boolean elementwiseAffine) {
        /** eps 1e-5 and a learnable elementwise affine map (PyTorch's defaults). */
        public static final Options DEFAULT = new Options(1e-5, true);

        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("LayerNorm: expected a finite eps >= 0, got " + eps);
        }

        public Options withEps(double eps) {
            return new Options(eps, elementwiseAffine);
        }

        public Options withElementwiseAffine(boolean elementwiseAffine) {
            return new Options(eps, elementwiseAffine);
        }
    }

    private final int[] normalizedShape;
    private final Options options;

    /** With PyTorch's defaults ({@link Options#DEFAULT}). */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Options.DEFAULT);
    }

    public LayerNorm(int[] normalizedShape, Options options) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: expected a non-empty normalizedShape");
        for (int d : normalizedShape) {
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: expected positive sizes in normalizedShape, got " + Arrays.toString(normalizedShape));
        }
        if (options == null) throw new IllegalArgumentException("LayerNorm: options is null");
        this.normalizedShape = normalizedShape.clone();
        this.options = options;
        if (options.elementwiseAffine()) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        int k = normalizedShape.length;
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: expected input [*, " + Arrays.toString(normalizedShape).substring(1)
                    + ", got " + Arrays.toString(s));
        }
        boolean affine = options.elementwiseAffine();
        return Tensor.layerNorm(input, normalizedShape, affine ? parameter("weight") : null, affine ? parameter("bias") : null, options.eps());
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')') + ", eps=" + options.eps()
                + ", elementwise_affine=" + options.elementwiseAffine();
    }
}

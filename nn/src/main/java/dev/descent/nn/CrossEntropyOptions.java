package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * The options of {@link Losses#crossEntropy(Tensor, int[], CrossEntropyOptions, Reduction)}, as the keyword arguments
 * of PyTorch's {@code F.cross_entropy}, with its defaults in {@link #DEFAULT}: a per-class rescaling {@code weight}
 * ({@code [C]}, null for none; a constant), the {@code ignoreIndex} whose targets contribute nothing (-100), and
 * {@code labelSmoothing} in [0, 1] (0).
 */
public record CrossEntropyOptions(Tensor weight, int ignoreIndex, double labelSmoothing) {
    /** No class weights, ignoreIndex -100, no label smoothing (PyTorch's defaults). */
    public static final CrossEntropyOptions DEFAULT = new CrossEntropyOptions(null, -100, 0.0);

    public CrossEntropyOptions {
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("crossEntropy: expected a weight of shape [C], got " + java.util.Arrays.toString(weight.shape()));
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: expected labelSmoothing in [0, 1], got " + labelSmoothing);
        }
    }

    public CrossEntropyOptions withWeight(Tensor weight) {
        return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing);
    }

    public CrossEntropyOptions withIgnoreIndex(int ignoreIndex) {
        return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing);
    }

    public CrossEntropyOptions withLabelSmoothing(double labelSmoothing) {
        return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing);
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument (default {@link #MEAN}). */
public enum Reduction {
    /** The per-element losses, unreduced. */
    NONE,
    /** Their mean. */
    MEAN,
    /** Their sum. */
    SUM;

    Tensor apply(Tensor perElement) {
        return switch (this) {
            case NONE -> perElement;
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
        };
    }
}

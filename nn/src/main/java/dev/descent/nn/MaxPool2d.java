package dev.descent.nn;

import dev.descent.core.Pool2dOptions;
import dev.descent.core.Tensor;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}, over {@code [N, C, H, W]} or {@code [C, H, W]}; see
 * {@link Tensor#maxPool2d(Pool2dOptions)} (ties send the gradient to the first maximum in row-major window order).
 * For the indices of the maxima call {@link Tensor#maxPool2dWithIndices} on the input.
 */
public final class MaxPool2d extends Module {
    private final Pool2dOptions options;

    /** A {@code kernel x kernel} window with stride equal to the kernel (PyTorch's default). */
    public MaxPool2d(int kernel) {
        this(Pool2dOptions.of(kernel));
    }

    public MaxPool2d(Pool2dOptions options) {
        this.options = options;
    }

    public Pool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolLayers.checkInput("MaxPool2d", input).maxPool2d(options);
    }

    @Override
    protected String extraRepr() {
        return PoolLayers.repr(options) + ", dilation=[" + options.dilationH() + ", " + options.dilationW() + "], ceil_mode=" + options.ceilMode();
    }
}

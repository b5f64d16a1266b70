package dev.descent.nn;

import dev.descent.core.Pool2dOptions;
import dev.descent.core.Tensor;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d}, over {@code [N, C, H, W]} or {@code [C, H, W]}; see
 * {@link Tensor#avgPool2d(Pool2dOptions, boolean)}. {@code countIncludePad} (PyTorch's default true) divides by the
 * window's size within the padded input rather than by the input elements it covers.
 */
public final class AvgPool2d extends Module {
    private final Pool2dOptions options;
    private final boolean countIncludePad;

    /** A {@code kernel x kernel} window with stride equal to the kernel, counting padding (PyTorch's defaults). */
    public AvgPool2d(int kernel) {
        this(Pool2dOptions.of(kernel), true);
    }

    /** @throws IllegalArgumentException for a dilation other than 1, which average pooling does not have */
    public AvgPool2d(Pool2dOptions options, boolean countIncludePad) {
        if (options.dilationH() != 1 || options.dilationW() != 1) {
            throw new IllegalArgumentException("AvgPool2d: expected dilation 1 (average pooling has none), got [" + options.dilationH()
                    + ", " + options.dilationW() + "]");
        }
        this.options = options;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolLayers.checkInput("AvgPool2d", input).avgPool2d(options, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return PoolLayers.repr(options) + ", ceil_mode=" + options.ceilMode() + ", count_include_pad=" + countIncludePad;
    }
}

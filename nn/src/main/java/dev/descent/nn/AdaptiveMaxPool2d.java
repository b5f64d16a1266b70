package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * Adaptive max pooling to a fixed output size, as PyTorch's {@code nn.AdaptiveMaxPool2d}, over {@code [N, C, H, W]}
 * or {@code [C, H, W]}; see {@link Tensor#adaptiveMaxPool2d} (ties as {@link MaxPool2d}).
 */
public final class AdaptiveMaxPool2d extends Module {
    private final int outH;
    private final int outW;

    /** A square {@code size x size} output. */
    public AdaptiveMaxPool2d(int size) {
        this(size, size);
    }

    public AdaptiveMaxPool2d(int outH, int outW) {
        PoolLayers.checkOutput("AdaptiveMaxPool2d", outH, outW);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolLayers.checkInput("AdaptiveMaxPool2d", input).adaptiveMaxPool2d(outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=[" + outH + ", " + outW + "]";
    }
}

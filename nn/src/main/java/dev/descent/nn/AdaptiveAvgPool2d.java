package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * Adaptive average pooling to a fixed output size, as PyTorch's {@code nn.AdaptiveAvgPool2d}, over
 * {@code [N, C, H, W]} or {@code [C, H, W]}; see {@link Tensor#adaptiveAvgPool2d}. With output size 1 it is global
 * average pooling, the head of a ResNet.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    /** A square {@code size x size} output. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        PoolLayers.checkOutput("AdaptiveAvgPool2d", outH, outW);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolLayers.checkInput("AdaptiveAvgPool2d", input).adaptiveAvgPool2d(outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=[" + outH + ", " + outW + "]";
    }
}

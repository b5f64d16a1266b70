package dev.descent.nn;

import dev.descent.core.Pool2dOptions;
import dev.descent.core.Tensor;

import java.util.Arrays;

/** What the pooling layers share: how they print their window and check their input and output sizes. */
final class PoolLayers {
    private PoolLayers() {}

    static String repr(Pool2dOptions o) {
        return "kernel_size=[" + o.kernelH() + ", " + o.kernelW() + "], stride=[" + o.strideH() + ", " + o.strideW()
                + "], padding=[" + o.paddingH() + ", " + o.paddingW() + "]";
    }

    static void checkOutput(String layer, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(layer + ": expected a positive output size, got [" + outH + ", " + outW + "]");
        }
    }

    /** A batched [N, C, H, W] or unbatched [C, H, W] input, in the layer's words. */
    static Tensor checkInput(String layer, Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(layer + ": expected input [N, C, H, W] or [C, H, W], got " + Arrays.toString(x.shape()));
        }
        return x;
    }
}

package dev.descent.nn;

import dev.descent.core.Pool2dOptions;

/** What the pooling layers share: how they print their window. */
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
}

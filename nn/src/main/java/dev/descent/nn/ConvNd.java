package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * What {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d} share, as PyTorch's {@code _ConvNd}: the channel
 * counts, the weight and optional bias, and their default initialisation ({@link ConvLayers#initialise}).
 */
abstract class ConvNd extends Module {
    private final int inChannels;
    private final int outChannels;
    private final boolean hasBias;

    /** Checks the channels, groups and kernel, then registers and initialises {@code weight} (and {@code bias}, [out]). */
    ConvNd(String layer, int inChannels, int outChannels, int groups, int[] kernel, int[] weightShape, boolean bias, Rng rng) {
        ConvLayers.checkChannels(layer, inChannels, outChannels, groups, kernel);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.hasBias = bias;
        ConvLayers.initialise(this, weightShape.clone(), bias, outChannels, rng);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The weight (its layout is given by each layer). */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, {@code [out]}, or null for a layer without one. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    /** {@code ", bias=false"} for a layer without a bias, else empty: the end of {@link #extraRepr()}. */
    String biasRepr() {
        return hasBias ? "" : ", bias=false";
    }
}

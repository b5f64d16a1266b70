package dev.descent.nn;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A transposed 2-D convolution, as PyTorch's {@code nn.ConvTranspose2d}: the input gradient of a {@link Conv2d} with
 * the same weight, used to upsample. {@link #weight()} {@code [in, out / groups, kH, kW]}, bias {@code [out]}, input
 * {@code [N, in, H, W]} or {@code [in, H, W]}, output {@code [N, out, H', W']} with
 * {@code H' = (H - 1) stride - 2 padding + dilation (kH - 1) + outputPadding + 1}; see
 * {@link Tensor#convTranspose2d(Tensor, Tensor, Conv2dOptions, int, int)}.
 *
 * <p>Initialisation is PyTorch's default: {@code kaiming_uniform_(a = √5)} and a bias from U(−1/√fanIn, 1/√fanIn),
 * where fanIn is computed from the weight's shape as PyTorch does: {@code out / groups · kH · kW}.
 */
public final class ConvTranspose2d extends ConvNd {
    private final int kernelH;
    private final int kernelW;
    private final Conv2dOptions options;
    private final int outputPaddingH;
    private final int outputPaddingW;

    /** A {@code kernel x kernel} transposed convolution with stride 1, no padding and a bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, Rng rng) {
        this(inChannels, outChannels, kernel, kernel, Conv2dOptions.DEFAULT, 0, 0, true, rng);
    }

    /**
     * A {@code kernelH x kernelW} transposed convolution with the given options, output padding (each smaller than
     * the stride or the dilation along its axis) and optional bias.
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelH, int kernelW, Conv2dOptions options,
                           int outputPaddingH, int outputPaddingW, boolean bias, Rng rng) {
        super("ConvTranspose2d", inChannels, outChannels, options.groups(), new int[] {kernelH, kernelW},
                new int[] {inChannels, outChannels / Math.max(1, options.groups()), kernelH, kernelW}, bias, rng);
        if (outputPaddingH < 0 || outputPaddingW < 0 || (outputPaddingH >= options.strideH() && outputPaddingH >= options.dilationH())
                || (outputPaddingW >= options.strideW() && outputPaddingW >= options.dilationW())) {
            throw new IllegalArgumentException("ConvTranspose2d: output padding must be non-negative and smaller than either stride or"
                    + " dilation, got output_padding=[" + outputPaddingH + ", " + outputPaddingW + "], stride=[" + options.strideH()
                    + ", " + options.strideW() + "], dilation=[" + options.dilationH() + ", " + options.dilationW() + "]");
        }
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        this.outputPaddingH = outputPaddingH;
        this.outputPaddingW = outputPaddingW;
    }

    @Override
    public Tensor forward(Tensor input) {
        ConvLayers.checkInput("ConvTranspose2d", input, inChannels(), new String[] {"H", "W"}, new int[] {1, 1});
        return input.convTranspose2d(weight(), bias(), options, outputPaddingH, outputPaddingW);
    }

    @Override
    protected String extraRepr() {
        Conv2dOptions o = options;
        return inChannels() + ", " + outChannels() + ", kernel_size=[" + kernelH + ", " + kernelW + "], stride=[" + o.strideH() + ", "
                + o.strideW() + "], padding=[" + o.paddingH() + ", " + o.paddingW() + "]"
                + (outputPaddingH != 0 || outputPaddingW != 0 ? ", output_padding=[" + outputPaddingH + ", " + outputPaddingW + "]" : "")
                + (o.groups() != 1 ? ", groups=" + o.groups() : "") + biasRepr();
    }
}

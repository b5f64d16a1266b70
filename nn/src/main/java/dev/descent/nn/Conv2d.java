package dev.descent.nn;

import dev.descent.core.Conv2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A 2-D convolution, as PyTorch's {@code nn.Conv2d}: {@link #weight()} {@code [out, in / groups, kH, kW]}, bias {@code [out]},
 * input {@code [N, in, H, W]} or unbatched {@code [in, H, W]}, output {@code [N, out, H', W']} with
 * {@code H' = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1}; see {@link Tensor#conv2d(Tensor, Tensor, Conv2dOptions)}.
 *
 * <p>Initialisation is PyTorch's default: the weight by {@code kaiming_uniform_(a = √5)}, which is U(−1/√fanIn,
 * 1/√fanIn) with {@code fanIn = in / groups · kH · kW}, and the bias from the same distribution.
 */
public final class Conv2d extends ConvNd {
    private final int kernelH;
    private final int kernelW;
    private final Conv2dOptions options;

    /** A {@code kernel x kernel} convolution with stride 1, no padding and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, Rng rng) {
        this(inChannels, outChannels, kernel, kernel, Conv2dOptions.DEFAULT, true, rng);
    }

    /** A {@code kernel x kernel} convolution with the given stride and padding (PyTorch's positional order), a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernel, kernel, window(stride, padding), true, rng);
    }

    private static Conv2dOptions window(int stride, int padding) {
        ConvLayers.checkWindow("Conv2d", new int[] {stride}, new int[] {padding}, new int[] {1});
        return Conv2dOptions.DEFAULT.stride(stride).padding(padding);
    }

    /** A {@code kernel x kernel} convolution with the given stride, padding, dilation and groups, and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, Conv2dOptions options, Rng rng) {
        this(inChannels, outChannels, kernel, kernel, options, true, rng);
    }

    /** A {@code kernelH x kernelW} convolution, with or without a bias (PyTorch's {@code bias} argument). */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, Conv2dOptions options, boolean bias, Rng rng) {
        super("Conv2d", inChannels, outChannels, options.groups(), new int[] {kernelH, kernelW},
                new int[] {outChannels, inChannels / Math.max(1, options.groups()), kernelH, kernelW}, bias, rng);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
    }

    public Conv2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        ConvLayers.checkInput("Conv2d", input, inChannels(), new String[] {"H", "W"},
                new int[] {ConvLayers.minimum(kernelH, options.paddingH(), options.dilationH()),
                           ConvLayers.minimum(kernelW, options.paddingW(), options.dilationW())});
        return input.conv2d(weight(), bias(), options);
    }

    @Override
    protected String extraRepr() {
        Conv2dOptions o = options;
        return inChannels() + ", " + outChannels() + ", kernel_size=[" + kernelH + ", " + kernelW + "], stride=[" + o.strideH() + ", "
                + o.strideW() + "], padding=[" + o.paddingH() + ", " + o.paddingW() + "]"
                + (o.dilationH() != 1 || o.dilationW() != 1 ? ", dilation=[" + o.dilationH() + ", " + o.dilationW() + "]" : "")
                + (o.groups() != 1 ? ", groups=" + o.groups() : "") + biasRepr();
    }
}

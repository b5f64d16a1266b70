package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A 1-D convolution, as PyTorch's {@code nn.Conv1d}: {@link #weight()} {@code [out, in / groups, k]}, bias {@code [out]}, input
 * {@code [N, in, L]} or unbatched {@code [in, L]}, output {@code [N, out, L']} with
 * {@code L' = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1}; see {@link Tensor#conv1d(Tensor, Tensor, int, int, int, int)}.
 * Initialised as {@link Conv2d} (PyTorch's default, with {@code fanIn = in / groups · k}).
 */
public final class Conv1d extends ConvNd {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    /** A convolution with stride 1, no padding, dilation 1, one group and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernel, Rng rng) {
        this(inChannels, outChannels, kernel, 1, 0, 1, 1, true, rng);
    }

    /** A convolution with every PyTorch argument (except padding modes other than zeros). */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, boolean bias, Rng rng) {
        super("Conv1d", inChannels, outChannels, groups, new int[] {kernel}, new int[] {outChannels, inChannels / Math.max(1, groups), kernel},
                bias, rng);
        ConvLayers.checkWindow("Conv1d", new int[] {stride}, new int[] {padding}, new int[] {dilation});
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    @Override
    public Tensor forward(Tensor input) {
        ConvLayers.checkInput("Conv1d", input, inChannels(), new String[] {"L"}, new int[] {ConvLayers.minimum(kernel, padding, dilation)});
        return input.conv1d(weight(), bias(), stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        return inChannels() + ", " + outChannels() + ", kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (dilation != 1 ? ", dilation=" + dilation : "") + (groups != 1 ? ", groups=" + groups : "") + biasRepr();
    }
}

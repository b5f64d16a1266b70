package dev.descent.core.kernel;

/**
 * The sizes of one 2-D convolution, as the kernels read them: a batch of {@code n} images of {@code channels} planes
 * of {@code height x width}, convolved with {@code outChannels} filters of {@code kernelH x kernelW} taps in
 * {@code groups} groups, giving {@code n x outChannels} planes of {@code outH x outW}.
 *
 * <p>Output pixel {@code (oy, ox)} reads input row {@code oy * strideH - padH + i * dilationH} for tap row {@code i}
 * (likewise for columns); reads outside the image are zeros. The output size is stored rather than derived, so the
 * same geometry describes PyTorch's floor and ceil modes and transposed convolutions with output padding: the
 * kernels only need every read position to be computed this way. Nothing here is validated; the ops that build a
 * geometry check it.
 *
 * @param n          images in the batch
 * @param channels   input channels (all groups)
 * @param height     input rows
 * @param width      input columns
 * @param outChannels output channels (all groups)
 * @param kernelH    tap rows
 * @param kernelW    tap columns
 * @param strideH    row stride
 * @param strideW    column stride
 * @param padH       zero rows added above (and, through {@code outH}, below)
 * @param padW       zero columns added left (and, through {@code outW}, right)
 * @param dilationH  row spacing of the taps
 * @param dilationW  column spacing of the taps
 * @param groups     channel groups: group g maps input channels {@code [g C/G, (g+1) C/G)} to output channels
 *                   {@code [g O/G, (g+1) O/G)}
 * @param outH       output rows
 * @param outW       output columns
 */
public record ConvGeometry(int n, int channels, int height, int width, int outChannels, int kernelH, int kernelW,
                           int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups,
                           int outH, int outW) {

    /** Input channels per group. */
    public int groupChannels() {
        return channels / groups;
    }

    /** Output channels per group. */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /** Rows of the im2col matrix of one group: {@code channels / groups * kernelH * kernelW}. */
    public int patch() {
        return groupChannels() * kernelH * kernelW;
    }

    /** Pixels of one output plane, the columns of the im2col matrix. */
    public int outPixels() {
        return outH * outW;
    }

    /** Pixels of one input plane. */
    public int inPixels() {
        return height * width;
    }

    /** True when the im2col matrix of a group is the group's input itself (1x1 taps, stride 1, no padding). */
    public boolean pointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
                && outH == height && outW == width;
    }
}

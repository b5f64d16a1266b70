package dev.descent.core;

/**
 * The non-tensor arguments of {@link Tensor#conv2d(Tensor, Tensor, Conv2dOptions)} and
 * {@link Tensor#convTranspose2d(Tensor, Tensor, Conv2dOptions, int, int)}, as PyTorch's {@code F.conv2d}: stride,
 * zero padding (added on both sides) and dilation per spatial axis (rows, then columns), and the number of channel
 * groups. {@link #DEFAULT} is PyTorch's (stride 1, padding 0, dilation 1, groups 1).
 *
 * <pre>{@code
 * Conv2dOptions o = Conv2dOptions.DEFAULT.stride(2).padding(1);   // stride=2, padding=1
 * }</pre>
 *
 * @param strideH   row stride, at least 1
 * @param strideW   column stride, at least 1
 * @param paddingH  zero rows added above and below, at least 0
 * @param paddingW  zero columns added left and right, at least 0
 * @param dilationH row spacing of the kernel taps, at least 1
 * @param dilationW column spacing of the kernel taps, at least 1
 * @param groups    channel groups, at least 1 (both channel counts must be divisible by it)
 */
public record Conv2dOptions(int strideH, int strideW, int paddingH, int paddingW, int dilationH, int dilationW, int groups) {
    /** stride 1, padding 0, dilation 1, groups 1. */
    public static final Conv2dOptions DEFAULT = new Conv2dOptions(1, 1, 0, 0, 1, 1, 1);

    /** Checks every argument; the message names the argument, its allowed range and the given values. */
    public Conv2dOptions {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("Conv2dOptions: stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        }
        if (paddingH < 0 || paddingW < 0) {
            throw new IllegalArgumentException("Conv2dOptions: padding must be non-negative, got [" + paddingH + ", " + paddingW + "]");
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("Conv2dOptions: dilation must be at least 1, got [" + dilationH + ", " + dilationW + "]");
        }
        if (groups < 1) throw new IllegalArgumentException("Conv2dOptions: groups must be at least 1, got " + groups);
    }

    /** The same stride, padding and dilation along both axes. */
    public static Conv2dOptions of(int stride, int padding, int dilation, int groups) {
        return new Conv2dOptions(stride, stride, padding, padding, dilation, dilation, groups);
    }

    public Conv2dOptions stride(int s) { return stride(s, s); }
    public Conv2dOptions stride(int h, int w) { return new Conv2dOptions(h, w, paddingH, paddingW, dilationH, dilationW, groups); }
    public Conv2dOptions padding(int p) { return padding(p, p); }
    public Conv2dOptions padding(int h, int w) { return new Conv2dOptions(strideH, strideW, h, w, dilationH, dilationW, groups); }
    public Conv2dOptions dilation(int d) { return dilation(d, d); }
    public Conv2dOptions dilation(int h, int w) { return new Conv2dOptions(strideH, strideW, paddingH, paddingW, h, w, groups); }
    public Conv2dOptions groups(int g) { return new Conv2dOptions(strideH, strideW, paddingH, paddingW, dilationH, dilationW, g); }
}

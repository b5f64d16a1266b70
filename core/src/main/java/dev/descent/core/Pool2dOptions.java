package dev.descent.core;

/**
 * The window of {@link Tensor#maxPool2d(Pool2dOptions)} and {@link Tensor#avgPool2d(Pool2dOptions, boolean)}, as
 * PyTorch's {@code F.max_pool2d}: kernel size, stride, padding (implicit -infinity for max pooling, zeros for average
 * pooling, on both sides), dilation and {@code ceilMode} (round the output size up, so that a last partial window
 * that starts inside the input or its left padding is kept), per spatial axis (rows, then columns).
 *
 * <pre>{@code
 * Pool2dOptions o = Pool2dOptions.of(3).stride(2).padding(1);   // kernel_size=3, stride=2, padding=1
 * }</pre>
 *
 * @param kernelH   window rows, at least 1
 * @param kernelW   window columns, at least 1
 * @param strideH   row stride, at least 1
 * @param strideW   column stride, at least 1
 * @param paddingH  padding rows on each side, from 0 to {@code kernelH / 2} (PyTorch's limit)
 * @param paddingW  padding columns on each side, from 0 to {@code kernelW / 2}
 * @param dilationH row spacing of the window taps, at least 1
 * @param dilationW column spacing of the window taps, at least 1
 * @param ceilMode  whether the output size is rounded up rather than down
 */
public record Pool2dOptions(int kernelH, int kernelW, int strideH, int strideW, int paddingH, int paddingW,
                            int dilationH, int dilationW, boolean ceilMode) {

    /** Checks every argument; the message names the argument, its allowed range and the given values. */
    public Pool2dOptions {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("Pool2dOptions: kernel size must be at least 1, got [" + kernelH + ", " + kernelW + "]");
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("Pool2dOptions: stride must be at least 1, got [" + strideH + ", " + strideW + "]");
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("Pool2dOptions: dilation must be at least 1, got [" + dilationH + ", " + dilationW + "]");
        }
        if (paddingH < 0 || paddingW < 0 || paddingH > kernelH / 2 || paddingW > kernelW / 2) {
            throw new IllegalArgumentException("Pool2dOptions: padding must be between 0 and half the kernel size, got padding ["
                    + paddingH + ", " + paddingW + "] for kernel [" + kernelH + ", " + kernelW + "]");
        }
    }

    /** A square window of the given size with stride equal to it (PyTorch's default), no padding, dilation 1. */
    public static Pool2dOptions of(int kernel) {
        return of(kernel, kernel);
    }

    /** A kernel x kernel window with the given stride, no padding, dilation 1, floor mode. */
    public static Pool2dOptions of(int kernel, int stride) {
        return new Pool2dOptions(kernel, kernel, stride, stride, 0, 0, 1, 1, false);
    }

    public Pool2dOptions stride(int s) { return stride(s, s); }
    public Pool2dOptions stride(int h, int w) { return new Pool2dOptions(kernelH, kernelW, h, w, paddingH, paddingW, dilationH, dilationW, ceilMode); }
    public Pool2dOptions padding(int p) { return padding(p, p); }
    public Pool2dOptions padding(int h, int w) { return new Pool2dOptions(kernelH, kernelW, strideH, strideW, h, w, dilationH, dilationW, ceilMode); }
    public Pool2dOptions dilation(int d) { return dilation(d, d); }
    public Pool2dOptions dilation(int h, int w) { return new Pool2dOptions(kernelH, kernelW, strideH, strideW, paddingH, paddingW, h, w, ceilMode); }
    public Pool2dOptions ceilMode(boolean c) { return new Pool2dOptions(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW, c); }
}

package dev.descent.core.kernel;

/**
 * The im2col and col2im rearrangements that turn a convolution into one matrix product per image and group.
 *
 * <p>For one image and one group of a {@link ConvGeometry} g, the im2col matrix has {@code g.patch()} rows, one per
 * (input channel c, tap row i, tap column j) in that order, and {@code g.outPixels()} columns, one per output pixel
 * (oy, ox) in row-major order; entry {@code [(c kH + i) kW + j][oy outW + ox]} is the input at row
 * {@code oy sH - pH + i dH}, column {@code ox sW - pW + j dW} of channel c, or 0 outside the image. A convolution is
 * then {@code weight[O/G x patch] * col}; its adjoint with respect to the input is {@code col2im(weightᵀ * grad)}.
 *
 * <p>Both loops run over rows of the matrix and compute, per output row, the range of output columns that reads
 * inside the image, so there is no per-element bounds test and nothing is allocated.
 */
public final class Im2col {
    private Im2col() {
    }

    /**
     * Writes the im2col matrix of the {@code g.groupChannels()} input planes starting at {@code x[xOff]} into
     * {@code col[colOff ...]} ({@code g.patch() x g.outPixels()}, row-major, every entry written).
     */
    public static void im2col(ConvGeometry g, double[] x, int xOff, double[] col, int colOff) {
        int h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        int sw = g.strideW();
        int row = colOff;
        for (int c = 0; c < g.groupChannels(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int dx = j * g.dilationW() - g.padW();
                    int lo = Math.min(ow, firstInside(dx, sw));
                    int hi = Math.max(lo, Math.min(ow, lastInside(dx, sw, w) + 1));
                    for (int oy = 0; oy < oh; oy++, row += ow) {
                        int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, row, row + ow, 0.0);
                            continue;
                        }
                        // the padding columns are a few entries at each end: plain loops, not Arrays.fill calls
                        for (int ox = 0; ox < lo; ox++) col[row + ox] = 0.0;
                        int src = plane + iy * w + dx;
                        if (sw == 1) {
                            System.arraycopy(x, src + lo, col, row + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) col[row + ox] = x[src + ox * sw];
                        }
                        for (int ox = hi; ox < ow; ox++) col[row + ox] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every entry of the im2col-shaped matrix at {@code col[colOff ...]} into
     * the input position it was read from, in the {@code g.groupChannels()} planes starting at {@code x[xOff]}
     * (entries that fall in the padding are dropped). Entries are added in im2col row order.
     */
    public static void col2im(ConvGeometry g, double[] col, int colOff, double[] x, int xOff) {
        int h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        int sw = g.strideW();
        int row = colOff;
        for (int c = 0; c < g.groupChannels(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int dx = j * g.dilationW() - g.padW();
                    int lo = firstInside(dx, sw), hi = Math.min(ow, lastInside(dx, sw, w) + 1);
                    for (int oy = 0; oy < oh; oy++, row += ow) {
                        int iy = oy * g.strideH() - g.padH() + i * g.dilationH();
                        if (iy < 0 || iy >= h) continue;
                        int dst = plane + iy * w + dx;
                        if (sw == 1) {
                            for (int ox = lo; ox < hi; ox++) x[dst + ox] += col[row + ox];
                        } else {
                            for (int ox = lo; ox < hi; ox++) x[dst + ox * sw] += col[row + ox];
                        }
                    }
                }
            }
        }
    }

    /** The smallest output column ox >= 0 with {@code ox * stride + dx >= 0}. */
    private static int firstInside(int dx, int stride) {
        return dx >= 0 ? 0 : (-dx + stride - 1) / stride;
    }

    /** The largest output column ox with {@code ox * stride + dx < width} (negative when there is none). */
    private static int lastInside(int dx, int stride, int width) {
        int last = width - 1 - dx;
        return last < 0 ? -1 : last / stride;
    }
}

package dev.descent.core.kernel;

/**
 * The argmax of max pooling over 2 x 2 windows with stride 2 (the common {@code MaxPool2d(2)}), per plane of
 * {@code x} viewed as {@code [planes, h, w]}: output {@code (i, j)} of a plane looks at rows {@code 2i, 2i + 1} and
 * columns {@code 2j, 2j + 1}, for {@code i < h / 2}, {@code j < w / 2}.
 *
 * <p><b>Which element.</b> The four are visited row by row, and an element is taken when it is greater than the one
 * taken so far or is NaN (PyTorch's {@code max_pool2d_with_indices}): the first of equal maxima, the last NaN. The
 * scalar reference branches on each comparison, which max pooling's inputs make unpredictable; the vector kernel
 * ({@code VectorPoolKernels}, where the Vector API is present) takes {@code L} windows at a time, gathered, with lane
 * masks, and picks the same elements.
 *
 * <p><b>Arguments.</b> {@code index} and {@code pos} hold {@code planes·(h/2)·(w/2)} values, the argmax's offset in
 * its plane ({@code row·w + column}, as a double) and its position in {@code x}.
 */
public final class PoolKernels {
    private static final boolean VECTOR = Kernels.VECTOR_API;

    private PoolKernels() {}

    /** The argmax of each 2 x 2 window of planes {@code [fromPlane, toPlane)}; see the class. */
    public static void argmax2x2(double[] x, int h, int w, int fromPlane, int toPlane, double[] index, int[] pos) {
        if (h < 0 || w < 0 || fromPlane < 0 || fromPlane > toPlane || (long) toPlane * h * w > x.length
                || (long) toPlane * (h / 2) * (w / 2) > Math.min(index.length, pos.length)) {
            throw new IllegalArgumentException("argmax2x2: expected h, w >= 0, 0 <= fromPlane <= toPlane and arrays for planes up to "
                    + toPlane + " of " + h + " x " + w + ", got x of " + x.length + ", index of " + index.length + " and pos of "
                    + pos.length + " values, planes [" + fromPlane + ", " + toPlane + ")");
        }
        if (VECTOR) VectorPoolKernels.argmax2x2(x, h, w, fromPlane, toPlane, index, pos);
        else scalarArgmax2x2(x, h, w, fromPlane, toPlane, index, pos);
    }

    /** Scalar reference of {@link #argmax2x2}. Arguments are not checked. */
    static void scalarArgmax2x2(double[] x, int h, int w, int fromPlane, int toPlane, double[] index, int[] pos) {
        int oh = h / 2, ow = w / 2;
        for (int pl = fromPlane; pl < toPlane; pl++) {
            int base = pl * h * w;
            for (int i = 0, at = pl * oh * ow; i < oh; i++) {
                for (int j = 0; j < ow; j++, at++) {
                    int first = 2 * i * w + 2 * j, arg = first;
                    double best = x[base + first];
                    for (int k = 1; k < 4; k++) {
                        int tap = first + (k >> 1) * w + (k & 1); // row by row: (0, 1), (1, 0), (1, 1)
                        double v = x[base + tap];
                        if (v > best || v != v) {
                            best = v;
                            arg = tap;
                        }
                    }
                    index[at] = arg;
                    pos[at] = base + arg;
                }
            }
        }
    }
}

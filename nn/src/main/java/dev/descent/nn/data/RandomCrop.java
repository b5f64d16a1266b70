package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Cuts a {@code height × width} window at a random place out of each image padded with {@code padding} zeros on every
 * side, as torchvision's {@code RandomCrop(size, padding)} with its default zero fill: inputs {@code [N, ..., H, W]}
 * (at least {@code [N, H, W]}), outputs {@code [N, ..., height, width]}, every channel of an example cut at the same
 * place. Per example, in order, the top row is drawn from {@code rng.nextInt(H + 2·padding − height + 1)}, then the
 * left column likewise. With {@code height = H}, {@code width = W} (the usual use) an image moves by up to
 * {@code padding} pixels in each direction.
 *
 * @param height rows of the window, {@code > 0}
 * @param width columns of the window, {@code > 0}
 * @param padding zeros added on each side first, {@code >= 0}
 */
public record RandomCrop(int height, int width, int padding) implements Transform {
    /** A square {@code size × size} window. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    /** @throws IllegalArgumentException unless the window is positive and the padding not negative */
    public RandomCrop {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("RandomCrop: expected a positive window size, got " + height + " x " + width);
        }
        if (padding < 0) throw new IllegalArgumentException("RandomCrop: expected padding >= 0, got " + padding);
    }

    @Override
    public Tensor apply(Tensor inputs, Rng rng) {
        int[] shape = inputs.shape();
        int d = shape.length;
        if (d < 3) {
            throw new IllegalArgumentException("RandomCrop: expected inputs [N, ..., H, W] with at least three dimensions, got "
                    + Arrays.toString(shape));
        }
        int h = shape[d - 2], w = shape[d - 1], ph = h + 2 * padding, pw = w + 2 * padding;
        if (height > ph || width > pw) {
            throw new IllegalArgumentException("RandomCrop: the window " + height + " x " + width + " is larger than the padded image "
                    + ph + " x " + pw + " (inputs " + Arrays.toString(shape) + ", padding " + padding + ")");
        }
        int n = shape[0], planes = 1;
        for (int k = 1; k < d - 2; k++) planes *= shape[k];
        int[] outShape = shape.clone();
        outShape[d - 2] = height;
        outShape[d - 1] = width;
        double[] in = inputs.toArray(), out = new double[n * planes * height * width];
        for (int e = 0; e < n; e++) {
            // window corner in padded coordinates, then in the image's: rows and columns outside it stay zero
            int top = rng.nextInt(ph - height + 1) - padding, left = rng.nextInt(pw - width + 1) - padding;
            int r0 = Math.max(0, -top), r1 = Math.min(height, h - top), c0 = Math.max(0, -left), c1 = Math.min(width, w - left);
            for (int pl = e * planes, plEnd = pl + planes; pl < plEnd; pl++) {
                int src = pl * h * w, dst = pl * height * width;
                for (int r = r0; r < r1; r++) {
                    if (c1 > c0) System.arraycopy(in, src + (top + r) * w + left + c0, out, dst + r * width + c0, c1 - c0);
                }
            }
        }
        return Tensor.of(out, outShape);
    }
}

package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Mirrors each image left to right with probability {@code p}, as torchvision's {@code RandomHorizontalFlip(p=0.5)}:
 * inputs {@code [N, ..., H, W]} (at least {@code [N, W]}), the last dimension reversed for the chosen examples. One
 * {@link Rng#nextDouble()} per example, in order; flipped when it is below {@code p}.
 *
 * @param p the probability of flipping an example, in [0, 1]
 */
public record RandomHorizontalFlip(double p) implements Transform {
    /** torchvision's default probability, one half. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    /** @throws IllegalArgumentException unless {@code p} is in [0, 1] */
    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: expected a probability p in [0, 1], got " + p);
    }

    @Override
    public Tensor apply(Tensor inputs, Rng rng) {
        int[] shape = inputs.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("RandomHorizontalFlip: expected inputs [N, ..., W] with at least two dimensions, got "
                    + Arrays.toString(shape));
        }
        int n = shape[0], w = shape[shape.length - 1];
        double[] out = inputs.toArray();
        if (n == 0 || w == 0) return Tensor.of(out, shape);
        int perExample = out.length / n;
        for (int e = 0; e < n; e++) {
            if (!(rng.nextDouble() < p)) continue;
            for (int row = e * perExample, end = row + perExample; row < end; row += w) {
                for (int i = row, j = row + w - 1; i < j; i++, j--) {
                    double t = out[i];
                    out[i] = out[j];
                    out[j] = t;
                }
            }
        }
        return Tensor.of(out, shape);
    }
}

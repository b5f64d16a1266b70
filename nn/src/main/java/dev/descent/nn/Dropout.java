package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * Inverted dropout (Srivastava et al., 2014), as PyTorch's {@code nn.Dropout}: in training each element is zeroed
 * with probability {@code p} and the survivors are scaled by {@code 1/(1 − p)}, so the expected output equals the
 * input; in evaluation mode the input is returned unchanged. With {@code p = 1} everything is zeroed. The masks are
 * drawn from the given {@link Rng}, so a seed reproduces them.
 */
public final class Dropout extends Module {
    private final double p;
    private final Rng rng;

    /** @throws IllegalArgumentException unless {@code 0 <= p <= 1}, with PyTorch's message */
    public Dropout(double p, Rng rng) {
        this.p = checkedProbability(p);
        this.rng = rng;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return isTraining() ? apply(input, p, rng) : input;
    }

    /** The training-mode mask applied to {@code input} (the input itself when {@code p = 0}); shared with {@link RNNBase}. */
    static Tensor apply(Tensor input, double p, Rng rng) {
        return apply(input, input.shape(), p, rng);
    }

    /**
     * {@code input} times a mask of {@code maskShape} (which broadcasts to the input's): each mask element, drawn in
     * row-major order, is 0 with probability {@code p} and {@code 1/(1 − p)} otherwise; the input itself when
     * {@code p = 0}. Elementwise dropout uses the input's shape, {@link Dropout2d} one with size 1 over H and W.
     */
    static Tensor apply(Tensor input, int[] maskShape, double p, Rng rng) {
        if (p == 0) return input;
        double scale = p == 1 ? 0 : 1 / (1 - p);
        int n = 1;
        for (int d : maskShape) n *= d;
        double[] mask = new double[n];
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextDouble() < p ? 0 : scale;
        return input.mul(Tensor.of(mask, maskShape));
    }

    /** {@code p} if {@code 0 <= p <= 1}; otherwise PyTorch's message. Shared with {@link Dropout2d}. */
    static double checkedProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}

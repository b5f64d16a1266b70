package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Channel dropout (Tompson et al., 2015), as PyTorch's {@code nn.Dropout2d}: in training each whole channel of a
 * {@code [N, C, H, W]} input (or of an unbatched {@code [C, H, W]} one) is zeroed with probability {@code p} and the
 * others are scaled by {@code 1/(1 − p)}; in evaluation mode the input is returned unchanged. Neighbouring pixels of
 * a feature map are strongly correlated, so dropping single pixels (as {@link Dropout}) hardly regularises a
 * convolution; dropping channels does. The masks come from the given {@link Rng}.
 *
 * <p>A 3-D input is taken as {@code [C, H, W]}, as PyTorch documents (PyTorch 1.13 itself warns and drops along the
 * first dimension of 3-D inputs instead).
 */
public final class Dropout2d extends Module {
    private final double p;
    private final Rng rng;

    /** @throws IllegalArgumentException unless {@code 0 <= p <= 1}, with PyTorch's message */
    public Dropout2d(double p, Rng rng) {
        this.p = Dropout.checkedProbability(p);
        this.rng = rng;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException("Dropout2d: expected input [N, C, H, W] or [C, H, W], got " + Arrays.toString(s));
        }
        if (!isTraining()) return input;
        int[] maskShape = s.clone();
        maskShape[s.length - 1] = 1;
        maskShape[s.length - 2] = 1;
        return Dropout.apply(input, maskShape, p, rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}

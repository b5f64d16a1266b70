package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.FanMode;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/**
 * An affine map {@code y = x·Wᵀ + b}, as PyTorch's {@code nn.Linear}: weight {@code [out, in]}, bias {@code [out]},
 * input {@code [..., in]}, output {@code [..., out]}.
 *
 * <p>Initialisation is PyTorch's default: the weight by {@code kaiming_uniform_(a = √5)}, which is
 * U(−1/√in, 1/√in), and the bias from the same U(−1/√in, 1/√in) (zero width when {@code in = 0}).
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final boolean hasBias;

    /** A layer with a bias. */
    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    /** A layer with or without a bias, as PyTorch's {@code bias} argument. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: expected non-negative feature counts, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.hasBias = bias;
        registerParameter("weight", Init.kaimingUniform(Tensor.zeros(outFeatures, inFeatures), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", rng));
        if (bias) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            registerParameter("bias", Init.uniform(Tensor.zeros(outFeatures), -bound, bound, rng));
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** The weight, {@code [out, in]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, {@code [out]}, or null for a layer without one. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length == 0 || s[s.length - 1] != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input with " + inFeatures
                    + " features in its last dimension, got shape " + Arrays.toString(s));
        }
        return Tensor.linear(input, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return inFeatures + ", " + outFeatures + (hasBias ? "" : ", bias=false");
    }
}

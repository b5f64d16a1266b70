package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Group normalisation (Wu and He, 2018), as PyTorch's {@code nn.GroupNorm}, through the fused {@link Tensor#groupNorm}
 * op: an input {@code [N, C, *]} has its {@code C} channels split into {@code numGroups} groups, each sample's group
 * normalised over its channels and spatial positions with the biased variance, then {@code ·weight + bias} per channel
 * when {@code affine} (the default; ones and zeros initially). The same in training and evaluation.
 */
public final class GroupNorm extends Module {
    /** PyTorch's options, with its defaults in {@link #DEFAULT}: {@code eps} added to the variance, {@code affine}. */
    public record Options(double eps, boolean affine) {
        /** eps 1e-5 and a learnable per-channel affine map (PyTorch's defaults). */
        public static final Options DEFAULT = new Options(1e-5, true);

        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("GroupNorm: expected a finite eps >= 0, got " + eps);
        }
    }

    private final int numGroups;
    private final int numChannels;
    private final Options options;

    /** With PyTorch's defaults ({@link Options#DEFAULT}). */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, Options.DEFAULT);
    }

    public GroupNorm(int numGroups, int numChannels, Options options) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: expected numChannels divisible by numGroups (both positive), got numGroups = "
                    + numGroups + ", numChannels = " + numChannels);
        }
        if (options == null) throw new IllegalArgumentException("GroupNorm: options is null");
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.options = options;
        if (options.affine()) {
            registerParameter("weight", Tensor.ones(numChannels));
            registerParameter("bias", Tensor.zeros(numChannels));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length < 2 || s[1] != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected input [N, " + numChannels + ", *], got " + Arrays.toString(s));
        }
        boolean affine = options.affine();
        return Tensor.groupNorm(input, numGroups, affine ? parameter("weight") : null, affine ? parameter("bias") : null, options.eps());
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + options.eps() + ", affine=" + options.affine();
    }
}

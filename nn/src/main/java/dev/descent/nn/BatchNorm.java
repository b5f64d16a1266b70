package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share (PyTorch's {@code _BatchNorm}): batch normalisation (Ioffe
 * and Szegedy, 2015) of an input {@code [N, C, *]} per channel through the fused {@link Tensor#batchNorm} op. The
 * subclasses differ only in the input ranks they accept.
 *
 * <p>Training: each channel is normalised with the mean and <em>biased</em> variance of the batch (over {@code N} and
 * the spatial dims), {@code y = (x − mean) / √(var + eps) · weight + bias}, and, when running statistics are tracked,
 * {@code running = (1 − f)·running + f·batch} with the <em>unbiased</em> variance ({@code var · n/(n − 1)}), where
 * {@code f} is the momentum, or {@code 1 / num_batches_tracked} (a cumulative average) when the momentum is null;
 * {@code num_batches_tracked} counts the updates. Evaluation uses the running statistics, or the batch statistics
 * when none are tracked. A single value per channel in training has no variance and is rejected, as in PyTorch.
 *
 * <p>State-dict keys match PyTorch's: {@code weight}, {@code bias} (when affine), {@code running_mean},
 * {@code running_var}, {@code num_batches_tracked} (a scalar here; when tracking).
 */
public abstract class BatchNorm extends Module {
    /**
     * The options of PyTorch's batch-norm layers, with its defaults in {@link #DEFAULT}: {@code eps} added to the
     * variance, {@code momentum} of the running statistics (null: cumulative average), {@code affine} (learnable
     * weight and bias), {@code trackRunningStats}.
     */
    public record Options(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        /** eps 1e-5, momentum 0.1, affine, tracking running statistics (PyTorch's defaults). */
        public static final Options DEFAULT = new Options(1e-5, 0.1, true, true);

        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("BatchNorm: expected a finite eps >= 0, got " + eps);
            if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("BatchNorm: expected momentum in [0, 1] or null (cumulative average), got " + momentum);
            }
        }

        public Options withEps(double eps) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        /** The momentum, or null for a cumulative moving average. */
        public Options withMomentum(Double momentum) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        public Options withAffine(boolean affine) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        public Options withTrackRunningStats(boolean trackRunningStats) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }
    }

    private final int numFeatures;
    private final Options options;

    protected BatchNorm(int numFeatures, Options options) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": expected numFeatures > 0, got " + numFeatures);
        if (options == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": options is null");
        this.numFeatures = numFeatures;
        this.options = options;
        if (options.affine()) {
            registerParameter("weight", Tensor.ones(numFeatures));
            registerParameter("bias", Tensor.zeros(numFeatures));
        }
        if (options.trackRunningStats()) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.scalar(0));
        }
    }

    public int numFeatures() {
        return numFeatures;
    }

    public Options options() {
        return options;
    }

    /** Whether an input of this rank is accepted. */
    protected abstract boolean acceptsRank(int rank);

    /** The accepted input shapes for messages, with {@code c} channels, e.g. {@code [N, 16, H, W]}. */
    protected abstract String expectedShapes(int c);

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (!acceptsRank(s.length) || s[1] != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input " + expectedShapes(numFeatures) + ", got "
                    + Arrays.toString(s));
        }
        boolean track = options.trackRunningStats();
        boolean update = isTraining() && track;
        double count = track ? buffer("num_batches_tracked").item() : 0;
        double factor = !update ? 0 : options.momentum() == null ? 1 / (count + 1) : options.momentum();
        Tensor out = Tensor.batchNorm(input, track ? buffer("running_mean") : null, track ? buffer("running_var") : null,
                options.affine() ? parameter("weight") : null, options.affine() ? parameter("bias") : null,
                isTraining() || !track, factor, options.eps());
        if (update) buffer("num_batches_tracked").fill(count + 1);
        return out;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + options.eps() + ", momentum=" + options.momentum() + ", affine=" + options.affine()
                + ", track_running_stats=" + options.trackRunningStats();
    }
}

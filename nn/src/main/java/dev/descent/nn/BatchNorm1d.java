package dev.descent.nn;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over a 2-D {@code [N, C]} or 3-D {@code [N, C, L]} input (Ioffe and Szegedy, 2015), as
 * PyTorch's {@code nn.BatchNorm1d} with its defaults ({@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking
 * running statistics).
 *
 * <p>Training: each channel is normalised with the mean and <em>biased</em> variance of the batch (over {@code N}, or
 * {@code N} and {@code L}), {@code y = (x − mean) / √(var + eps) · weight + bias}, and the buffers are updated as
 * {@code running = (1 − momentum)·running + momentum·batch} using the <em>unbiased</em> variance
 * ({@code var · n/(n − 1)}); {@code num_batches_tracked} counts the updates. Evaluation uses the running statistics.
 * A single value per channel in training has no variance and is rejected, as in PyTorch.
 *
 * <p>State-dict keys match PyTorch's: {@code weight}, {@code bias}, {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked} (a scalar here).
 */
public final class BatchNorm1d extends Module {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;
    private final int numFeatures;

    public BatchNorm1d(int numFeatures) {
        if (numFeatures <= 0) throw new IllegalArgumentException("BatchNorm1d: expected numFeatures > 0, got " + numFeatures);
        this.numFeatures = numFeatures;
        registerParameter("weight", Tensor.ones(numFeatures));
        registerParameter("bias", Tensor.zeros(numFeatures));
        registerBuffer("running_mean", Tensor.zeros(numFeatures));
        registerBuffer("running_var", Tensor.ones(numFeatures));
        registerBuffer("num_batches_tracked", Tensor.scalar(0));
    }

    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length != 2 && s.length != 3) {
            throw new IllegalArgumentException(this + ": expected 2D or 3D input (got " + s.length + "D input)");
        }
        if (s[1] != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input with " + numFeatures + " channels in dimension 1, got shape "
                    + Arrays.toString(s));
        }
        int[] channelShape = s.length == 2 ? new int[] {1, numFeatures} : new int[] {1, numFeatures, 1};
        Tensor normalized;
        if (isTraining()) {
            int[] axes = s.length == 2 ? new int[] {0} : new int[] {0, 2};
            int n = s.length == 2 ? s[0] : s[0] * s[2];
            if (n <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + Arrays.toString(s));
            }
            Tensor mean = input.mean(axes, true);
            Tensor centred = input.sub(mean);
            Tensor var = centred.square().mean(axes, true);
            normalized = centred.div(var.add(EPS).sqrt());
            updateRunning(mean.detach().reshape(numFeatures), var.detach().reshape(numFeatures), n);
        } else {
            Tensor mean = buffer("running_mean").reshape(channelShape);
            Tensor var = buffer("running_var").reshape(channelShape);
            normalized = input.sub(mean).div(var.add(EPS).sqrt());
        }
        return normalized.mul(parameter("weight").reshape(channelShape)).add(parameter("bias").reshape(channelShape));
    }

    private void updateRunning(Tensor mean, Tensor biasedVar, int n) {
        Tape.noGrad(() -> {
            Tensor rm = buffer("running_mean");
            Tensor rv = buffer("running_var");
            rm.copyFrom(rm.mul(1 - MOMENTUM).add(mean.mul(MOMENTUM)));
            rv.copyFrom(rv.mul(1 - MOMENTUM).add(biasedVar.mul(MOMENTUM * n / (n - 1.0))));
            Tensor count = buffer("num_batches_tracked");
            count.fill(count.item() + 1);
        });
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + EPS + ", momentum=" + MOMENTUM;
    }
}

package dev.descent.nn;

import dev.descent.core.Tensor;

import java.util.Arrays;

/**
 * Loss functions with the names, formulas and reductions of PyTorch's {@code torch.nn.functional}, written with
 * differentiable tensor ops so the tape takes care of their gradients. Input and target must have the same shape (no
 * broadcasting, which in PyTorch only earns a warning and is nearly always a bug). Every loss has an overload without
 * the {@link Reduction} that takes PyTorch's default, {@link Reduction#MEAN}.
 */
public final class Losses {
    private Losses() {}

    /** Squared error {@code (input − target)²}, as {@code F.mse_loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mseLoss", input, target);
        return reduction.apply(input.sub(target).square());
    }

    /** {@link #mseLoss(Tensor, Tensor, Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |input − target|}, as {@code F.l1_loss} (subgradient 0 where they are equal). */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1Loss", input, target);
        return reduction.apply(input.sub(target).abs());
    }

    /** {@link #l1Loss(Tensor, Tensor, Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /**
     * Huber loss, as {@code F.huber_loss}: with {@code d = input − target}, {@code d²/2} where {@code |d| < delta}
     * and {@code delta·(|d| − delta/2)} elsewhere (quadratic near zero, linear in the tails; continuous derivative).
     */
    public static Tensor huberLoss(Tensor input, Tensor target, double delta, Reduction reduction) {
        sameShape("huberLoss", input, target);
        if (!(delta > 0)) throw new IllegalArgumentException("huberLoss: expected delta > 0, got " + delta);
        Tensor d = input.sub(target);
        Tensor abs = d.abs();
        return reduction.apply(Tensor.where(abs.lt(delta), d.square().mul(0.5), abs.sub(0.5 * delta).mul(delta)));
    }

    /** {@link #huberLoss(Tensor, Tensor, double, Reduction)} with PyTorch's defaults {@code delta = 1} and {@link Reduction#MEAN}. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Cross-entropy of logits {@code [N, C]} against class indices, as {@code F.cross_entropy}:
     * {@code −log softmax(input)[n, target[n]]}. The log-softmax is computed with the max subtracted, so logits of
     * ±1e4 give exact, finite losses and gradients {@code softmax − onehot}.
     */
    public static Tensor crossEntropy(Tensor input, int[] target, Reduction reduction) {
        checkClassInput("crossEntropy", input, target);
        return nllLoss(input.logSoftmax(1), target, reduction);
    }

    /** {@link #crossEntropy(Tensor, int[], Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor crossEntropy(Tensor input, int[] target) {
        return crossEntropy(input, target, Reduction.MEAN);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]} at class indices, {@code −input[n, target[n]]}, as {@code F.nll_loss}. */
    public static Tensor nllLoss(Tensor input, int[] target, Reduction reduction) {
        checkClassInput("nllLoss", input, target);
        double[] idx = new double[target.length];
        for (int i = 0; i < idx.length; i++) idx[i] = target[i];
        Tensor picked = input.gather(1, Tensor.of(idx, target.length, 1)).reshape(target.length);
        return reduction.apply(picked.neg());
    }

    /** {@link #nllLoss(Tensor, int[], Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor nllLoss(Tensor input, int[] target) {
        return nllLoss(input, target, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on logits, as {@code F.binary_cross_entropy_with_logits}:
     * {@code −[y·log σ(x) + (1 − y)·log(1 − σ(x))]}, computed as {@code (1 − y)·x + softplus(−x)}, which neither
     * overflows nor loses the gradient {@code σ(x) − y} for large |x|.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        sameShape("binaryCrossEntropyWithLogits", input, target);
        return reduction.apply(target.neg().add(1).mul(input).add(input.neg().softplus()));
    }

    /** {@link #binaryCrossEntropyWithLogits(Tensor, Tensor, Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, Reduction.MEAN);
    }

    /**
     * The squared L2 norm of all the given parameters, {@code Σ‖p‖²}: add {@code λ·l2Penalty(model.parameters())} to a
     * loss for weight decay by penalty (its gradient is {@code 2λp}).
     */
    public static Tensor l2Penalty(Iterable<Tensor> parameters) {
        Tensor total = Tensor.scalar(0);
        for (Tensor p : parameters) total = total.add(p.square().sum());
        return total;
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(input.shape()) + " and target shape "
                    + Arrays.toString(target.shape()) + " differ");
        }
    }

    private static void checkClassInput(String op, Tensor input, int[] target) {
        if (input.dim() != 2 || input.shape(0) != target.length) {
            throw new IllegalArgumentException(op + ": expected input [N, C] with N = " + target.length
                    + " (the number of targets), got shape " + Arrays.toString(input.shape()));
        }
        int classes = input.shape(1);
        for (int t : target) {
            if (t < 0 || t >= classes) throw new IllegalArgumentException(op + ": Target " + t + " is out of bounds (" + classes + " classes)");
        }
    }
}

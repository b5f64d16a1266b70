package dev.descent.nn;

import dev.descent.core.Tape;
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
     * Cross-entropy of logits {@code [N, C]} (or one unbatched sample {@code [C]} with one target) against class
     * indices, as {@code F.cross_entropy}:
     * {@code −log softmax(input)[n, target[n]]}. The log-softmax is computed with the max subtracted, so logits of
     * ±1e4 give exact, finite losses and gradients {@code softmax − onehot}.
     */
    public static Tensor crossEntropy(Tensor input, int[] target, Reduction reduction) {
        if (input.dim() == 1) return crossEntropy(input, target, CrossEntropyOptions.DEFAULT, reduction);
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

    // ---------------------------------------------------------------- losses with PyTorch's options

    /**
     * Cross-entropy with PyTorch's options, as {@code F.cross_entropy(input, target, weight, ignore_index,
     * reduction, label_smoothing)}: logits {@code [N, C]} or {@code [N, C, d1, ...]} (or {@code [C]}: one unbatched
     * sample, whose {@link Reduction#NONE} loss is a scalar) with one target per sample (and
     * position, row-major over {@code N, d1, ...}). With {@code p = log_softmax(input)}, {@code w} the class weights (1
     * without), {@code ε} the smoothing and {@code m_n = 0} where {@code target[n] == ignoreIndex} (else 1):
     * {@code ℓ_n = m_n·[(1 − ε)·(−w[y_n]·p[n, y_n]) + (ε/C)·(−Σ_c w[c]·p[n, c])]}. {@link Reduction#MEAN} divides
     * the sum by {@code Σ_n m_n·w[y_n]}, the total weight of the targets that are not ignored (PyTorch's weighted
     * mean; NaN when every target is ignored), and {@link Reduction#NONE} has the target's shape.
     *
     * @throws IllegalArgumentException for a shape that does not match the targets, a weight not of shape
     *                                  {@code [C]}, or a target that is neither a class nor {@code ignoreIndex}
     */
    public static Tensor crossEntropy(Tensor input, int[] target, CrossEntropyOptions options, Reduction reduction) {
        int[] s = input.shape();
        if (s.length == 1) {
            // unbatched, as PyTorch's input (C) with a target (): one sample, and NONE gives a scalar
            if (target.length != 1) {
                throw new IllegalArgumentException("crossEntropy: expected 1 target for unbatched input " + Arrays.toString(s) + ", got " + target.length);
            }
            Tensor loss = crossEntropy(input.unsqueeze(0), target, options, reduction);
            return reduction == Reduction.NONE ? loss.reshape() : loss;
        }
        if (s.length == 0) {
            throw new IllegalArgumentException("crossEntropy: expected input [C], [N, C] or [N, C, d1, ...], got " + Arrays.toString(s));
        }
        int c = s[1];
        int[] targetShape = new int[s.length - 1];
        targetShape[0] = s[0];
        System.arraycopy(s, 2, targetShape, 1, s.length - 2);
        int m = input.size() / Math.max(c, 1);
        if (target.length != m) {
            throw new IllegalArgumentException("crossEntropy: expected " + m + " targets for input " + Arrays.toString(s) + " (shape "
                    + Arrays.toString(targetShape) + "), got " + target.length);
        }
        Tensor weight = options.weight() == null ? null : options.weight().detach();
        if (weight != null && weight.size() != c) {
            throw new IllegalArgumentException("crossEntropy: expected a weight of shape [" + c + "] (one per class), got "
                    + Arrays.toString(weight.shape()));
        }
        double[] keep = new double[m], coef = new double[m], safe = new double[m];
        for (int n = 0; n < m; n++) {
            int t = target[n];
            if (t == options.ignoreIndex()) continue;
            if (t < 0 || t >= c) throw new IllegalArgumentException("crossEntropy: Target " + t + " is out of bounds (" + c + " classes)");
            keep[n] = 1;
            coef[n] = weight == null ? 1 : weight.data()[t];
            safe[n] = t;
        }
        // classes last: [N, d1, ..., C] flattened to [M, C]
        int[] perm = new int[s.length];
        for (int i = 0; i < s.length; i++) perm[i] = i == 0 ? 0 : i == s.length - 1 ? 1 : i + 1;
        Tensor logits = s.length == 2 ? input : input.permute(perm).reshape(m, c);
        Tensor logp = logits.logSoftmax(1);
        Tensor mask = Tensor.vector(keep), w = Tensor.vector(coef);
        Tensor loss = logp.gather(1, Tensor.of(safe, m, 1)).reshape(m).mul(w).neg();
        double eps = options.labelSmoothing();
        if (eps > 0) {
            Tensor smooth = (weight == null ? logp : logp.mul(weight)).sum(1, false).neg().mul(mask);
            loss = loss.mul(1 - eps).add(smooth.mul(eps / c));
        }
        return switch (reduction) {
            case NONE -> loss.reshape(targetShape);
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(w.sum());
        };
    }

    /** {@link #crossEntropy(Tensor, int[], CrossEntropyOptions, Reduction)} with PyTorch's default {@link Reduction#MEAN}. */
    public static Tensor crossEntropy(Tensor input, int[] target, CrossEntropyOptions options) {
        return crossEntropy(input, target, options, Reduction.MEAN);
    }

    /**
     * Kullback-Leibler divergence, as {@code F.kl_div(input, target, reduction, log_target)}: {@code input} holds
     * log-probabilities; pointwise {@code target·(log target − input)} (0 where {@code target == 0}), or, with
     * {@code logTarget}, {@code e^target·(target − input)}. The target gradient at a zero target, where PyTorch's is
     * NaN, is {@code −input} here. {@link Reduction#MEAN} averages over every element, as
     * PyTorch's {@code 'mean'} (which it warns is not the KL divergence); {@link #klDivBatchMean} is the divergence
     * per sample.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        sameShape("klDiv", input, target);
        return reduction.apply(klDivPointwise(input, target, logTarget));
    }

    /** {@link #klDiv(Tensor, Tensor, Reduction, boolean)} with PyTorch's defaults: {@link Reduction#MEAN}, {@code logTarget = false}. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /** {@link #klDiv} summed and divided by the batch size {@code input.shape(0)}, PyTorch's {@code reduction='batchmean'}. */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        sameShape("klDiv", input, target);
        Tensor sum = klDivPointwise(input, target, logTarget).sum();
        return input.dim() == 0 ? sum : sum.div(input.shape(0));
    }

    private static Tensor klDivPointwise(Tensor input, Tensor target, boolean logTarget) {
        if (logTarget) return target.exp().mul(target.sub(input));
        // xlogy: 0·log 0 = 0, without a NaN gradient through the branch that is not taken
        Tensor positive = target.gt(0);
        Tensor xlogx = target.mul(Tensor.where(positive, target, Tensor.scalar(1)).log());
        return xlogx.sub(target.mul(input));
    }

    /**
     * Smooth L1 loss, as {@code F.smooth_l1_loss(input, target, reduction, beta)}: with {@code z = |input − target|},
     * {@code 0.5·z²/beta} where {@code z < beta} and {@code z − 0.5·beta} elsewhere; {@code beta = 0} is the L1 loss
     * (as PyTorch). It is {@link #huberLoss} divided by beta.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, Reduction reduction) {
        sameShape("smoothL1Loss", input, target);
        if (!(beta >= 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("smoothL1Loss: expected a finite beta >= 0, got " + beta);
        if (beta == 0) return l1Loss(input, target, reduction);
        Tensor d = input.sub(target);
        Tensor z = d.abs();
        return reduction.apply(Tensor.where(z.lt(beta), d.square().mul(0.5 / beta), z.sub(0.5 * beta)));
    }

    /** {@link #smoothL1Loss(Tensor, Tensor, double, Reduction)} with PyTorch's defaults: {@code beta = 1}, {@link Reduction#MEAN}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of probabilities, as {@code F.binary_cross_entropy(input, target, weight, reduction)}:
     * {@code −w·[y·log x + (1 − y)·log(1 − x)]} with each log clamped at −100, as PyTorch does, so probabilities of
     * exactly 0 or 1 give finite losses. The gradient is PyTorch's {@code w·(x − y)/max(x·(1 − x), 1e-12f)} (finite at 0
     * and 1), and for the target {@code w·(log(1 − x) − log x)} with the same clamped logs; both are written in tensor
     * ops, so they differentiate again. {@code weight} broadcasts to the input (null: none; a constant).
     *
     * @throws IllegalArgumentException when shapes differ or an input is outside [0, 1]
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        sameShape("binaryCrossEntropy", input, target);
        for (double v : input.toArray()) {
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("binaryCrossEntropy: expected every input in [0, 1], got " + v);
        }
        Tensor w = weight == null ? Tensor.scalar(1) : weight.detach();
        Tensor value = Tape.noGrad(() -> bceTerms(input.detach(), target.detach()).mul(w).neg());
        Tensor loss = Tensor.custom("binaryCrossEntropy", value, new Tensor[] {input, target}, g -> new Tensor[] {
                input.requiresGrad() ? g.mul(w).mul(input.sub(target)).div(input.mul(input.neg().add(1)).clamp(BCE_EPSILON, Double.POSITIVE_INFINITY)) : null,
                target.requiresGrad() ? g.mul(w).mul(clampedLog(input.neg().add(1)).sub(clampedLog(input))) : null});
        return reduction.apply(loss);
    }

    /** {@link #binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)} with PyTorch's defaults: no weight, {@link Reduction#MEAN}. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /** The floor of x·(1 − x) in PyTorch's gradient: its {@code EPSILON}, which is the float {@code 1e-12f}. */
    private static final double BCE_EPSILON = 1e-12f;

    /** y·log x + (1 − y)·log(1 − x) with the logs clamped at −100. */
    private static Tensor bceTerms(Tensor x, Tensor y) {
        return y.mul(clampedLog(x)).add(y.neg().add(1).mul(clampedLog(x.neg().add(1))));
    }

    private static Tensor clampedLog(Tensor x) {
        return x.log().clamp(-100, Double.POSITIVE_INFINITY);
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

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * The two-layer residual block of ResNet for vectors, with {@link Linear} layers in place of convolutions and
 * {@link BatchNorm1d} as the normalisation. The shortcut is the identity when {@code in == out} and a bias-free
 * {@code Linear(in, out)} projection otherwise. Children: {@code body} (a {@link Sequential}) and, for a projection,
 * {@code shortcut}.
 *
 * <ul>
 *   <li>{@link #postActivation}: the original block (He et al., 2016a),
 *       {@code y = relu(bn(W₂·relu(bn(W₁·x))) + shortcut(x))};</li>
 *   <li>{@link #preActivation}: the identity-mapping block (He et al., "Identity Mappings in Deep Residual Networks",
 *       2016b), {@code y = W₂·relu(bn(W₁·relu(bn(x)))) + shortcut(x)}, with nothing after the sum.</li>
 * </ul>
 * The Linear layers inside the body have no bias where a BatchNorm follows them, as in ResNet.
 */
public final class ResidualBlock extends Module {
    private final Module body;
    private final Module shortcut;
    private final boolean reluAfterSum;

    private ResidualBlock(Sequential body, int in, int out, boolean reluAfterSum, Rng rng) {
        this.body = registerModule("body", body);
        this.shortcut = in == out ? null : registerModule("shortcut", new Linear(in, out, false, rng));
        this.reluAfterSum = reluAfterSum;
    }

    /** The original post-activation block: Linear, BatchNorm, ReLU, Linear, BatchNorm, add the shortcut, ReLU. */
    public static ResidualBlock postActivation(int in, int out, Rng rng) {
        Sequential body = new Sequential(new Linear(in, out, false, rng), new BatchNorm1d(out), new ReLU(),
                new Linear(out, out, false, rng), new BatchNorm1d(out));
        return new ResidualBlock(body, in, out, true, rng);
    }

    /** The pre-activation block: BatchNorm, ReLU, Linear, BatchNorm, ReLU, Linear, add the shortcut. */
    public static ResidualBlock preActivation(int in, int out, Rng rng) {
        Sequential body = new Sequential(new BatchNorm1d(in), new ReLU(), new Linear(in, out, false, rng),
                new BatchNorm1d(out), new ReLU(), new Linear(out, out, rng));
        return new ResidualBlock(body, in, out, false, rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor sum = forwardChild(body, input).add(shortcut == null ? input : forwardChild(shortcut, input));
        return reluAfterSum ? sum.relu() : sum;
    }

    @Override
    protected String extraRepr() {
        return reluAfterSum ? "post-activation" : "pre-activation";
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A gated recurrent unit (Cho et al., 2014), as PyTorch's {@code nn.GRUCell}. With the gates in PyTorch's order
 * r, z, n (the rows of {@code weight_ih}, {@code weight_hh}, {@code bias_ih} and {@code bias_hh}, each
 * {@code 3·hiddenSize} long, in three blocks):
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)          reset gate
 *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)          update gate
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))       candidate
 *   h' = (1 − z) * n + z * h                            computed as n + z * (h − n), as PyTorch does
 * </pre>
 * Note that the reset gate multiplies {@code W_hn h + b_hn}, bias included (PyTorch's variant, not the paper's
 * {@code W_hn (r * h)}). Input {@code [N, inputSize]} or {@code [inputSize]}; hidden {@code [N, hiddenSize]} or
 * {@code [hiddenSize]}. All parameters start from U(−1/√hiddenSize, 1/√hiddenSize).
 */
public final class GRUCell extends RNNCellBase {
    /** GRU gates: r, z, n. */
    static final int GATES = 3;

    /** A cell with biases (PyTorch's default). */
    public GRUCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    /** PyTorch's {@code GRUCell(input_size, hidden_size, bias)}. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, bias, GATES, false, GRUCell::step, rng);
    }

    /** One step from the zero hidden state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** One step from {@code hidden} (null: zeros). */
    public Tensor forward(Tensor input, Tensor hidden) {
        return advance(input, hidden, null).h();
    }

    /** The step after the input projection {@code gi}, shared with {@link GRU}: the gates' pointwise part is one fused op. */
    static RecurrentState step(Tensor gi, RecurrentState s, Recurrence hh) {
        return new RecurrentState(Tensor.gruCell(gi, hh.of(s.h()), s.h()), null);
    }
}

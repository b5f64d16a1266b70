package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A long short-term memory cell (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000), as
 * PyTorch's {@code nn.LSTMCell}. With the gates in PyTorch's order i, f, g, o (the rows of {@code weight_ih},
 * {@code weight_hh}, {@code bias_ih} and {@code bias_hh}, each {@code 4·hiddenSize} long, in four blocks):
 * <pre>
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      input gate
 *   f = sigmoid(W_if x + b_if + W_hf h + b_hf)      forget gate
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)         candidate cell
 *   o = sigmoid(W_io x + b_io + W_ho h + b_ho)      output gate
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 * Input {@code [N, inputSize]} or {@code [inputSize]}; both states {@code [N, hiddenSize]} or {@code [hiddenSize]}.
 * All parameters start from U(−1/√hiddenSize, 1/√hiddenSize), as in PyTorch, so the forget gate starts near 1/2; the
 * common "forget bias 1" (Jozefowicz et al., 2015) is not a PyTorch option: set rows {@code [hiddenSize, 2·hiddenSize)}
 * of the biases after construction.
 */
public final class LSTMCell extends RNNCellBase {
    /** LSTM gates: i, f, g, o. */
    static final int GATES = 4;

    /** A cell with biases (PyTorch's default). */
    public LSTMCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    /** PyTorch's {@code LSTMCell(input_size, hidden_size, bias)}. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, bias, GATES, true, LSTMCell::step, rng);
    }

    /** The new hidden state from zero states (use {@link #forward(Tensor, Tensor, Tensor)} for the cell state too). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).h();
    }

    /** The new hidden and cell states from {@code h} and {@code c} (null: zeros), as PyTorch's {@code (h_1, c_1)}. */
    public RecurrentState forward(Tensor input, Tensor h, Tensor c) {
        return advance(input, h, c);
    }

    /** The step after the input projection {@code gi}, shared with {@link LSTM}: the gates' pointwise part is one fused op. */
    static RecurrentState step(Tensor gi, RecurrentState s, Recurrence hh) {
        Tensor[] hc = Tensor.lstmCell(gi, hh.of(s.h()), s.c());
        return new RecurrentState(hc[0], hc[1]);
    }
}

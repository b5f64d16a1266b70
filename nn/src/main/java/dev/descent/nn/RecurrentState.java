package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * The state a recurrent cell carries from one step to the next: the hidden state {@code h} and, for an LSTM, the
 * cell state {@code c} (null for RNN and GRU cells, which have none). {@link LSTMCell#forward(Tensor, Tensor, Tensor)} returns one, as PyTorch's {@code (h_1, c_1)}.
 *
 * @param h hidden state, {@code [N, hiddenSize]} (or {@code [hiddenSize]} for unbatched input)
 * @param c cell state of the same shape, or null
 */
public record RecurrentState(Tensor h, Tensor c) {
    public RecurrentState {
        if (h == null) throw new IllegalArgumentException("RecurrentState: the hidden state must not be null");
    }
}

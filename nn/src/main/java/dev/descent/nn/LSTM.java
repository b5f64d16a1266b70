package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A multi-layer long short-term memory network, as PyTorch's {@code nn.LSTM}: every layer runs {@link LSTMCell}'s
 * step (gates i, f, g, o in that order in the rows of {@code weight_ih_lk} {@code [4·hiddenSize, ·]} and the
 * others) over the sequence. Options, shapes and parameter names are those of {@link RNNBase}; PyTorch's
 * {@code proj_size} is not supported.
 *
 * <p>To start the forget gates at bias 1 (Jozefowicz et al., 2015; not a PyTorch option), fill rows
 * {@code [hiddenSize, 2·hiddenSize)} of {@code bias_ih_lk} with 1 and of {@code bias_hh_lk} with 0 after construction.
 */
public final class LSTM extends RNNBase {
    /** One layer with PyTorch's defaults. */
    public LSTM(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, DEFAULTS, rng);
    }

    /** PyTorch's {@code LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public LSTM(int inputSize, int hiddenSize, Options options, Rng rng) {
        super(inputSize, hiddenSize, options, LSTMCell.GATES, true, LSTMCell::step, rng);
    }

    /**
     * Outputs and final hidden and cell states from {@code h0} and {@code c0} (each {@code [D·numLayers, N, hiddenSize]};
     * null: zeros), as PyTorch's {@code lstm(input, (h0, c0))}.
     */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A multi-layer long short-term memory network, as PyTorch's {@code nn.LSTM}: every layer runs {@link LSTMCell}'s
 * step (gates i, f, g, o in that order in the rows of {@code weight_ih_lk} {@code [4·hiddenSize, ·]} and the
 * others) over the sequence. Options, shapes and parameter names are those of {@link RNNBase}.
 *
 * <p>With {@code projSize > 0} (PyTorch's {@code proj_size}; the LSTM with a recurrent projection layer of Sak et
 * al., 2014) every layer and direction has one more parameter, {@code weight_hr_lk} {@code [projSize, hiddenSize]},
 * registered after the biases, and the hidden state becomes {@code h_t = W_hr·(o_t * tanh(c_t))} with
 * {@code projSize} features: {@code weight_hh_lk} is {@code [4·hiddenSize, projSize]}, the layers above the first read
 * {@code D·projSize} features, the output is {@code [L, N, D·projSize]} and {@code h0}, {@code h_n}
 * {@code [D·numLayers, N, projSize]}, while the cell states {@code c0}, {@code c_n} keep {@code hiddenSize}.
 *
 * <p>To start the forget gates at bias 1 (Jozefowicz et al., 2015; not a PyTorch option), fill rows
 * {@code [hiddenSize, 2·hiddenSize)} of {@code bias_ih_lk} with 1 and of {@code bias_hh_lk} with 0 after construction.
 */
public final class LSTM extends RNNBase {
    private final int projSize;

    /** One layer with PyTorch's defaults. */
    public LSTM(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, DEFAULTS, rng);
    }

    /** PyTorch's {@code LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public LSTM(int inputSize, int hiddenSize, Options options, Rng rng) {
        this(inputSize, hiddenSize, options, 0, rng);
    }

    /**
     * PyTorch's {@code LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size)}.
     *
     * @param projSize the number of features of the projected hidden state, in {@code [1, hiddenSize)}; 0 for none
     * @throws IllegalArgumentException if {@code projSize} is negative or not smaller than {@code hiddenSize}
     */
    public LSTM(int inputSize, int hiddenSize, Options options, int projSize, Rng rng) {
        super(inputSize, hiddenSize, options, projSize, LSTMCell.GATES, true, LSTMCell::step, rng);
        this.projSize = projSize;
    }

    /** The width of {@code weight_hr}, the projection of the hidden state; 0 when there is none. */
    public int projSize() {
        return projSize;
    }

    /**
     * Outputs and final hidden and cell states from {@code h0} ({@code [D·numLayers, N, projSize]} with projections,
     * else {@code [D·numLayers, N, hiddenSize]}) and {@code c0} ({@code [D·numLayers, N, hiddenSize]}); null: zeros. As
     * PyTorch's {@code lstm(input, (h0, c0))}.
     */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }
}

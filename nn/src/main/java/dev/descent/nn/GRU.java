package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A multi-layer gated recurrent unit network, as PyTorch's {@code nn.GRU}: every layer runs {@link GRUCell}'s step
 * (gates r, z, n in that order in the rows of {@code weight_ih_lk} {@code [3·hiddenSize, ·]} and the others) over the
 * sequence. Options, shapes and parameter names are those of {@link RNNBase}.
 */
public final class GRU extends RNNBase {
    /** One layer with PyTorch's defaults. */
    public GRU(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, DEFAULTS, rng);
    }

    /** PyTorch's {@code GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public GRU(int inputSize, int hiddenSize, Options options, Rng rng) {
        super(inputSize, hiddenSize, options, 0, GRUCell.GATES, false, GRUCell::step, rng);
    }

    /** Outputs and final hidden states from {@code h0} ({@code [D·numLayers, N, hiddenSize]}; null: zeros). */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A multi-layer Elman network unrolled over time, as PyTorch's {@code nn.RNN}: every layer computes
 * {@code h_t = σ(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)} with {@code σ} = tanh (the default) or relu
 * ({@link RNNCell}'s step), {@code x_t} being the input for the first layer and the previous layer's {@code h_t}
 * (after dropout in training) above. Options, shapes and parameter names ({@code weight_ih_l0}, ...) are those of
 * {@link RNNBase}. Backprop runs through all steps, which is what makes gradients vanish or explode with the spectral
 * radius of {@code W_hh}.
 */
public final class RNN extends RNNBase {
    private final RNNCell.Nonlinearity nonlinearity;

    /** One tanh layer with PyTorch's defaults. */
    public RNN(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, RNNCell.Nonlinearity.TANH, DEFAULTS, rng);
    }

    /** PyTorch's {@code RNN(input_size, hidden_size, num_layers, nonlinearity, bias, batch_first, dropout, bidirectional)}. */
    public RNN(int inputSize, int hiddenSize, RNNCell.Nonlinearity nonlinearity, Options options, Rng rng) {
        super(inputSize, hiddenSize, options, 0, 1, false, RNNCell.step(nonlinearity), rng);
        this.nonlinearity = nonlinearity;
    }

    public RNNCell.Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    /** Outputs and final hidden states from {@code h0} ({@code [D·numLayers, N, hiddenSize]}; null: zeros). */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (nonlinearity == RNNCell.Nonlinearity.TANH ? "" : ", nonlinearity=" + nonlinearity);
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * One step of an Elman recurrent network, as PyTorch's {@code nn.RNNCell}:
 * {@code h' = σ(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)} with {@code σ} = tanh (the default) or relu, input
 * {@code [N, inputSize]} or {@code [inputSize]}, hidden state of shape {@code [N, hiddenSize]} or {@code [hiddenSize]}.
 * Parameters {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh} start from
 * U(−1/√hiddenSize, 1/√hiddenSize), PyTorch's initialisation (see {@link RNNCellBase}).
 */
public final class RNNCell extends RNNCellBase {
    /** The nonlinearity of an Elman cell, PyTorch's {@code nonlinearity='tanh'|'relu'}. */
    public enum Nonlinearity {
        TANH, RELU;

        /** {@code σ(gi + gh)} as one fused op. */
        Tensor apply(Tensor gi, Tensor gh) {
            return this == TANH ? Tensor.rnnTanhCell(gi, gh) : Tensor.rnnReluCell(gi, gh);
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Nonlinearity nonlinearity;

    /** A tanh cell with biases (PyTorch's defaults). */
    public RNNCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, Nonlinearity.TANH, rng);
    }

    /** PyTorch's {@code RNNCell(input_size, hidden_size, bias, nonlinearity)}. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, Nonlinearity nonlinearity, Rng rng) {
        super(inputSize, hiddenSize, bias, 1, false, step(nonlinearity), rng);
        this.nonlinearity = nonlinearity;
    }

    public Nonlinearity nonlinearity() {
        return nonlinearity;
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

    /** The step {@code h' = σ(gi + h·W_hhᵀ + b_hh)}, shared with {@link RNN}. */
    static Step step(Nonlinearity nonlinearity) {
        if (nonlinearity == null) throw new IllegalArgumentException("RNNCell: nonlinearity must be tanh or relu, got null");
        return (gi, s, hh) -> new RecurrentState(nonlinearity.apply(gi, hh.of(s.h())), null);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (nonlinearity == Nonlinearity.TANH ? "" : ", nonlinearity=" + nonlinearity);
    }
}

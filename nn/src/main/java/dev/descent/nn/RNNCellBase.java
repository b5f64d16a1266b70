package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/**
 * What {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share, as PyTorch's {@code nn.RNNCellBase}: the
 * parameters {@code weight_ih [G·hiddenSize, inputSize]}, {@code weight_hh [G·hiddenSize, hiddenSize]},
 * {@code bias_ih} and {@code bias_hh [G·hiddenSize]} (the biases only with {@code bias}), where {@code G} is the number
 * of gates (1, 4 and 3), all initialised from U(−1/√hiddenSize, 1/√hiddenSize) as PyTorch does; the shape checks;
 * and unbatched input ({@code [inputSize]} with states {@code [hiddenSize]}).
 *
 * <p>Every cell is {@code x·W_ihᵀ + b_ih} followed by a {@link Step} on that projection and the previous state; the
 * multi-layer modules ({@link RNNBase}) run the same steps with the projection computed once for all time steps.
 */
public abstract sealed class RNNCellBase extends Module permits RNNCell, LSTMCell, GRUCell {
    /**
     * One step of a cell after the input projection: the new state from {@code gi = x·W_ihᵀ + b_ih} ({@code [N, G·H]}),
     * the previous state and the recurrent projection.
     */
    @FunctionalInterface
    interface Step {
        RecurrentState apply(Tensor gi, RecurrentState state, Recurrence hh);
    }

    /**
     * The recurrent projection {@code h·W_hhᵀ + b_hh} of a step ({@code bias} null without bias). A layer that runs a
     * whole sequence passes {@code weightT}, {@code W_hhᵀ} made once for all its steps, which the product reads as it
     * is (see {@link Tensor#linear(Tensor, Tensor, Tensor, Tensor)}); a single step passes null.
     */
    record Recurrence(Tensor weight, Tensor weightT, Tensor bias) {
        Tensor of(Tensor h) {
            return weightT == null ? Tensor.linear(h, weight, bias) : Tensor.linear(h, weight, bias, weightT);
        }
    }

    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;
    private final boolean hasCellState;
    private final Step step;

    RNNCellBase(int inputSize, int hiddenSize, boolean bias, int gates, boolean hasCellState, Step step, Rng rng) {
        checkSizes(getClass().getSimpleName(), inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.hasCellState = hasCellState;
        this.step = step;
        registerWeights(this, "", inputSize, hiddenSize, hiddenSize, gates, bias, rng);
    }

    public final int inputSize() {
        return inputSize;
    }

    public final int hiddenSize() {
        return hiddenSize;
    }

    /** Whether the cell has {@code bias_ih} and {@code bias_hh}. */
    public final boolean bias() {
        return bias;
    }

    /** The next state from {@code input} and the previous states ({@code c} ignored without a cell state; null = zeros). */
    final RecurrentState advance(Tensor input, Tensor h, Tensor c) {
        int[] s = input.shape();
        if ((s.length != 1 && s.length != 2) || s[s.length - 1] != inputSize) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inputSize + "] or [" + inputSize + "], got "
                    + Arrays.toString(s));
        }
        boolean unbatched = s.length == 1;
        int[] stateShape = unbatched ? new int[] {hiddenSize} : new int[] {s[0], hiddenSize};
        Tensor h0 = initialState(this, "hidden state", h, stateShape);
        Tensor c0 = hasCellState ? initialState(this, "cell state", c, stateShape) : null;
        if (unbatched) {
            RecurrentState next = step.apply(Tensor.linear(input.unsqueeze(0), parameter("weight_ih"), optional("bias_ih")),
                    new RecurrentState(h0.unsqueeze(0), c0 == null ? null : c0.unsqueeze(0)), recurrence());
            return new RecurrentState(next.h().squeeze(0), next.c() == null ? null : next.c().squeeze(0));
        }
        return step.apply(Tensor.linear(input, parameter("weight_ih"), optional("bias_ih")), new RecurrentState(h0, c0), recurrence());
    }

    private Recurrence recurrence() {
        return new Recurrence(parameter("weight_hh"), null, optional("bias_hh"));
    }

    /** The parameter {@code name}, or null when the module was built without biases. */
    final Tensor optional(String name) {
        return bias ? parameter(name) : null;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=false");
    }

    // ---------------------------------------------------------------- shared with RNNBase

    static void checkSizes(String kind, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(kind + ": expected positive sizes, got inputSize=" + inputSize + ", hiddenSize=" + hiddenSize);
        }
    }

    /**
     * Registers {@code weight_ih<suffix>}, {@code weight_hh<suffix>} (reading a hidden state of {@code stateSize}
     * features: {@code hiddenSize}, or an LSTM's projection size) and, with bias, the two biases, all U(−k, k) with
     * {@code k = 1/√hiddenSize}.
     */
    static void registerWeights(Module m, String suffix, int inputSize, int hiddenSize, int stateSize, int gates, boolean bias, Rng rng) {
        double k = 1 / Math.sqrt(hiddenSize);
        m.registerParameter("weight_ih" + suffix, Init.uniform(Tensor.zeros(gates * hiddenSize, inputSize), -k, k, rng));
        m.registerParameter("weight_hh" + suffix, Init.uniform(Tensor.zeros(gates * hiddenSize, stateSize), -k, k, rng));
        if (bias) {
            m.registerParameter("bias_ih" + suffix, Init.uniform(Tensor.zeros(gates * hiddenSize), -k, k, rng));
            m.registerParameter("bias_hh" + suffix, Init.uniform(Tensor.zeros(gates * hiddenSize), -k, k, rng));
        }
    }

    /** {@code given}, checked against {@code shape}, or zeros of that shape when null. */
    static Tensor initialState(Module m, String what, Tensor given, int[] shape) {
        if (given == null) return Tensor.zeros(shape);
        if (!Arrays.equals(given.shape(), shape)) {
            throw new IllegalArgumentException(m + ": expected " + what + " of shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(given.shape()));
        }
        return given;
    }
}

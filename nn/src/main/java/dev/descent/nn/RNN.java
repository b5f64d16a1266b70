package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/**
 * A single-layer Elman network with tanh unrolled over time, as PyTorch's {@code nn.RNN} with its defaults
 * ({@code num_layers = 1}, {@code batch_first = false}): input {@code [T, N, inputSize]}, output
 * {@code [T, N, hiddenSize]} (the hidden state after every step), with {@code h_t = tanh(x_t·W_ihᵀ + b_ih +
 * h_{t−1}·W_hhᵀ + b_hh)}. Parameters carry PyTorch's names ({@code weight_ih_l0}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}) and initialisation U(−1/√hiddenSize, 1/√hiddenSize). Backprop runs through
 * all T steps, which is what makes gradients vanish or explode with the spectral radius of {@code W_hh}.
 */
public final class RNN extends Module {
    private final int inputSize;
    private final int hiddenSize;

    public RNN(int inputSize, int hiddenSize, Rng rng) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("RNN: expected positive sizes, got inputSize=" + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double k = 1 / Math.sqrt(hiddenSize);
        registerParameter("weight_ih_l0", Init.uniform(Tensor.zeros(hiddenSize, inputSize), -k, k, rng));
        registerParameter("weight_hh_l0", Init.uniform(Tensor.zeros(hiddenSize, hiddenSize), -k, k, rng));
        registerParameter("bias_ih_l0", Init.uniform(Tensor.zeros(hiddenSize), -k, k, rng));
        registerParameter("bias_hh_l0", Init.uniform(Tensor.zeros(hiddenSize), -k, k, rng));
    }

    /** All hidden states, starting from zero. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, Tensor.zeros(input.dim() == 3 ? input.shape(1) : 1, hiddenSize));
    }

    /** All hidden states {@code [T, N, hiddenSize]}, starting from {@code h0} of shape {@code [N, hiddenSize]}. */
    public Tensor forward(Tensor input, Tensor h0) {
        int[] s = input.shape();
        if (s.length != 3 || s[0] == 0 || s[2] != inputSize) {
            throw new IllegalArgumentException(this + ": expected input of shape [T, N, " + inputSize + "] with T >= 1, got "
                    + Arrays.toString(s));
        }
        if (!Arrays.equals(h0.shape(), new int[] {s[1], hiddenSize})) {
            throw new IllegalArgumentException(this + ": expected initial hidden state of shape [" + s[1] + ", " + hiddenSize + "], got "
                    + Arrays.toString(h0.shape()));
        }
        Tensor wIh = parameter("weight_ih_l0"), wHh = parameter("weight_hh_l0");
        Tensor bIh = parameter("bias_ih_l0"), bHh = parameter("bias_hh_l0");
        Tensor[] hs = new Tensor[s[0]];
        Tensor h = h0;
        for (int t = 0; t < s[0]; t++) {
            h = RNNCell.step(input.slice(0, t, t + 1).reshape(s[1], s[2]), h, wIh, wHh, bIh, bHh);
            hs[t] = h;
        }
        return Tensor.stack(0, hs);
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize;
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/**
 * One step of an Elman recurrent network with tanh, as PyTorch's {@code nn.RNNCell}:
 * {@code h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)}, input {@code [N, inputSize]}, hidden {@code [N, hiddenSize]}.
 * All four parameters ({@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}) start from
 * U(−1/√hiddenSize, 1/√hiddenSize), PyTorch's initialisation.
 */
public final class RNNCell extends Module {
    private final int inputSize;
    private final int hiddenSize;

    public RNNCell(int inputSize, int hiddenSize, Rng rng) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("RNNCell: expected positive sizes, got inputSize=" + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        double k = 1 / Math.sqrt(hiddenSize);
        registerParameter("weight_ih", Init.uniform(Tensor.zeros(hiddenSize, inputSize), -k, k, rng));
        registerParameter("weight_hh", Init.uniform(Tensor.zeros(hiddenSize, hiddenSize), -k, k, rng));
        registerParameter("bias_ih", Init.uniform(Tensor.zeros(hiddenSize), -k, k, rng));
        registerParameter("bias_hh", Init.uniform(Tensor.zeros(hiddenSize), -k, k, rng));
    }

    /** One step from the zero hidden state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, Tensor.zeros(input.dim() == 2 ? input.shape(0) : 1, hiddenSize));
    }

    /** One step from {@code hidden}. */
    public Tensor forward(Tensor input, Tensor hidden) {
        if (input.dim() != 2 || input.shape(1) != inputSize) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inputSize + "], got " + Arrays.toString(input.shape()));
        }
        if (!Arrays.equals(hidden.shape(), new int[] {input.shape(0), hiddenSize})) {
            throw new IllegalArgumentException(this + ": expected hidden state of shape [" + input.shape(0) + ", " + hiddenSize + "], got "
                    + Arrays.toString(hidden.shape()));
        }
        return step(input, hidden, parameter("weight_ih"), parameter("weight_hh"), parameter("bias_ih"), parameter("bias_hh"));
    }

    static Tensor step(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return Tensor.linear(x, wIh, bIh).add(Tensor.linear(h, wHh, bHh)).tanh();
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize;
    }
}

package dev.descent.nn;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.init.Init;

import java.util.Arrays;

/**
 * The sequence and layer plumbing that {@link RNN}, {@link LSTM} and {@link GRU} share, as PyTorch's
 * {@code nn.RNNBase}: a stack of {@code numLayers} layers (two directions each if bidirectional), each running its
 * cell over every time step, the next layer reading the previous one's outputs (both directions concatenated), with
 * dropout between layers in training (not after the last).
 *
 * <p>Parameters per layer {@code k} and direction carry PyTorch's names and layouts: {@code weight_ih_lk}
 * {@code [G·hiddenSize, inputSize]} for {@code k = 0} and {@code [G·hiddenSize, D·H_out]} above,
 * {@code weight_hh_lk} {@code [G·hiddenSize, H_out]}, {@code bias_ih_lk}, {@code bias_hh_lk}
 * {@code [G·hiddenSize]} (with {@code bias}), for an {@link LSTM} with projections {@code weight_hr_lk}
 * {@code [projSize, hiddenSize]}, the reverse direction with the suffix {@code _reverse}, registered layer by layer
 * in that order, so a PyTorch {@code state_dict} loads one to one. {@code H_out} is the width of the hidden state:
 * {@code hiddenSize}, or an LSTM's {@code projSize} when that is positive. All start from
 * U(−1/√hiddenSize, 1/√hiddenSize).
 *
 * <p>Shapes ({@code L} steps, batch {@code N}, {@code D = 2} if bidirectional else 1): input {@code [L, N, inputSize]},
 * {@code [N, L, inputSize]} with {@code batchFirst}, or unbatched {@code [L, inputSize]}; initial hidden states
 * {@code [D·numLayers, N, H_out]} and (LSTM) cell states {@code [D·numLayers, N, hiddenSize]} (without {@code N}
 * unbatched, never batch-first), zeros when not given; the result is a {@link RecurrentOutput}. Backprop runs through
 * every step of every layer.
 */
public abstract sealed class RNNBase extends Module permits RNN, LSTM, GRU {
    /** PyTorch's defaults: one layer, biases, time-major input, no dropout, one direction. */
    public static final Options DEFAULTS = new Options(1, true, false, 0, false);

    /**
     * The options PyTorch's recurrent modules share; start from {@link RNNBase#DEFAULTS}.
     *
     * @param numLayers number of stacked layers, {@code >= 1}
     * @param bias whether the layers have {@code bias_ih} and {@code bias_hh}
     * @param batchFirst input and output as {@code [N, L, features]} instead of {@code [L, N, features]}
     * @param dropout probability of zeroing each output of every layer but the last in training, in [0, 1] (so with one
     *     layer it has no effect; PyTorch warns about that, this accepts it silently)
     * @param bidirectional run a second, reverse-time layer beside each layer and concatenate their outputs
     */
    public record Options(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        public Options {
            if (numLayers < 1) throw new IllegalArgumentException("recurrent layer: expected numLayers >= 1, got " + numLayers);
            if (!(dropout >= 0 && dropout <= 1)) {
                throw new IllegalArgumentException("recurrent layer: dropout should be a number in range [0, 1] representing the "
                        + "probability of an element being zeroed, got " + dropout);
            }
        }

        public Options withNumLayers(int numLayers) {
            return new Options(numLayers, bias, batchFirst, dropout, bidirectional);
        }

        public Options withBias(boolean bias) {
            return new Options(numLayers, bias, batchFirst, dropout, bidirectional);
        }

        public Options withBatchFirst(boolean batchFirst) {
            return new Options(numLayers, bias, batchFirst, dropout, bidirectional);
        }

        public Options withDropout(double dropout) {
            return new Options(numLayers, bias, batchFirst, dropout, bidirectional);
        }

        public Options withBidirectional(boolean bidirectional) {
            return new Options(numLayers, bias, batchFirst, dropout, bidirectional);
        }
    }

    private final int inputSize;
    private final int hiddenSize;
    private final int projSize;
    private final Options options;
    private final boolean hasCellState;
    private final RNNCellBase.Step step;
    private final Rng rng;

    /** {@code projSize}: the width of {@code weight_hr}, the projection of an LSTM's hidden state; 0 for none. */
    RNNBase(int inputSize, int hiddenSize, Options options, int projSize, int gates, boolean hasCellState, RNNCellBase.Step step,
            Rng rng) {
        String kind = getClass().getSimpleName();
        RNNCellBase.checkSizes(kind, inputSize, hiddenSize);
        if (options == null) throw new IllegalArgumentException(kind + ": options must not be null");
        if (projSize < 0) {
            throw new IllegalArgumentException(kind + ": projSize should be a positive integer or zero to disable projections, got "
                    + projSize);
        }
        if (projSize >= hiddenSize) {
            throw new IllegalArgumentException(kind + ": projSize has to be smaller than hiddenSize, got projSize=" + projSize
                    + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.projSize = projSize;
        this.options = options;
        this.hasCellState = hasCellState;
        this.step = step;
        this.rng = rng;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            for (int d = 0; d < directions(); d++) {
                int in = layer == 0 ? inputSize : directions() * outputSize();
                RNNCellBase.registerWeights(this, suffix(layer, d), in, hiddenSize, outputSize(), gates, options.bias(), rng);
                if (projSize > 0) {
                    double k = 1 / Math.sqrt(hiddenSize);
                    registerParameter("weight_hr" + suffix(layer, d), Init.uniform(Tensor.zeros(projSize, hiddenSize), -k, k, rng));
                }
            }
        }
    }

    public final int inputSize() {
        return inputSize;
    }

    public final int hiddenSize() {
        return hiddenSize;
    }

    public final Options options() {
        return options;
    }

    /** The width of the hidden state {@code h}: an LSTM's {@code projSize} when positive, else {@code hiddenSize}. */
    final int outputSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** The last layer's output at every step, from zero initial states. */
    @Override
    public final Tensor forward(Tensor input) {
        return run(input, null, null).output();
    }

    /** The whole computation: outputs and final states from {@code input} and the initial states (null: zeros). */
    final RecurrentOutput run(Tensor input, Tensor h0, Tensor c0) {
        int[] s = input.shape();
        if ((s.length != 2 && s.length != 3) || s[s.length - 1] != inputSize || s[s.length == 3 && options.batchFirst() ? 1 : 0] == 0) {
            throw new IllegalArgumentException(this + ": expected input of shape " + (options.batchFirst() ? "[N, L, " : "[L, N, ")
                    + inputSize + "] or [L, " + inputSize + "] with L >= 1, got " + Arrays.toString(s));
        }
        boolean unbatched = s.length == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : options.batchFirst() ? input.transpose(0, 1) : input;
        int steps = x.shape(0), n = x.shape(1), states = directions() * options.numLayers();
        int[] hShape = unbatched ? new int[] {states, outputSize()} : new int[] {states, n, outputSize()};
        int[] cShape = unbatched ? new int[] {states, hiddenSize} : new int[] {states, n, hiddenSize};
        Tensor h = RNNCellBase.initialState(this, "h0", h0, hShape);
        Tensor c = hasCellState ? RNNCellBase.initialState(this, "c0", c0, cShape) : null;
        if (unbatched) {
            h = h.unsqueeze(1);
            c = c == null ? null : c.unsqueeze(1);
        }
        Tensor[] hN = new Tensor[states], cN = new Tensor[states];
        Tensor[] hs0 = h.unbind(0), cs0 = c == null ? null : c.unbind(0);
        Tensor layerInput = x;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            Tensor[] outputs = new Tensor[directions()];
            for (int d = 0; d < directions(); d++) {
                int k = layer * directions() + d;
                String sfx = suffix(layer, d);
                Tensor wIh = parameter("weight_ih" + sfx), bIh = optional("bias_ih" + sfx);
                Tensor wHh = parameter("weight_hh" + sfx), bHh = optional("bias_hh" + sfx);
                Tensor wHr = projSize > 0 ? parameter("weight_hr" + sfx) : null;
                // As PyTorch: the input projection of every step in one product, then one [N, G·H] tensor per step
                // (unbind is one op, so its backward assembles the steps' gradients once).
                Tensor[] gi = Tensor.linear(layerInput, wIh, bIh).unbind(0);
                Tensor[] hs = new Tensor[steps];
                RecurrentState state = new RecurrentState(hs0[k], cs0 == null ? null : cs0[k]);
                // W_hhᵀ once for the sequence: each step's product then reads it as it is instead of packing W_hh.
                RNNCellBase.Recurrence hh = new RNNCellBase.Recurrence(wHh, wHh.detach().t(), bHh);
                for (int i = 0; i < steps; i++) {
                    int t = d == 0 ? i : steps - 1 - i;
                    state = step.apply(gi[t], state, hh);
                    // With projections (Sak et al., 2014; PyTorch's proj_size) the cell's o·tanh(c) is projected to
                    // projSize features; that projection is the hidden state carried to the next step and layer.
                    if (wHr != null) state = new RecurrentState(Tensor.linear(state.h(), wHr, null), state.c());
                    hs[t] = state.h();
                }
                outputs[d] = Tensor.stack(0, hs);
                hN[k] = state.h();
                cN[k] = state.c();
            }
            layerInput = directions() == 1 ? outputs[0] : Tensor.concat(2, outputs);
            if (layer < options.numLayers() - 1 && isTraining() && options.dropout() > 0) {
                layerInput = Dropout.apply(layerInput, options.dropout(), rng);
            }
        }
        Tensor out = layerInput;
        Tensor output = unbatched ? out.squeeze(1) : options.batchFirst() ? out.transpose(0, 1) : out;
        Tensor hOut = Tensor.stack(0, hN), cOut = hasCellState ? Tensor.stack(0, cN) : null;
        if (unbatched) {
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new RecurrentOutput(output, hOut, cOut);
    }

    private int directions() {
        return options.bidirectional() ? 2 : 1;
    }

    private static String suffix(int layer, int direction) {
        return "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    private Tensor optional(String name) {
        return options.bias() ? parameter(name) : null;
    }

    /** As PyTorch's {@code extra_repr}: the sizes, then the options that differ from the defaults. */
    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) sb.append(", proj_size=").append(projSize);
        if (options.numLayers() != DEFAULTS.numLayers()) sb.append(", num_layers=").append(options.numLayers());
        if (options.bias() != DEFAULTS.bias()) sb.append(", bias=").append(options.bias());
        if (options.batchFirst() != DEFAULTS.batchFirst()) sb.append(", batch_first=").append(options.batchFirst());
        if (options.dropout() != DEFAULTS.dropout()) sb.append(", dropout=").append(options.dropout());
        if (options.bidirectional() != DEFAULTS.bidirectional()) sb.append(", bidirectional=").append(options.bidirectional());
        return sb.toString();
    }
}

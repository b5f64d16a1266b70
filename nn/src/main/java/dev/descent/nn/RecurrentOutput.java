package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * What a multi-layer recurrent module returns, as PyTorch's {@code output, h_n} ({@link RNN}, {@link GRU}) or
 * {@code output, (h_n, c_n)} ({@link LSTM}).
 *
 * @param output the last layer's hidden state at every step: {@code [L, N, D·hiddenSize]}, {@code [N, L, D·hiddenSize]}
 *     with {@code batchFirst}, or {@code [L, D·hiddenSize]} for unbatched input ({@code D = 2} if bidirectional)
 * @param hN every layer's (and direction's) final hidden state, {@code [D·numLayers, N, hiddenSize]} (the batch
 *     dimension absent for unbatched input; never batch-first, as in PyTorch)
 * @param cN the final cell states of an LSTM, shaped as {@code hN}; null for RNN and GRU
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {}

package dev.descent.nn;

import dev.descent.core.Tensor;

/**
 * What a multi-layer recurrent module returns, as PyTorch's {@code output, h_n} ({@link RNN}, {@link GRU}) or
 * {@code output, (h_n, c_n)} ({@link LSTM}). {@code H_out} is {@code hiddenSize}, or an LSTM's {@code projSize} when
 * that is positive.
 *
 * @param output the last layer's hidden state at every step: {@code [L, N, D·H_out]}, {@code [N, L, D·H_out]}
 *     with {@code batchFirst}, or {@code [L, D·H_out]} for unbatched input ({@code D = 2} if bidirectional)
 * @param hN every layer's (and direction's) final hidden state, {@code [D·numLayers, N, H_out]} (the batch
 *     dimension absent for unbatched input; never batch-first, as in PyTorch)
 * @param cN the final cell states of an LSTM, {@code [D·numLayers, N, hiddenSize]} (projection or not); null for RNN
 *     and GRU
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {}

package dev.descent.core;

/**
 * The result of {@link Tensor#maxPool2dWithIndices} and {@link Tensor#adaptiveMaxPool2dWithIndices}, as PyTorch's
 * {@code return_indices=True}.
 *
 * @param values  the pooled maxima, [N, C, H', W'] (or [C, H', W'])
 * @param indices for each maximum, its flat index {@code row * W + column} within its input plane, as integral
 *                values in a constant tensor of the same shape (PyTorch's int64 indices)
 */
public record MaxPool2dResult(Tensor values, Tensor indices) {}

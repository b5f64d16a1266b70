package dev.descent.core;

/**
 * The result of {@link Tensor#maxWithIndices} and {@link Tensor#minWithIndices}, as PyTorch's
 * {@code torch.return_types.max}: the extreme {@code values} (differentiable) and the {@code indices} where they were
 * found along the reduced dimension (a constant tensor of integral values).
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {}

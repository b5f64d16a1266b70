package dev.descent.nn.data;

import dev.descent.core.Tensor;

import java.util.Arrays;

/** Examples held as two tensors indexed along their first dimension, as PyTorch's {@code TensorDataset}. */
public record TensorDataset(Tensor inputs, Tensor targets) implements Dataset {
    public TensorDataset {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.shape(0) != targets.shape(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs " + Arrays.toString(inputs.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + " must have the same size in their first dimension");
        }
    }

    @Override
    public int size() {
        return inputs.shape(0);
    }

    @Override
    public Batch get(int[] indices) {
        return new Batch(inputs.indexSelect(0, indices), targets.indexSelect(0, indices));
    }
}

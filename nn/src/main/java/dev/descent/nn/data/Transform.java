package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;

/**
 * A random change to a batch of examples, as torchvision's transforms are to one: {@link RandomHorizontalFlip},
 * {@link RandomCrop}. {@link TransformedDataset} applies transforms to every batch it hands out, drawing from one seeded
 * generator, so a run is reproducible from its seed and resumable from a checkpoint.
 */
@FunctionalInterface
public interface Transform {
    /**
     * The transformed examples: {@code inputs} holds them along its first dimension (a new tensor is returned; the
     * input is not changed); every random choice comes from {@code rng}, in example order.
     *
     * @throws IllegalArgumentException when {@code inputs} does not have the shape this transform works on
     */
    Tensor apply(Tensor inputs, Rng rng);
}

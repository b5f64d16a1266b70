package dev.descent.nn.data;

import dev.descent.core.Rng;
import dev.descent.core.Stateful;
import dev.descent.core.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset whose batches come out of {@code transforms}, applied in order to the inputs (targets unchanged), as a
 * torchvision dataset with {@code transform=Compose([...])}: data augmentation for training. Every random choice comes
 * from the one generator {@code rng}, so the same seed gives the same augmented epochs; as {@link Stateful} it saves
 * that generator ({@code rng.state}), so a checkpoint taken mid-epoch resumes with the very batches the uninterrupted
 * run would have seen. Wrap only the training set: evaluation wants the images as they are.
 *
 * <pre>{@code
 * Dataset augmented = new TransformedDataset(train, new Rng(seed), new RandomCrop(28, 2), new RandomHorizontalFlip());
 * }</pre>
 */
public final class TransformedDataset implements Dataset, Stateful {
    private final Dataset base;
    private final Rng rng;
    private final List<Transform> transforms;

    /** {@code base}'s examples through {@code transforms}, drawing from {@code rng}. */
    public TransformedDataset(Dataset base, Rng rng, Transform... transforms) {
        this.base = Objects.requireNonNull(base, "TransformedDataset: dataset is null");
        this.rng = Objects.requireNonNull(rng, "TransformedDataset: rng is null");
        this.transforms = List.of(transforms);
    }

    /** The transforms, in the order they are applied. */
    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Batch get(int[] indices) {
        Batch b = base.get(indices);
        Tensor x = b.inputs();
        for (Transform t : transforms) x = t.apply(x, rng);
        return new Batch(x, b.targets());
    }

    /** The generator's state as {@code rng.state}. */
    @Override
    public Map<String, Tensor> stateTensors() {
        return Map.of("rng.state", rng.stateTensors().get("state"));
    }

    /** Restores the generator from what {@link #stateTensors()} gave. */
    @Override
    public void loadStateTensors(Map<String, Tensor> state) {
        if (state == null || state.size() != 1 || !state.containsKey("rng.state")) {
            throw new IllegalArgumentException("TransformedDataset: expected exactly the key 'rng.state', got " + (state == null ? null : state.keySet()));
        }
        try {
            rng.loadStateTensors(Map.of("state", state.get("rng.state")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TransformedDataset: rng: " + e.getMessage(), e);
        }
    }
}

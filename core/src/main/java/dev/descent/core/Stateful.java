package dev.descent.core;

import java.util.Map;

/**
 * Something whose state can be saved as named tensors and put back: a model, an optimizer, a learning-rate scheduler,
 * a data loader, a generator. A checkpoint ({@code dev.descent.nn.io.Checkpoint}) saves every part of a training run
 * through this one interface, which is what lets the {@code optim} module plug its optimizers and schedulers into
 * {@code nn}'s checkpoints without either module depending on the other.
 *
 * <p>Contract: {@link #stateTensors()} returns copies (later changes to the object do not change them), with integers
 * stored exactly as doubles. {@link #loadStateTensors} is strict and all-or-nothing: it checks every key, shape and
 * value first and, on the first problem, throws {@link IllegalArgumentException} naming the key, what was expected
 * and what was found, leaving the object unchanged. Loading what {@code stateTensors()} returned always succeeds and
 * restores the object exactly.
 */
public interface Stateful {
    /** A copy of the state as named tensors. */
    Map<String, Tensor> stateTensors();

    /**
     * Replaces the state with {@code state}, which must have exactly the keys {@link #stateTensors()} would give, with
     * the same shapes and values in range.
     *
     * @throws IllegalArgumentException naming the first bad key; nothing is changed
     */
    void loadStateTensors(Map<String, Tensor> state);
}

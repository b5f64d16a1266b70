package dev.descent.nn.io;

import dev.descent.core.Stateful;
import dev.descent.core.Tensor;
import dev.descent.nn.Module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training run needs to continue exactly where it stopped, for {@link Checkpoint#save} and
 * {@link Checkpoint#restore}: named parts (the model, the optimizer, the scheduler, the data loader, every
 * {@link dev.descent.core.Rng} — Dropout's included), the step and epoch counters and string metadata of the user's.
 *
 * <pre>{@code
 * TrainingState state = new TrainingState()
 *         .add("model", model).add("optimizer", adam).add("scheduler", cosine)
 *         .add("loader", loader).add("dropout_rng", dropoutRng);
 * state.setStep(step).setEpoch(epoch);
 * Checkpoint.save(file, state);
 * // later, with the same objects freshly built:
 * Checkpoint.restore(file, state);     // everything or nothing; then state.step(), state.epoch()
 * }</pre>
 *
 * A part is anything {@link Stateful}; optimizers and schedulers of {@code dev.descent.optim} are, and so are
 * {@code Rng} and {@code DataLoader}. A {@link Module} is added through its state dict, loaded strictly. The parts are
 * held by reference: restoring writes into them.
 */
public final class TrainingState {
    private final Map<String, Stateful> parts = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private long step, epoch;

    /** Adds a part under {@code name} (letters, digits, {@code _} and {@code -}; no dots, which separate keys in the file). */
    public TrainingState add(String name, Stateful part) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(part, "part");
        if (!name.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("TrainingState: part name '" + name + "' must be letters, digits, _ or -");
        if (parts.containsKey(name)) throw new IllegalArgumentException("TrainingState: a part is already named '" + name + "'");
        parts.put(name, part);
        return this;
    }

    /** Adds a model: its {@link Module#stateDict()} is saved and loaded strictly (every key, every shape). */
    public TrainingState add(String name, Module model) {
        Objects.requireNonNull(model, "model");
        return add(name, new Stateful() {
            @Override
            public Map<String, Tensor> stateTensors() {
                return model.stateDict();
            }

            @Override
            public void loadStateTensors(Map<String, Tensor> state) {
                model.loadStateDict(state, true);
            }
        });
    }

    /** The parts by name, in the order added (unmodifiable). */
    public Map<String, Stateful> parts() {
        return Collections.unmodifiableMap(parts);
    }

    /** The user's string metadata (modifiable; saved with the checkpoint and replaced on restore). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The step counter (optimizer steps taken, say). */
    public long step() {
        return step;
    }

    /** Sets the step counter. */
    public TrainingState setStep(long step) {
        if (step < 0) throw new IllegalArgumentException("TrainingState: step must be non-negative, got " + step);
        this.step = step;
        return this;
    }

    /** The epoch counter: the epoch in progress, or the next one to start. */
    public long epoch() {
        return epoch;
    }

    /** Sets the epoch counter. */
    public TrainingState setEpoch(long epoch) {
        if (epoch < 0) throw new IllegalArgumentException("TrainingState: epoch must be non-negative, got " + epoch);
        this.epoch = epoch;
        return this;
    }
}

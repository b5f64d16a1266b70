package dev.descent.nn.io;

import dev.descent.core.Rng;
import dev.descent.nn.Linear;
import java.nio.file.Path;

/**
 * The child of {@link CrashTest}: saves the training state of step 0, 1, 2, ... to one file, over and over, and prints
 * each step once its save has returned, until it is killed.
 */
public final class SaveLoop {
    private SaveLoop() {}

    /** The state saved at {@code step}: a 256 x 256 layer (about 0.5 MB) and a generator, both seeded by the step. */
    static TrainingState state(long step) {
        return new TrainingState().add("model", new Linear(256, 256, new Rng(step))).add("rng", new Rng(~step)).setStep(step);
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        for (long step = 0; ; step++) {
            Checkpoint.save(file, state(step));
            System.out.println(step);
            System.out.flush();
        }
    }
}

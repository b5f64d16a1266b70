package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void modelOptimizerStateAndRngResumeExactly() {
        Sequential model = new Sequential(new Linear(2, 3, new Rng(1)), new BatchNorm1d(3));
        model.forward(Tensor.uniform(new Rng(2), -1, 1, 4, 2));
        Rng rng = new Rng(3);
        rng.nextLong();
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, model, Map.of("0.weight.exp_avg", Tensor.vector(0.5, -0.25)), rng);
        long expectedNext = rng.nextLong();

        Checkpoint c = Checkpoint.load(file);
        assertEquals(List.copyOf(model.stateDict().keySet()), List.copyOf(c.model().keySet()));
        assertArrayEquals(new double[] {0.5, -0.25}, c.optimizer().get("0.weight.exp_avg").toArray());
        assertEquals(expectedNext, c.rng().nextLong(), "the restored generator continues where the saved one was");
        Sequential fresh = new Sequential(new Linear(2, 3, new Rng(9)), new BatchNorm1d(3));
        c.restore(fresh);
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), fresh.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void optimizerStateAndRngAreOptional() {
        Path file = dir.resolve("plain.safetensors");
        Checkpoint.save(file, new Linear(2, 1, new Rng(1)), null, null);
        Checkpoint c = Checkpoint.load(file);
        assertTrue(c.optimizer().isEmpty());
        assertNull(c.rng());
    }

    @Test
    void aPlainSafetensorsFileIsNotACheckpoint() {
        Path file = dir.resolve("state.safetensors");
        SafeTensors.save(file, new Linear(2, 1, new Rng(1)).stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file));
        assertEquals("checkpoint " + file + ": not a descent checkpoint (metadata format is null)", e.getMessage());
    }
}

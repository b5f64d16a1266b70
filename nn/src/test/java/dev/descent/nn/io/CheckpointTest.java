package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Adam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    /** A model with BatchNorm, Adam after two steps and a generator that has been drawn from. */
    private record Run(Sequential model, Adam adam, Rng rng, TrainingState state) {
        static Run of(long seed) {
            Sequential model = new Sequential(new Linear(3, 4, new Rng(seed)), new BatchNorm1d(4), new Linear(4, 2, new Rng(seed + 1)));
            Adam adam = new Adam(model.parameters(), Adam.DEFAULTS.withLr(0.01));
            Rng rng = new Rng(seed + 2);
            return new Run(model, adam, rng, new TrainingState().add("model", model).add("optimizer", adam).add("rng", rng));
        }

        void steps(int n) {
            for (int i = 0; i < n; i++) {
                adam.zeroGrad();
                try (Tape tape = Tape.record()) {
                    tape.backward(model.forward(Tensor.uniform(rng, -1, 1, 5, 3)).square().mean());
                }
                adam.step();
            }
        }
    }

    private static void assertSameState(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> {
            assertArrayEquals(v.shape(), actual.get(k).shape(), k);
            assertArrayEquals(v.toArray(), actual.get(k).toArray(), k);
        });
    }

    @Test
    void theWholeStateRoundTripsWithOptimizerMomentsInParameterShapes() {
        Run a = Run.of(1);
        a.steps(2);
        a.state.setStep(2).setEpoch(1).metadata().put("note", "two steps");
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, a.state);
        Map<String, Tensor> saved = SafeTensors.load(file);
        assertArrayEquals(new int[] {4, 3}, saved.get("optimizer.state.0.exp_avg").shape(), "moments keep the parameter's shape");
        assertEquals(2.0, saved.get("optimizer.state.0.step").item());

        Run b = Run.of(7);
        Checkpoint.restore(file, b.state);
        assertSameState(a.model.stateDict(), b.model.stateDict());
        assertSameState(a.adam.stateTensors(), b.adam.stateTensors());
        assertEquals(a.rng.nextLong(), b.rng.nextLong(), "the restored generator continues where the saved one was");
        assertEquals(2, b.state.step());
        assertEquals(1, b.state.epoch());
        assertEquals(Map.of("note", "two steps"), b.state.metadata());
    }

    @Test
    void aMissingPartIsNamedAndNothingChanges() {
        Run a = Run.of(1);
        a.steps(1);
        Path file = dir.resolve("no-rng.safetensors");
        Checkpoint.save(file, new TrainingState().add("model", a.model).add("optimizer", a.adam));
        Run b = Run.of(7);
        Map<String, Tensor> before = b.model.stateDict();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, b.state));
        assertEquals("checkpoint " + file + ": holds the parts [model, optimizer], expected [model, optimizer, rng]; missing [rng]", e.getMessage());
        assertSameState(before, b.model.stateDict());
    }

    @Test
    void aPartThatRefusesItsStateRollsBackThePartsAlreadyLoaded() {
        Run a = Run.of(1);
        a.steps(1);
        Path file = dir.resolve("bad-rng.safetensors");
        Map<String, Tensor> all = new java.util.LinkedHashMap<>();
        a.model.stateDict().forEach((k, v) -> all.put("model." + k, v));
        a.adam.stateTensors().forEach((k, v) -> all.put("optimizer." + k, v));
        all.put("rng.state", Tensor.zeros(8)); // the all-zero xoshiro state is invalid
        SafeTensors.save(file, all, Map.of("format", "descent-checkpoint", "format_version", "2", "parts", "model,optimizer,rng", "step", "1",
                "epoch", "0"));
        Run b = Run.of(7);
        Map<String, Tensor> model = b.model.stateDict(), adam = b.adam.stateTensors();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, b.state));
        assertTrue(e.getMessage().startsWith("checkpoint " + file + ": part 'rng': Rng.fromState: the all-zero state"), e.getMessage());
        assertSameState(model, b.model.stateDict());
        assertSameState(adam, b.adam.stateTensors());
    }

    @Test
    void aRenamedOptimizerKeyIsRefusedWithItsName() {
        Run a = Run.of(1);
        a.steps(1);
        Map<String, Tensor> renamed = new java.util.LinkedHashMap<>(a.adam.stateTensors());
        renamed.put("state.3.stfp", renamed.remove("state.3.step"));
        Run b = Run.of(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.adam.loadStateTensors(renamed));
        assertEquals("optimizer state: missing key 'state.3.step'", e.getMessage());
    }

    @Test
    void aFlippedDataBitFailsTheChecksumAndAPlainFileFromAnotherToolStillLoads() throws IOException {
        Run a = Run.of(1);
        a.steps(1);
        Path file = dir.resolve("flip.safetensors");
        Checkpoint.save(file, a.state);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10; // inside the last tensor's data: the file still parses
        Files.write(file, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, Run.of(7).state));
        assertTrue(e.getMessage().contains("checksum mismatch: the metadata records crc32c:"), e.getMessage());

        // the same layout without a checksum, as another tool writes it, loads unchecked
        Path plain = dir.resolve("plain.safetensors");
        byte[] header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).put(header).putDouble(1.5).putDouble(-2);
        Files.write(plain, buf.array());
        assertArrayEquals(new double[] {1.5, -2}, SafeTensors.load(plain).get("w").toArray());
    }

    @Test
    void aPlainSafetensorsFileIsNotACheckpoint() {
        Path file = dir.resolve("state.safetensors");
        SafeTensors.save(file, new Linear(2, 1, new Rng(1)).stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, Run.of(1).state));
        assertEquals("checkpoint " + file + ": not a descent checkpoint (metadata format is null, expected descent-checkpoint)", e.getMessage());
    }
}

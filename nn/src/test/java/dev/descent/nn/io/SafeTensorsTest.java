package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Module net(long seed) {
        return new Sequential(new Linear(3, 4, new Rng(seed)), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, new Rng(seed + 1)));
    }

    @Test
    void aStateDictRoundTripsBitForBitWithBuffersAndMetadata() {
        Module source = net(1);
        source.forward(Tensor.uniform(new Rng(2), -1, 1, 6, 3)); // running statistics away from their initial values
        Map<String, Tensor> state = new LinkedHashMap<>(source.stateDict());
        state.put("special", Tensor.vector(Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.save(file, state, Map.of("format", "pt", "rng_state", "1,2,3,4"));

        SafeTensors.Contents back = SafeTensors.read(file);
        assertEquals(List.copyOf(state.keySet()), List.copyOf(back.tensors().keySet()));
        for (String k : state.keySet()) {
            assertArrayEquals(state.get(k).shape(), back.tensors().get(k).shape(), k);
            double[] a = state.get(k).toArray(), b = back.tensors().get(k).toArray();
            for (int i = 0; i < a.length; i++) assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), k + "[" + i + "]");
        }
        assertEquals(Map.of("format", "pt", "rng_state", "1,2,3,4"), back.metadata());

        Module target = net(9);
        Map<String, Tensor> loaded = new LinkedHashMap<>(back.tensors());
        loaded.remove("special");
        target.loadStateDict(loaded, true);
        source.eval();
        target.eval();
        Tensor x = Tensor.uniform(new Rng(3), -1, 1, 2, 3);
        assertArrayEquals(source.forward(x).toArray(), target.forward(x).toArray());
    }

    @Test
    void theLayoutIsTheSafetensorsFormat() throws IOException {
        Path file = dir.resolve("two.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("w", Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
        state.put("b", Tensor.scalar(-1.5));
        SafeTensors.save(file, state);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertTrue(header.matches("\\{\"__metadata__\":\\{\"descent.checksum\":\"crc32c:[0-9a-f]{8}\"},"
                + "\"w\":\\{\"dtype\":\"F64\",\"shape\":\\[2,2],\"data_offsets\":\\[0,32]},\"b\":\\{\"dtype\":\"F64\",\"shape\":\\[],\"data_offsets\":\\[32,40]}}"),
                header);
        assertEquals(8 + n + 40, bytes.length);
        buf.position((int) (8 + n));
        assertEquals(1.0, buf.getDouble());
    }

    @Test
    void readsAFileWrittenByThePythonLibrary() throws Exception {
        // fixtures/safetensors/python_written.safetensors, from make_python_written.py (safetensors 0.8.0)
        SafeTensors.Contents c = SafeTensors.read(Path.of(getClass().getResource("/fixtures/safetensors/python_written.safetensors").toURI()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, c.tensors().get("a").toArray());
        assertArrayEquals(new int[0], c.tensors().get("b").shape());
        assertEquals(2.5, c.tensors().get("b").item());
        assertEquals(Map.of("k", "v"), c.metadata());
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntactAndNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        byte[] before = Files.readAllBytes(file);
        // fails while encoding, before anything is written
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(file, Map.of("__metadata__", Tensor.vector(1))));
        assertArrayEquals(before, Files.readAllBytes(file));
        // fails at the rename, after the temporary file was written: the target is a non-empty directory
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("inside"));
        assertThrows(UncheckedIOException.class, () -> SafeTensors.save(blocked, Map.of("w", Tensor.vector(4))));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("blocked", "ckpt.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // a save interrupted before its rename leaves only a stray temporary file, never a half-written target
        Files.write(dir.resolve(".ckpt.safetensors.123.tmp"), Arrays.copyOf(before, 10));
        assertArrayEquals(new double[] {1, 2, 3}, SafeTensors.load(file).get("w").toArray());
    }

    @Test
    void truncatedAndCorruptFilesAreRejectedWithTheReason() throws IOException {
        Path file = dir.resolve("ok.safetensors");
        SafeTensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        byte[] ok = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).getLong();

        assertRejected(Arrays.copyOf(ok, 5), "truncated: 5 bytes, too short for the header length");
        assertRejected(Arrays.copyOf(ok, 20), "header length " + n + " does not fit in the file of 20 bytes (truncated?)");
        assertRejected(Arrays.copyOf(ok, ok.length - 8), "truncated: tensor 'w' ends at byte 24 of the data, which has 16 bytes");
        byte[] extra = Arrays.copyOf(ok, ok.length + 8);
        assertRejected(extra, "corrupt: the tensors cover 24 bytes of data, the file holds 32");
        byte[] garbled = ok.clone();
        garbled[8] = 'x';
        assertRejected(garbled, "corrupt header: invalid JSON at offset 0");
        byte[] huge = ok.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        assertRejected(huge, "header length " + Long.MAX_VALUE + " does not fit");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F8\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3), "tensor 'w': dtype F8 is not one of [F64, F32");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F64\",\"shape\":[4],\"data_offsets\":[0,24]}}", 24),
                "tensor 'w': shape [4] of F64 needs 32 bytes, its data_offsets are [0, 24]");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16), "corrupt: tensor data is not contiguous at byte 0");
    }

    @Test
    void loadingIntoAModuleOfAnotherShapeNamesTheMismatch() {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.save(file, new Linear(3, 4, new Rng(1)).stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(3, 5, new Rng(2)).loadStateDict(SafeTensors.load(file), true));
        assertTrue(e.getMessage().contains("size mismatch for weight: copying a tensor of shape [4, 3], the shape in the current model is [5, 3]"),
                e.getMessage());
    }

    @Test
    void readsEveryDtypeAPyTorchFileHoldsIntoFloat64() throws Exception {
        // fixtures/safetensors/torch_dtypes.safetensors, from make_torch_dtypes.py (safetensors 0.8.0, torch 1.13)
        SafeTensors.Contents c = SafeTensors.read(Path.of(getClass().getResource("/fixtures/safetensors/torch_dtypes.safetensors").toURI()));
        double[] floats = {0, 1, -2, 0.5, 100, -0.25};
        for (String name : List.of("f32", "f16", "bf16")) {
            assertArrayEquals(new int[] {2, 3}, c.tensors().get(name).shape(), name);
            assertArrayEquals(floats, c.tensors().get(name).toArray(), name);
        }
        assertArrayEquals(new double[] {0, 1, -2, 3, 100, -9007199254740992.0}, c.tensors().get("i64").toArray());
        assertArrayEquals(new double[] {0, 1, -2, 3, 100, Integer.MIN_VALUE}, c.tensors().get("i32").toArray());
        assertArrayEquals(new double[] {0, 1, -2, 3, 100, Short.MIN_VALUE}, c.tensors().get("i16").toArray());
        assertArrayEquals(new double[] {0, 1, -2, 3, 100, Byte.MIN_VALUE}, c.tensors().get("i8").toArray());
        assertArrayEquals(new double[] {0, 1, 2, 3, 100, 255}, c.tensors().get("u8").toArray());
        assertArrayEquals(new double[] {0, 1, 1, 0, 0, 1}, c.tensors().get("bool").toArray());
        assertEquals(7.0, c.tensors().get("num_batches_tracked").item());
        assertEquals(SafeTensors.DType.BF16, c.dtypes().get("bf16"));
        assertEquals(SafeTensors.DType.I64, c.dtypes().get("num_batches_tracked"));
        assertEquals(Map.of("format", "pt"), c.metadata());

        Path big = Path.of(getClass().getResource("/fixtures/safetensors/torch_int64_beyond_2_53.safetensors").toURI());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(big));
        assertEquals("safetensors file " + big + ": tensor 'big' (I64) element 0 is 9007199254740993, beyond 2^53 in magnitude, which float64 "
                + "cannot hold exactly", e.getMessage());
    }

    @Test
    void aTensorCanBeWrittenAsInt64AsPyTorchKeepsCounters() {
        Path file = dir.resolve("bn.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("running_mean", Tensor.vector(0.5, -1));
        state.put("num_batches_tracked", Tensor.scalar(7));
        SafeTensors.save(file, state, Map.of(), Map.of("num_batches_tracked", SafeTensors.DType.I64));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Map.of("running_mean", SafeTensors.DType.F64, "num_batches_tracked", SafeTensors.DType.I64), c.dtypes());
        assertEquals(7.0, c.tensors().get("num_batches_tracked").item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(file, Map.of("n", Tensor.vector(1, 2.5)), Map.of(), Map.of("n", SafeTensors.DType.I64)));
        assertEquals("safetensors: tensor 'n' is to be written as I64, but element 1 is 2.5, not an integer of magnitude at most 2^53", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(file, state, Map.of(), Map.of("num_batches_tracked", SafeTensors.DType.F32)));
        assertEquals(7.0, SafeTensors.load(file).get("num_batches_tracked").item(), "a refused save leaves the file");
    }

    private static byte[] withHeader(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        return buf.array();
    }

    private void assertRejected(byte[] bytes, String reason) throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.load(bad));
        assertTrue(e.getMessage().startsWith("safetensors file " + bad + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "expected '" + reason + "' in: " + e.getMessage());
    }
}

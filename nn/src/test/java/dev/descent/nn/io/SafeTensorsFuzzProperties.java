package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.core.Tensor;
import dev.descent.nn.Scratch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Hostile safetensors files, run under a small heap and the default stack (the {@code small-heap} surefire
 * execution): truncations, bit flips, huge, negative and overflowing lengths and shapes, deep nesting. The reader may
 * only throw {@link IllegalArgumentException} (or {@link UncheckedIOException}) naming the file, never an
 * {@link Error}, and may accept a damaged file only when what it returns is exactly what was saved.
 */
@Tag("small-heap")
class SafeTensorsFuzzProperties {
    private static final Path dir = Scratch.directory("safetensors-fuzz");

    /** One to four tensors of rank 0 to 3 with dimensions 0 to 4, some written as I64. */
    @Provide
    Arbitrary<Map<String, Tensor>> tensors() {
        Arbitrary<Tensor> tensor = Arbitraries.integers().between(0, 4).list().ofMaxSize(3).flatMap(dims -> {
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            int n = 1;
            for (int d : shape) n *= d;
            return Arbitraries.integers().between(-1000, 1000).list().ofSize(n)
                    .map(v -> Tensor.of(v.stream().mapToDouble(x -> x / 8.0).toArray(), shape));
        });
        return tensor.list().ofMinSize(1).ofMaxSize(4).map(list -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) out.put("layer." + i + ".weight", list.get(i));
            return out;
        });
    }

    private static byte[] encode(Map<String, Tensor> tensors) {
        return SafeTensors.encode(tensors, Map.of("format", "pt"), Map.of());
    }

    /** Reads {@code bytes} from a file: the tensors, or null after a clear rejection. Anything else fails the property. */
    private static SafeTensors.Contents readOrReject(byte[] bytes) {
        Path file = dir.resolve("fuzz.safetensors");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return SafeTensors.read(file);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("safetensors file " + file + ": "), e.getMessage());
            return null;
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    private static void assertSame(Map<String, Tensor> expected, SafeTensors.Contents actual) {
        assertEquals(expected.keySet(), actual.tensors().keySet());
        expected.forEach((k, v) -> {
            assertArrayEquals(v.shape(), actual.tensors().get(k).shape(), k);
            assertArrayEquals(v.toArray(), actual.tensors().get(k).toArray(), k);
        });
        assertEquals(Map.of("format", "pt"), actual.metadata());
    }

    @Property(tries = 300)
    void anyTruncationIsRejected(@ForAll("tensors") Map<String, Tensor> tensors, @ForAll double where) {
        byte[] ok = encode(tensors);
        int length = (int) (Math.abs(where) % 1 * ok.length);
        byte[] cut = java.util.Arrays.copyOf(ok, length);
        if (readOrReject(cut) != null) fail("a file cut to " + length + " of " + ok.length + " bytes was accepted");
    }

    @Property(tries = 400)
    void aSingleFlippedBitIsRejectedOrHarmless(@ForAll("tensors") Map<String, Tensor> tensors, @ForAll int position) {
        byte[] bytes = encode(tensors);
        int bit = Math.floorMod(position, bytes.length * 8);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        SafeTensors.Contents c = readOrReject(bytes);
        if (c != null) assertSame(tensors, c); // only a flip that changes nothing that matters may load
    }

    @Property(tries = 300)
    void severalFlippedBitsNeverCrashTheReader(@ForAll("tensors") Map<String, Tensor> tensors, @ForAll("positions") List<Integer> positions) {
        byte[] bytes = encode(tensors);
        for (int p : positions) {
            int bit = Math.floorMod(p, bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        readOrReject(bytes);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().list().ofMinSize(2).ofMaxSize(16);
    }

    @Property(tries = 200)
    void anyHeaderLengthThatDoesNotMatchIsRejected(@ForAll("tensors") Map<String, Tensor> tensors, @ForAll("lengths") long length) {
        byte[] bytes = encode(tensors);
        long real = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (length == real) return;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        if (readOrReject(bytes) != null) fail("header length " + length + " (really " + real + ") was accepted");
    }

    @Provide
    Arbitrary<Long> lengths() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-16, 400),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE, 1L << 32, 100_000_001L));
    }

    /** A header of another tool (no checksum) whose shape is huge, negative or overflowing for the data present. */
    @Property(tries = 300)
    void shapesAndOffsetsThatDisagreeWithTheDataAreRejected(@ForAll("dims") List<Long> shape, @ForAll("dtypes") String dtype,
                                                          @ForAll("offsets") long end, @ForAll("dataBytes") int data) {
        long count = 1;
        boolean overflow = false;
        for (long d : shape) {
            if (d != 0 && count > Long.MAX_VALUE / Math.max(d, 1)) overflow = true;
            count *= d;
        }
        int width = SafeTensors.DType.valueOf(dtype).bytes();
        boolean consistent = !overflow && shape.stream().allMatch(d -> d >= 0 && d <= Integer.MAX_VALUE) && count <= Integer.MAX_VALUE
                && end == count * width && end == data;
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(dims.isEmpty() ? "" : ",").append(d);
        byte[] header = ("{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + dims + "],\"data_offsets\":[0," + end + "]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + data).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).put(header);
        SafeTensors.Contents c = readOrReject(buf.array());
        if (c == null) return;
        if (!consistent) fail("accepted shape " + shape + " of " + dtype + " with data_offsets [0, " + end + "] over " + data + " bytes");
        assertEquals(count, c.tensors().get("t").size());
    }

    @Provide
    Arbitrary<List<Long>> dims() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 3), Arbitraries.longs().between(-3, -1),
                Arbitraries.of(2147418113L, 1718039348L, 5L, 1L << 30, 1L << 31, 1L << 62, Long.MAX_VALUE, 65536L)).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> dtypes() {
        return Arbitraries.of("F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL");
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 48), Arbitraries.of(-8L, Long.MAX_VALUE, 1L << 40, 8L * 2147418113L));
    }

    @Provide
    Arbitrary<Integer> dataBytes() {
        return Arbitraries.integers().between(0, 48);
    }

    @Property(tries = 60)
    void deeplyNestedHeadersAreRejectedWithoutExhaustingTheStack(@ForAll("depths") int depth, @ForAll boolean objects) {
        String open = objects ? "{\"a\":" : "[", close = objects ? "}" : "]";
        String header = "{\"t\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        if (readOrReject(buf.array()) != null) fail("a header nested " + depth + " deep was accepted");
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 100), Arbitraries.of(5_000, 50_000));
    }

    @Property(tries = 100)
    void bytesAfterTheDataAreRejected(@ForAll("tensors") Map<String, Tensor> tensors, @ForAll("dataBytes") int extra) {
        if (extra == 0) return;
        byte[] ok = encode(tensors);
        if (readOrReject(java.util.Arrays.copyOf(ok, ok.length + extra)) != null) fail(extra + " trailing bytes were accepted");
    }

    @Property(tries = 30)
    void validFilesStillLoad(@ForAll("tensors") Map<String, Tensor> tensors) {
        assertSame(tensors, readOrReject(encode(tensors)));
    }
}

package dev.descent.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.core.Tensor;
import dev.descent.nn.Scratch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Hostile IDX files, plain and gzipped, under a small heap (the {@code small-heap} surefire execution): truncations,
 * bit flips, huge, negative and overflowing dimensions, trailing bytes and gzip bombs. Only clear
 * {@link IllegalArgumentException}s, never an {@link Error}; a plain file may load only as a tensor whose size
 * accounts for every byte, a gzipped one only as exactly what was written (its CRC32 covers the data).
 */
@Tag("small-heap")
class IdxFuzzProperties {
    private static final int[] TYPES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E}, WIDTHS = {1, 1, 2, 4, 4, 8};
    private static final Path dir = Scratch.directory("idx-fuzz");

    /** A valid IDX file: a type, one to three dimensions of 0 to 5, random bytes as data. */
    @Provide
    Arbitrary<byte[]> files() {
        return Arbitraries.integers().between(0, TYPES.length - 1).flatMap(t -> Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(3)
                .flatMap(dims -> {
                    int n = dims.stream().reduce(1, (a, b) -> a * b) * WIDTHS[t];
                    return Arbitraries.bytes().array(byte[].class).ofSize(n).map(data -> {
                        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.size() + n);
                        buf.putInt(TYPES[t] << 8 | dims.size());
                        for (int d : dims) buf.putInt(d);
                        return buf.put(data).array();
                    });
                }));
    }

    /** The tensor in {@code bytes}, or null after a clear rejection; anything else fails the property. */
    private static Tensor readOrReject(byte[] bytes) {
        Path file = dir.resolve("fuzz-idx");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Idx.read(file);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("IDX file " + file), e.getMessage());
            return null;
        }
    }

    private static int width(byte[] plain) {
        int type = plain[2] & 0xFF;
        for (int i = 0; i < TYPES.length; i++) if (TYPES[i] == type) return WIDTHS[i];
        return -1;
    }

    private static void assertAccountsForEveryByte(byte[] plain, Tensor t) {
        assertEquals(plain.length, 4 + 4 * t.dim() + (long) t.size() * width(plain), "every byte of the file is header or data");
    }

    @Property(tries = 300)
    void truncationsAreRejected(@ForAll("files") byte[] file, @ForAll boolean gzipped, @ForAll double where) {
        byte[] bytes = gzipped ? IdxTest.gzip(file) : file;
        int length = (int) (Math.abs(where) % 1 * bytes.length);
        if (readOrReject(Arrays.copyOf(bytes, length)) != null) fail("a file cut to " + length + " of " + bytes.length + " bytes was accepted");
    }

    @Property(tries = 400)
    void flippedBitsAreRejectedOrLoadConsistently(@ForAll("files") byte[] file, @ForAll boolean gzipped, @ForAll("flips") List<Integer> flips) {
        byte[] bytes = gzipped ? IdxTest.gzip(file) : file.clone();
        for (int p : flips) {
            int bit = Math.floorMod(p, bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        Tensor t = readOrReject(bytes);
        if (t == null) return;
        if (!gzipped) {
            assertAccountsForEveryByte(bytes, t);
        } else if (flips.size() == 1) {
            assertArrayEquals(Idx.parse("original", file).toArray(), t.toArray(), "a gzip file with one flipped bit loads only unchanged");
        }
    }

    @Provide
    Arbitrary<List<Integer>> flips() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 300)
    void hugeNegativeAndOverflowingDimensionsAreRejected(@ForAll("files") byte[] file, @ForAll boolean gzipped, @ForAll("dimensions") int dim,
                                                        @ForAll int which) {
        int rank = file[3];
        int d = Math.floorMod(which, rank);
        byte[] changed = file.clone();
        int old = ByteBuffer.wrap(changed).getInt(4 + 4 * d);
        if (old == dim) return;
        ByteBuffer.wrap(changed).putInt(4 + 4 * d, dim);
        Tensor t = readOrReject(gzipped ? IdxTest.gzip(changed) : changed);
        if (t != null) assertAccountsForEveryByte(changed, t); // possible only when another dimension is 0
    }

    @Provide
    Arbitrary<Integer> dimensions() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 65536, 1 << 30, 2147418113));
    }

    @Property(tries = 100)
    void trailingBytesAreRejectedInsideAndAfterTheGzipStream(@ForAll("files") byte[] file, @ForAll boolean gzipped, @ForAll boolean afterStream,
                                                             @ForAll("extra") byte[] extra) {
        byte[] plain = gzipped && afterStream ? file : concat(file, extra);
        byte[] bytes = gzipped ? IdxTest.gzip(plain) : plain;
        if (gzipped && afterStream) bytes = concat(bytes, extra);
        if (readOrReject(bytes) != null) fail(extra.length + " trailing bytes were accepted");
    }

    @Provide
    Arbitrary<byte[]> extra() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A 1 GiB gzip bomb (about 1 MB on disk) is refused without inflating it: by its header when that declares the
     * whole gigabyte (8 GiB as float64, more than the heap), and by the first byte past the declared data otherwise.
     */
    @Example
    void gzipBombsAreRefusedBeforeTheyInflate() throws IOException {
        long gib = 1L << 30;
        for (int declared : new int[] {(int) gib - 8, 10}) {
            Path bomb = Files.write(dir.resolve("bomb-" + declared + ".gz"), bomb(declared, gib));
            assertTrue(Files.size(bomb) < 2 << 20, "the bomb is small on disk: " + Files.size(bomb));
            long start = System.nanoTime();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(bomb));
            assertTrue(e.getMessage().contains(declared == 10 ? "trailing bytes: the header promises 10 bytes of data, found more than"
                    : "needs 8589934528 bytes as float64, more than the"), e.getMessage());
            assertTrue(System.nanoTime() - start < 2e9, "refused without inflating the gigabyte");
            Files.delete(bomb);
        }
    }

    /**
     * A valid gzip file of {@code total} bytes: an unsigned-byte IDX header declaring {@code declared} elements, then
     * zeros. Built in milliseconds: once the window is all zeros, deflating another MiB of zeros with a sync flush gives
     * the same block every time, so that block is repeated instead of recomputed.
     */
    static byte[] bomb(int declared, long total) {
        Deflater deflater = new Deflater(9, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        byte[] buf = new byte[1 << 21], zeros = new byte[1 << 20];
        byte[] header = ByteBuffer.allocate(8).putInt(0x0801).putInt(declared).array();
        deflater.setInput(header);
        out.write(buf, 0, deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
        long written = header.length;
        byte[] previous = null, block = null;
        while (written + zeros.length <= total) {
            if (block == null || !Arrays.equals(previous, block)) {
                previous = block;
                deflater.setInput(zeros);
                block = Arrays.copyOf(buf, deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
            }
            out.writeBytes(block);
            written += zeros.length;
        }
        deflater.setInput(zeros, 0, (int) (total - written));
        deflater.finish();
        while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
        CRC32 crc = new CRC32();
        crc.update(header);
        for (long w = header.length; w < total; w += zeros.length) crc.update(zeros, 0, (int) Math.min(zeros.length, total - w));
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt((int) total).array());
        return out.toByteArray();
    }
}

package dev.descent.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on the small files written by {@code fixtures/idx/make_idx.py}. */
class IdxTest {

    private static Path fixture(String name) {
        try {
            return Path.of(IdxTest.class.getResource("/fixtures/idx/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsUnsignedBytesWithTheirShape() {
        Tensor images = Idx.read(fixture("train-images-idx3-ubyte"));
        assertArrayEquals(new int[] {3, 2, 4}, images.shape());
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 8; k++) assertEquals((37 * i + 11 * k) % 256, images.get(i, k / 4, k % 4));
        }
    }

    @Test
    void readsGzippedFilesByTheirMagicBytes() {
        assertArrayEquals(new double[] {7, 0, 9}, Idx.read(fixture("train-labels-idx1-ubyte.gz")).toArray());
    }

    @Test
    void readsDoublesAndShortsBigEndian() {
        Tensor d = Idx.read(fixture("doubles-idx2.bin"));
        assertArrayEquals(new int[] {2, 3}, d.shape());
        assertArrayEquals(new double[] {0.5, -1.25, 3, 1e-3, -0.0, 2.5e10}, d.toArray());
        assertArrayEquals(new double[] {-2, 300, 32767}, Idx.read(fixture("shorts-idx1.bin")).toArray());
    }

    @Test
    void mnistLoadsImagesScaledToTheUnitIntervalWithTheirLabels() {
        TensorDataset train = Idx.mnist(fixture("train-images-idx3-ubyte").getParent(), true);
        assertEquals(3, train.size());
        assertEquals(11 / 255.0, train.inputs().get(0, 0, 1), 1e-15);
        assertArrayEquals(new int[] {7, 0, 9}, train.get(new int[] {0, 1, 2}).classes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.mnist(fixture("bad-magic.bin").getParent(), false));
        assertTrue(e.getMessage().startsWith("IDX: neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz in "), e.getMessage());
    }

    @Test
    void rejectsBadMagicNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(fixture("bad-magic.bin")));
        assertTrue(e.getMessage().contains("bad magic number 0x01000803"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFilesAndTrailingBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(fixture("truncated.bin")));
        assertTrue(e.getMessage().endsWith("truncated: the header promises 24 bytes of data, found 19"), e.getMessage());
        byte[] header = {0, 0, 8, 1, 0, 0, 0, 2, 5, 6, 7};
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class, () -> Idx.parse("x", header));
        assertEquals("IDX file x: trailing bytes: the header promises 2 bytes of data, found 3", trailing.getMessage());
        IllegalArgumentException shortHeader = assertThrows(IllegalArgumentException.class, () -> Idx.parse("x", new byte[] {0, 0, 8, 3, 0}));
        assertEquals("IDX file x: truncated header for 3 dimensions", shortHeader.getMessage());
    }

    @TempDir
    Path dir;

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private IllegalArgumentException rejected(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("bad-idx"), bytes);
        return assertThrows(IllegalArgumentException.class, () -> Idx.read(file));
    }

    @Test
    void dataAfterTheGzipStreamIsRejected() throws IOException {
        byte[] ok = gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 5, 6});
        byte[] withGarbage = Arrays.copyOf(ok, ok.length + 3);
        IllegalArgumentException e = rejected(withGarbage);
        assertTrue(e.getMessage().endsWith("3 bytes of trailing data after the gzip stream, from byte " + ok.length + " (only one gzip member is read)"),
                e.getMessage());
    }

    @Test
    void aCorruptOrTruncatedGzipStreamKeepsTheInflatersReason() throws IOException {
        byte[] ok = gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 5, 6});
        byte[] corrupt = ok.clone();
        corrupt[10] = (byte) 0xFF; // the first deflate block header: an invalid block type
        assertTrue(rejected(corrupt).getMessage().contains("corrupt gzip data near byte"), "names where");
        assertTrue(rejected(corrupt).getMessage().contains("invalid block type"), "keeps the inflater's message");
        IllegalArgumentException truncated = rejected(Arrays.copyOf(ok, ok.length - 4));
        assertTrue(truncated.getMessage().contains("truncated gzip trailer"), truncated.getMessage());
        byte[] badCrc = ok.clone();
        badCrc[ok.length - 8] ^= 1;
        assertTrue(rejected(badCrc).getMessage().contains("gzip CRC32 mismatch at byte " + (ok.length - 8)), rejected(badCrc).getMessage());
    }

    @Test
    void elementCountsThatOverflowAreRejectedWithTheRealNumbers() throws IOException {
        // 65536 * 65536 * 2 elements: the product overflows an int, and its byte count a naive long promise of 8 bytes each
        byte[] header = {0, 0, 0x0E, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2};
        IllegalArgumentException e = rejected(header);
        assertEquals("IDX file " + dir.resolve("bad-idx") + ": the dimensions [65536, 65536]... have more than 2147483647 elements", e.getMessage());
        byte[] negative = {0, 0, 8, 1, (byte) 0xFF, 0, 0, 0};
        assertTrue(rejected(negative).getMessage().endsWith("dimension 0 (byte 4) is 4278190080, at most 2147483647"), rejected(negative).getMessage());
    }

    @Test
    void anUnreadableFileKeepsTheCausesText() {
        Path missing = dir.resolve("absent-idx3-ubyte");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Idx.read(missing));
        assertEquals("IDX file " + missing + ": cannot read: java.nio.file.NoSuchFileException: " + missing, e.getMessage());
    }
}

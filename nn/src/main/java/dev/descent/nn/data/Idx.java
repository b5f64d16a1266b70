package dev.descent.nn.data;

import dev.descent.core.Tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A reader for the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or gzipped (recognised by its magic
 * bytes, not its name). The header is two zero bytes, a type code ({@code 0x08} unsigned byte, {@code 0x09} signed
 * byte, {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double), the number of dimensions, and
 * each dimension as a big-endian int; the data follow, big-endian and row-major. Bad magic numbers, truncated files and
 * trailing bytes are rejected with the file's name and what was expected.
 */
public final class Idx {
    private Idx() {}

    /** The tensor stored in an IDX file, values converted to double. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(file.toString(), bytes);
    }

    static Tensor parse(String name, byte[] bytes) {
        if (bytes.length < 4) throw new IllegalArgumentException("IDX file " + name + ": truncated header (" + bytes.length + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian by default
        int magic = buf.getInt();
        int type = (magic >>> 8) & 0xFF, rank = magic & 0xFF;
        int width = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
        if ((magic >>> 16) != 0 || width == 0) {
            throw new IllegalArgumentException(String.format("IDX file %s: bad magic number 0x%08X, expected 0x0000TTNN with type TT in"
                    + " {08, 09, 0B, 0C, 0D, 0E} and NN dimensions", name, magic));
        }
        if (bytes.length < 4 + 4 * rank) throw new IllegalArgumentException("IDX file " + name + ": truncated header for " + rank + " dimensions");
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = buf.getInt();
            if (shape[d] < 0) throw new IllegalArgumentException("IDX file " + name + ": negative dimension " + shape[d]);
            count *= shape[d];
        }
        long expected = count * width;
        if (buf.remaining() != expected) {
            throw new IllegalArgumentException("IDX file " + name + ": " + (buf.remaining() < expected ? "truncated" : "trailing bytes")
                    + ": the header promises " + expected + " bytes of data, found " + buf.remaining());
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type) {
                case 0x08 -> buf.get() & 0xFF;
                case 0x09 -> buf.get();
                case 0x0B -> buf.getShort();
                case 0x0C -> buf.getInt();
                case 0x0D -> buf.getFloat();
                default -> buf.getDouble();
            };
        }
        return Tensor.of(values, shape);
    }

    /**
     * MNIST or Fashion-MNIST from a directory holding the standard files ({@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-...}, each optionally with {@code .gz}): images {@code [N, 28, 28]}
     * scaled to [0, 1], targets the labels {@code [N]}.
     *
     * @param train the training split ({@code train-*}) or the test split ({@code t10k-*})
     */
    public static TensorDataset mnist(Path directory, boolean train) {
        String split = train ? "train" : "t10k";
        Tensor images = read(find(directory, split + "-images-idx3-ubyte")).div(255.0);
        Tensor labels = read(find(directory, split + "-labels-idx1-ubyte"));
        return new TensorDataset(images, labels);
    }

    private static Path find(Path directory, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = directory.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException("IDX: neither " + base + " nor " + base + ".gz in " + directory);
    }
}

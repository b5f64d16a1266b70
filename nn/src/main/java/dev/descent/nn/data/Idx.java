package dev.descent.nn.data;

import dev.descent.core.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A reader for the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or gzipped (recognised by its magic
 * bytes, not its name). The header is two zero bytes, a type code ({@code 0x08} unsigned byte, {@code 0x09} signed
 * byte, {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double), the number of dimensions, and
 * each dimension as a big-endian int; the data follow, big-endian and row-major.
 *
 * <p>Hostile files are refused with an {@link IllegalArgumentException} naming the file, the offset and what was
 * expected and found: bad magic numbers, truncated headers or data, trailing bytes, element counts that overflow or
 * need more memory than the heap has left (checked from the header, <em>before</em> the data are read or inflated, so
 * a small gzip file that inflates to gigabytes costs nothing), and for gzip files a corrupt or truncated stream, a
 * wrong CRC32 or length in its trailer, and any data after it.
 */
public final class Idx {
    private static final int CHUNK = 1 << 16;

    private Idx() {}

    /** Bytes in order from a plain or gzipped file; {@link #read} returns fewer than asked only at the end. */
    private interface Source {
        int read(byte[] into, int offset, int length);
    }

    /** The tensor stored in an IDX file, values converted to double. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > availableHeap() / 2 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("IDX file " + file + ": " + size + " bytes, more than the heap can hold ("
                        + availableHeap() + " bytes free; raise -Xmx)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + ": cannot read: " + e, e);
        }
        boolean gzip = bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B;
        return gzip ? parse(file + " (gzip)", new Gunzip(file.toString(), bytes)) : parse(file.toString(), bytes);
    }

    static Tensor parse(String name, byte[] bytes) {
        int[] pos = {0};
        return parse(name, (into, offset, length) -> {
            int n = Math.min(length, bytes.length - pos[0]);
            System.arraycopy(bytes, pos[0], into, offset, n);
            pos[0] += n;
            return n;
        });
    }

    private static Tensor parse(String name, Source in) {
        String where = "IDX file " + name + ": ";
        byte[] head = new byte[4];
        int got = in.read(head, 0, 4);
        if (got < 4) throw new IllegalArgumentException(where + "truncated header (" + got + " bytes)");
        int magic = ByteBuffer.wrap(head).getInt();
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
        byte[] dims = new byte[4 * rank];
        if (in.read(dims, 0, dims.length) < dims.length) throw new IllegalArgumentException(where + "truncated header for " + rank + " dimensions");
        ByteBuffer buf = ByteBuffer.wrap(dims);
        int[] shape = new int[rank];
        long count = 1, nonZero = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = buf.getInt();
            if (shape[d] < 0) {
                throw new IllegalArgumentException(where + "dimension " + d + " (byte " + (4 + 4 * d) + ") is " + Integer.toUnsignedString(shape[d])
                        + ", at most " + Integer.MAX_VALUE);
            }
            count *= shape[d];
            if (shape[d] != 0) nonZero *= shape[d]; // both factors below 2^31: no overflow before the check
            if (nonZero > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + "the dimensions " + Arrays.toString(Arrays.copyOf(shape, d + 1)) + "... have more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        long expected = count * width;
        if (8 * count > availableHeap()) {
            throw new IllegalArgumentException(where + "shape " + Arrays.toString(shape) + " needs " + 8 * count + " bytes as float64, more than the "
                    + availableHeap() + " bytes the heap has free (raise -Xmx); nothing was read");
        }
        double[] values = new double[(int) count];
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(expected, 1))];
        ByteBuffer view = ByteBuffer.wrap(chunk); // big-endian by default
        long read = 0;
        int next = 0;
        while (read < expected) {
            int want = (int) Math.min(chunk.length, expected - read);
            int n = in.read(chunk, 0, want);
            read += n;
            if (n < want) {
                throw new IllegalArgumentException(where + "truncated: the header promises " + expected + " bytes of data, found " + read);
            }
            view.clear();
            for (int i = 0; i < n / width; i++) {
                values[next++] = switch (type) {
                    case 0x08 -> view.get() & 0xFF;
                    case 0x09 -> view.get();
                    case 0x0B -> view.getShort();
                    case 0x0C -> view.getInt();
                    case 0x0D -> view.getFloat();
                    default -> view.getDouble();
                };
            }
        }
        int extra = in.read(chunk, 0, chunk.length);
        if (extra > 0) {
            long trailing = extra;
            while (trailing < CHUNK && (extra = in.read(chunk, 0, chunk.length)) > 0) trailing += extra;
            throw new IllegalArgumentException(where + "trailing bytes: the header promises " + expected + " bytes of data, found "
                    + (trailing < CHUNK ? "" : "more than ") + (expected + trailing));
        }
        return Tensor.of(values, shape);
    }

    /** The heap not yet in use, an upper bound on what one array can take. */
    private static long availableHeap() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * One gzip member (RFC 1952) inflated on demand, its trailer's CRC32 and length checked, and nothing after it
     * accepted.
     */
    private static final class Gunzip implements Source {
        private final String where;
        private final byte[] bytes;
        private final Inflater inflater = new Inflater(true);
        private final CRC32 crc = new CRC32();
        private long produced;
        private boolean ended;

        Gunzip(String name, byte[] bytes) {
            this.where = "IDX file " + name + ": ";
            this.bytes = bytes;
            inflater.setInput(bytes, headerLength(), bytes.length - headerLength());
        }

        /** The length of the gzip header: 10 bytes and the optional extra field, name, comment and header CRC. */
        private int headerLength() {
            if (bytes.length < 10) throw new IllegalArgumentException(where + "truncated gzip header (" + bytes.length + " bytes, at least 10 needed)");
            if (bytes[2] != 8) throw new IllegalArgumentException(where + "gzip compression method " + bytes[2] + " at byte 2, expected 8 (deflate)");
            int flags = bytes[3] & 0xFF, pos = 10;
            if ((flags & 0xE0) != 0) throw new IllegalArgumentException(where + String.format("reserved gzip flags 0x%02X set at byte 3", flags));
            if ((flags & 4) != 0) {
                if (pos + 2 > bytes.length) throw new IllegalArgumentException(where + "truncated gzip header: the extra field's length at byte " + pos);
                pos += 2 + ((bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8);
            }
            for (int flag : new int[] {8, 16}) {
                if ((flags & flag) == 0) continue;
                while (pos < bytes.length && bytes[pos] != 0) pos++;
                pos++;
            }
            if ((flags & 2) != 0) pos += 2;
            if (pos > bytes.length) throw new IllegalArgumentException(where + "truncated gzip header: it needs " + pos + " bytes, the file has " + bytes.length);
            return pos;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            int total = 0;
            while (total < length && !ended) {
                int n;
                try {
                    n = inflater.inflate(into, offset + total, length - total);
                } catch (DataFormatException e) {
                    throw new IllegalArgumentException(where + "corrupt gzip data near byte " + (bytes.length - inflater.getRemaining()) + ": " + e.getMessage(), e);
                }
                crc.update(into, offset + total, n);
                produced += n;
                total += n;
                if (inflater.finished()) {
                    checkTrailer();
                    ended = true;
                } else if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException(where + "truncated gzip stream: the file ends at byte " + bytes.length
                            + " before the compressed data do (" + produced + " bytes inflated)");
                }
            }
            return total;
        }

        private void checkTrailer() {
            int at = bytes.length - inflater.getRemaining();
            if (at + 8 > bytes.length) {
                throw new IllegalArgumentException(where + "truncated gzip trailer at byte " + at + ": 8 bytes expected, " + (bytes.length - at) + " found");
            }
            ByteBuffer t = ByteBuffer.wrap(bytes, at, 8).order(ByteOrder.LITTLE_ENDIAN);
            long storedCrc = t.getInt() & 0xFFFFFFFFL, storedSize = t.getInt() & 0xFFFFFFFFL;
            if (storedCrc != crc.getValue()) {
                throw new IllegalArgumentException(where + String.format("gzip CRC32 mismatch at byte %d: the trailer records %08x, the data give %08x",
                        at, storedCrc, crc.getValue()));
            }
            if (storedSize != (produced & 0xFFFFFFFFL)) {
                throw new IllegalArgumentException(where + "gzip length mismatch at byte " + (at + 4) + ": the trailer records " + storedSize
                        + " bytes, the stream inflated to " + produced);
            }
            if (at + 8 != bytes.length) {
                throw new IllegalArgumentException(where + (bytes.length - at - 8) + " bytes of trailing data after the gzip stream, from byte "
                        + (at + 8) + " (only one gzip member is read)");
            }
            inflater.end();
        }
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

package dev.descent.nn.io;

import dev.descent.core.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors in the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON mapping each name to {@code {"dtype": "F64", "shape": [...], "data_offsets": [begin,
 * end]}} (offsets relative to the data that follows, contiguous, in header order), an optional {@code __metadata__}
 * object of string values, then the raw little-endian float64 data. The header is padded with spaces to a multiple of
 * 8 bytes, as the Python library writes it. Files are readable by {@code safetensors.torch.load_file}.
 *
 * <p>Saving is atomic: the bytes go to a temporary file in the same directory, which is forced to disk and then renamed
 * over the target, so an interrupted save leaves the previous file intact. Loading checks everything (header length,
 * JSON, dtypes, shapes against offsets, contiguous coverage of the data, file length) and reports the first problem with
 * the file's name; only F64 tensors are supported.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";

    private SafeTensors() {}

    /** What a file holds: tensors by name (in file order) and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Saves {@code tensors} (for example a {@code stateDict()}) without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) {
        save(file, tensors, Map.of());
    }

    /** Saves {@code tensors} and string {@code metadata} atomically. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        writeAtomically(file, encode(tensors, metadata));
    }

    /** The tensors of a file, in file order. */
    public static Map<String, Tensor> load(Path file) {
        return read(file).tensors();
    }

    /** The tensors and metadata of a file. */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return decode(file.toString(), bytes);
    }

    static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append(Json.quote(METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                h.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                first = false;
            }
            h.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException("safetensors: '" + METADATA + "' is reserved");
            Tensor t = e.getValue();
            long end = offset + 8L * t.size();
            h.append(h.length() > 1 ? "," : "").append(Json.quote(e.getKey())).append(":{\"dtype\":\"F64\",\"shape\":[");
            int[] shape = t.shape();
            for (int d = 0; d < shape.length; d++) h.append(d > 0 ? "," : "").append(shape[d]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) buf.put((byte) ' ');
        for (Tensor t : tensors.values()) for (double v : t.toArray()) buf.putDouble(v);
        return buf.array();
    }

    static Contents decode(String name, byte[] bytes) {
        String where = "safetensors file " + name + ": ";
        if (bytes.length < 8) throw new IllegalArgumentException(where + "truncated: " + bytes.length + " bytes, too short for the header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        if (n < 2 || n > bytes.length - 8L) {
            throw new IllegalArgumentException(where + "header length " + n + " does not fit in the file of " + bytes.length + " bytes"
                    + (n > bytes.length - 8L ? " (truncated?)" : ""));
        }
        String text = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "corrupt header: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new IllegalArgumentException(where + "corrupt header: not a JSON object");
        long dataStart = 8 + n, dataLength = bytes.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> spans = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) throw new IllegalArgumentException(where + "__metadata__ is not an object");
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) throw new IllegalArgumentException(where + "metadata '" + m.getKey() + "' is not a string");
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new IllegalArgumentException(where + "entry '" + key + "' is not an object");
            if (!"F64".equals(info.get("dtype"))) {
                throw new IllegalArgumentException(where + "tensor '" + key + "' has dtype " + info.get("dtype") + ", only F64 is supported");
            }
            int[] shape = ints(where, key, "shape", info.get("shape"), -1);
            int[] off = ints(where, key, "data_offsets", info.get("data_offsets"), 2);
            long count = 1;
            for (int d : shape) count *= d;
            if (off[0] > off[1] || off[1] - (long) off[0] != 8 * count) {
                throw new IllegalArgumentException(where + "tensor '" + key + "' of shape " + java.util.Arrays.toString(shape)
                        + " needs " + 8 * count + " bytes, its data_offsets are [" + off[0] + ", " + off[1] + "]");
            }
            if (off[1] > dataLength) {
                throw new IllegalArgumentException(where + "truncated: tensor '" + key + "' ends at byte " + off[1] + " of the data, which has "
                        + dataLength + " bytes");
            }
            double[] values = new double[(int) count];
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + off[0]), off[1] - off[0]).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; i++) values[i] = data.getDouble();
            tensors.put(key, Tensor.of(values, shape));
            spans.add(new long[] {off[0], off[1]});
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        for (long[] s : spans) {
            if (s[0] != covered) throw new IllegalArgumentException(where + "corrupt: tensor data is not contiguous at byte " + covered);
            covered = s[1];
        }
        if (covered != dataLength) {
            throw new IllegalArgumentException(where + "corrupt: the tensors cover " + covered + " bytes of data, the file holds " + dataLength);
        }
        return new Contents(tensors, metadata);
    }

    private static int[] ints(String where, String key, String field, Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new IllegalArgumentException(where + "tensor '" + key + "' has a bad " + field + ": " + value);
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + "tensor '" + key + "' has a bad " + field + ": " + value);
            }
            out[i] = l.intValue();
        }
        return out;
    }

    /** Writes to a temporary sibling, forces it to disk, then renames it over {@code file}. */
    static void writeAtomically(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // make the rename durable where the platform allows syncing a directory
            } catch (IOException | UnsupportedOperationException ignored) {
                // not every file system lets a directory be opened for syncing; the rename itself is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: could not save " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure being reported matters more than a leftover temporary file
                }
            }
        }
    }
}

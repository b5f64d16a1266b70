package dev.descent.nn.io;

import dev.descent.core.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Named tensors in the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON mapping each name to {@code {"dtype": "F64", "shape": [...], "data_offsets": [begin,
 * end]}} (offsets relative to the data that follows, contiguous, in header order), an optional {@code __metadata__}
 * object of string values, then the raw little-endian data. The header is padded with spaces to a multiple of 8 bytes,
 * as the Python library writes it. Files are readable by {@code safetensors.torch.load_file}.
 *
 * <p><b>Dtypes.</b> Every tensor is read into float64 from any of {@link DType}'s types, so files written by PyTorch
 * load; a 64-bit integer beyond 2<sup>53</sup> in magnitude, which a double cannot hold exactly, is refused, and so is
 * a {@code BOOL} byte other than 0 or 1. Tensors are written as {@code F64}, or as {@code I64} for the names given in
 * {@link #save(Path, Map, Map, Map)} (PyTorch keeps counters such as {@code num_batches_tracked} as int64).
 *
 * <p><b>Integrity.</b> Every file saved here records a CRC32C in its metadata under {@value #CHECKSUM}, as
 * {@code crc32c:} and eight hexadecimal digits. It covers the data section and everything the header says (each
 * tensor's name, dtype, shape and offsets, and every other metadata entry), so a flipped bit anywhere but in the
 * header's spacing is detected on load. Files from other tools have no checksum and load unchecked.
 *
 * <p><b>Loading</b> checks everything before building any tensor: the header length (at most {@value #MAX_HEADER_BYTES}
 * bytes, as the Python library), UTF-8 and JSON (nested at most {@link Json#MAX_DEPTH} deep), dtypes, shapes (element
 * counts checked for overflow), offsets against shapes, contiguous coverage of the data, the file length and the
 * checksum. The first problem is reported as an {@link IllegalArgumentException} naming the file, the tensor or
 * offset, what was expected and what was found.
 *
 * <p><b>Saving</b> is atomic and durable: see {@link AtomicFile}.
 */
public final class SafeTensors {
    /** The largest header accepted, in bytes (the Python library's limit). */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    /** The metadata key holding the checksum of a file written by descent. */
    public static final String CHECKSUM = "descent.checksum";

    private static final String METADATA = "__metadata__";
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    private SafeTensors() {}

    /** The element types of the safetensors format that descent reads, with their widths in bytes. */
    public enum DType {
        F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** The width of one element in bytes. */
        public int bytes() {
            return bytes;
        }
    }

    /**
     * What a file holds: tensors by name (in file order), the string metadata (without the checksum, which was
     * verified) and the dtype each tensor was stored as.
     *
     * @param tensors  the tensors, converted to float64
     * @param metadata the {@code __metadata__} entries
     * @param dtypes   the stored dtype of each tensor
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, DType> dtypes) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        }
    }

    /** Saves {@code tensors} (for example a {@code stateDict()}) without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) {
        save(file, tensors, Map.of());
    }

    /** Saves {@code tensors} as F64 and string {@code metadata} atomically. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        save(file, tensors, metadata, Map.of());
    }

    /**
     * Saves {@code tensors} and string {@code metadata} atomically, each tensor as F64 unless {@code dtypes} names it
     * {@link DType#I64}, in which case its values must be integers of magnitude at most 2<sup>53</sup>.
     *
     * @throws IllegalArgumentException for a reserved name or metadata key, a dtype other than F64 or I64, a dtype for
     *                                  a name that is not saved, or a value I64 cannot hold; nothing is written
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, DType> dtypes) {
        AtomicFile.write(file, encode(tensors, metadata, dtypes));
    }

    /** The tensors of a file, in file order. */
    public static Map<String, Tensor> load(Path file) {
        return read(file).tensors();
    }

    /** The tensors and metadata of a file. */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("safetensors file " + file + ": " + size + " bytes, more than the " + (Integer.MAX_VALUE - 8)
                        + " one file can hold here");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors file " + file + ": cannot read: " + e, e);
        }
        return decode(file.toString(), bytes);
    }

    static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, DType> dtypes) {
        if (metadata.containsKey(CHECKSUM)) throw new IllegalArgumentException("safetensors: metadata key '" + CHECKSUM + "' is reserved");
        for (Map.Entry<String, DType> e : dtypes.entrySet()) {
            if (!tensors.containsKey(e.getKey())) throw new IllegalArgumentException("safetensors: a dtype is given for '" + e.getKey() + "', which is not saved");
            if (e.getValue() != DType.F64 && e.getValue() != DType.I64) {
                throw new IllegalArgumentException("safetensors: tensor '" + e.getKey() + "' can be written as F64 or I64, not " + e.getValue());
            }
        }
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException("safetensors: '" + METADATA + "' is reserved");
            Tensor t = e.getValue();
            DType dtype = dtypes.getOrDefault(e.getKey(), DType.F64);
            if (dtype == DType.I64) {
                double[] v = t.toArray();
                for (int i = 0; i < v.length; i++) {
                    if (!(Math.abs(v[i]) <= MAX_EXACT_INTEGER && v[i] == Math.rint(v[i]))) {
                        throw new IllegalArgumentException("safetensors: tensor '" + e.getKey() + "' is to be written as I64, but element " + i
                                + " is " + v[i] + ", not an integer of magnitude at most 2^53");
                    }
                }
            }
            long end = offset + (long) dtype.bytes() * t.size();
            entries.add(new Entry(e.getKey(), dtype, t.shape(), offset, end));
            offset = end;
        }
        long dataLength = offset;
        if (dataLength > Integer.MAX_VALUE - 8L - MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors: " + dataLength + " bytes of tensor data are more than one file can hold here");
        }
        byte[] data = new byte[(int) dataLength];
        ByteBuffer out = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry entry : entries) {
            for (double v : tensors.get(entry.name).toArray()) {
                if (entry.dtype == DType.I64) out.putLong((long) v);
                else out.putDouble(v);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CHECKSUM, checksum(metadata, entries, data, 0));

        StringBuilder h = new StringBuilder("{");
        h.append(Json.quote(METADATA)).append(":{");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            h.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            first = false;
        }
        h.append('}');
        for (Entry entry : entries) {
            h.append(',').append(Json.quote(entry.name)).append(":{\"dtype\":\"").append(entry.dtype).append("\",\"shape\":[");
            for (int d = 0; d < entry.shape.length; d++) h.append(d > 0 ? "," : "").append(entry.shape[d]);
            h.append("],\"data_offsets\":[").append(entry.begin).append(',').append(entry.end).append("]}");
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) throw new IllegalArgumentException("safetensors: the header would have " + padded + " bytes, more than " + MAX_HEADER_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) buf.put((byte) ' ');
        buf.put(data);
        return buf.array();
    }

    /** One tensor's header entry. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    /**
     * {@code crc32c:} and eight hex digits over a canonical description of the header (metadata but the checksum, and
     * every tensor entry, both sorted by name) followed by the data bytes.
     */
    private static String checksum(Map<String, String> metadata, List<Entry> entries, byte[] bytes, int dataStart) {
        StringBuilder canon = new StringBuilder();
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (!k.equals(CHECKSUM)) canon.append("m\0").append(k).append('\0').append(v).append('\0');
        });
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.name.compareTo(b.name));
        for (Entry e : sorted) {
            canon.append("t\0").append(e.name).append('\0').append(e.dtype).append('\0').append(Arrays.toString(e.shape))
                    .append('\0').append(e.begin).append(',').append(e.end).append('\0');
        }
        CRC32C crc = new CRC32C();
        crc.update(canon.toString().getBytes(StandardCharsets.UTF_8));
        crc.update(bytes, dataStart, bytes.length - dataStart);
        return String.format("crc32c:%08x", crc.getValue());
    }

    static Contents decode(String name, byte[] bytes) {
        String where = "safetensors file " + name + ": ";
        if (bytes.length < 8) throw new IllegalArgumentException(where + "truncated: " + bytes.length + " bytes, too short for the header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        if (n < 2 || n > MAX_HEADER_BYTES || n > bytes.length - 8L) {
            throw new IllegalArgumentException(where + "header length " + n + " does not fit in the file of " + bytes.length + " bytes"
                    + (n > bytes.length - 8L ? " (truncated?)" : n > MAX_HEADER_BYTES ? "; at most " + MAX_HEADER_BYTES + " are accepted" : "")
                    + "; the length is bytes 0-7, little-endian");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + "corrupt header: not valid UTF-8 (" + e + ")", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "corrupt header: " + e.getMessage() + " (counting characters of the header, which starts at byte 8)", e);
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new IllegalArgumentException(where + "corrupt header: expected a JSON object, found " + kind(parsed));
        int dataStart = 8 + (int) n;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw new IllegalArgumentException(where + "__metadata__: expected an object of strings, found " + kind(e.getValue()));
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) {
                        throw new IllegalArgumentException(where + "metadata '" + m.getKey() + "': expected a string, found " + kind(m.getValue()));
                    }
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            entries.add(entry(where, key, e.getValue(), dataLength));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> Long.compare(a.begin, b.begin));
        long covered = 0;
        for (Entry s : byOffset) {
            if (s.begin != covered) {
                throw new IllegalArgumentException(where + "corrupt: tensor data is not contiguous at byte " + covered + " of the data: tensor '"
                        + s.name + "' starts at " + s.begin);
            }
            covered = s.end;
        }
        if (covered != dataLength) {
            throw new IllegalArgumentException(where + "corrupt: the tensors cover " + covered + " bytes of data, the file holds " + dataLength);
        }
        String recorded = metadata.get(CHECKSUM);
        if (recorded != null) {
            if (!recorded.matches("crc32c:[0-9a-f]{8}")) {
                throw new IllegalArgumentException(where + "metadata '" + CHECKSUM + "': expected crc32c: and 8 hex digits, found '" + recorded + "'");
            }
            String actual = checksum(metadata, entries, bytes, dataStart);
            if (!actual.equals(recorded)) {
                throw new IllegalArgumentException(where + "checksum mismatch: the metadata records " + recorded + ", the contents give " + actual
                        + " (the file was changed or damaged after it was written)");
            }
        }
        metadata.remove(CHECKSUM);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Entry entry : entries) {
            tensors.put(entry.name, Tensor.of(values(where, entry, bytes, dataStart), entry.shape));
            dtypes.put(entry.name, entry.dtype);
        }
        return new Contents(tensors, metadata, dtypes);
    }

    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** Checks one header entry against the format and the data length. */
    private static Entry entry(String where, String key, Object value, long dataLength) {
        String at = where + "tensor '" + key + "': ";
        if (!(value instanceof Map<?, ?> info)) throw new IllegalArgumentException(at + "expected an object, found " + kind(value));
        for (Object field : info.keySet()) {
            if (!FIELDS.contains(field)) throw new IllegalArgumentException(at + "unexpected field '" + field + "', expected only " + FIELDS);
        }
        DType dtype;
        try {
            dtype = DType.valueOf(String.valueOf(info.get("dtype")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "dtype " + info.get("dtype") + " is not one of " + Arrays.toString(DType.values()), e);
        }
        long[] shape = longs(at, "shape", info.get("shape"), -1);
        long[] off = longs(at, "data_offsets", info.get("data_offsets"), 2);
        int[] dims = new int[shape.length];
        long nonZero = 1, count = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > Integer.MAX_VALUE) throw new IllegalArgumentException(at + "dimension " + d + " is " + shape[d] + ", at most " + Integer.MAX_VALUE);
            dims[d] = (int) shape[d];
            if (shape[d] != 0) nonZero *= shape[d]; // both factors below 2^31: no overflow before the check
            count *= shape[d];
            if (nonZero > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(at + "shape " + Arrays.toString(shape) + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        long needed = count * dtype.bytes();
        if (off[0] > off[1] || off[1] - off[0] != needed) {
            throw new IllegalArgumentException(at + "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed
                    + " bytes, its data_offsets are [" + off[0] + ", " + off[1] + "]");
        }
        if (off[1] > dataLength) {
            throw new IllegalArgumentException(where + "truncated: tensor '" + key + "' ends at byte " + off[1] + " of the data, which has "
                    + dataLength + " bytes");
        }
        return new Entry(key, dtype, dims, off[0], off[1]);
    }

    /** Converts a checked entry's bytes to doubles, refusing integers a double cannot hold and non-boolean bytes. */
    private static double[] values(String where, Entry entry, byte[] bytes, int dataStart) {
        int count = (int) ((entry.end - entry.begin) / entry.dtype.bytes());
        ByteBuffer in = ByteBuffer.wrap(bytes, dataStart + (int) entry.begin, (int) (entry.end - entry.begin)).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (entry.dtype) {
                case F64 -> in.getDouble();
                case F32 -> in.getFloat();
                case F16 -> Float.float16ToFloat(in.getShort());
                case BF16 -> Float.intBitsToFloat(in.getShort() << 16);
                case I64 -> {
                    long v = in.getLong();
                    if (v > MAX_EXACT_INTEGER || v < -MAX_EXACT_INTEGER) {
                        throw new IllegalArgumentException(where + "tensor '" + entry.name + "' (I64) element " + i + " is " + v
                                + ", beyond 2^53 in magnitude, which float64 cannot hold exactly");
                    }
                    yield v;
                }
                case I32 -> in.getInt();
                case I16 -> in.getShort();
                case I8 -> in.get();
                case U8 -> in.get() & 0xFF;
                case BOOL -> {
                    byte b = in.get();
                    if (b != 0 && b != 1) {
                        throw new IllegalArgumentException(where + "tensor '" + entry.name + "' (BOOL) element " + i + " is " + b + ", expected 0 or 1");
                    }
                    yield b;
                }
            };
        }
        return out;
    }

    private static long[] longs(String at, String field, Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new IllegalArgumentException(at + field + ": expected " + (length >= 0 ? length + " " : "a list of ") + "non-negative integers, found "
                    + abbreviated(value));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new IllegalArgumentException(at + field + ": expected non-negative integers, found " + abbreviated(value));
            }
            out[i] = l;
        }
        return out;
    }

    private static String kind(Object value) {
        return value == null ? "null" : value instanceof Map ? "an object" : value instanceof List ? "an array"
                : value instanceof String s ? "the string " + abbreviated(Json.quote(s)) : abbreviated(value);
    }

    private static String abbreviated(Object value) {
        String s = String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}

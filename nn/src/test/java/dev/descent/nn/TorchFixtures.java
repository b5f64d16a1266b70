package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.descent.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the PyTorch reference fixtures under {@code src/test/resources/fixtures}, each written by its committed script. */
final class TorchFixtures {
    /** The agreement asked of every reference test: {@code |descent − torch| <= 1e-12 + 1e-9·|torch|}. */
    static final double ATOL = 1e-12;
    static final double RTOL = 1e-9;

    private TorchFixtures() {}

    /** {@code fixtures/<name>.json}, written by {@code fixtures/<name>.py} (or the script its header names). */
    static JsonElement load(String name) {
        String path = "/fixtures/" + name + ".json";
        try (InputStream in = TorchFixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("fixtures/" + name + ".json is missing; run its script");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tensor written as {@code {"shape": [...], "values": [...]}}. */
    static Tensor tensor(JsonObject o) {
        JsonArray v = o.getAsJsonArray("values");
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) values[i] = v.get(i).getAsDouble();
        JsonArray s = o.getAsJsonArray("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsInt();
        return Tensor.of(values, shape);
    }

    /** The tensor under {@code key} in {@code holder}. */
    static Tensor tensor(JsonObject holder, String key) {
        return tensor(holder.getAsJsonObject(key));
    }

    /** Every tensor of an object of tensors, in its order (a state dict). */
    static Map<String, Tensor> tensors(JsonObject o) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : o.keySet()) out.put(k, tensor(o.getAsJsonObject(k)));
        return out;
    }

    /** Same shape, and every element within {@link #ATOL} + {@link #RTOL}·|expected|. */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertTrue(actual != null, what + ": no tensor");
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertTrue(Math.abs(a[i] - e[i]) <= ATOL + RTOL * Math.abs(e[i]), () -> what + "[" + at + "]: descent " + a[at] + ", torch " + e[at]);
        }
    }
}

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the PyTorch reference fixtures under {@code src/test/resources/fixtures} (each written by the script of the
 * same name) and compares with them within {@code 1e-12 + 1e-10·|torch|} per element.
 */
final class Fixtures {
    private Fixtures() {}

    static final double ATOL = 1e-12;
    static final double RTOL = 1e-10;

    /** The cases of {@code fixtures/<name>.json}, a JSON array of objects, written by {@code fixtures/<name>.py}. */
    static List<JsonObject> cases(String name) {
        return casesOf(load(name));
    }

    /** The whole of {@code fixtures/<name>.json}, written by {@code fixtures/<name>.py} (or the script its header names). */
    static JsonElement load(String name) {
        String path = "/fixtures/" + name + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("fixtures/" + name + ".json is missing; run its script");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of {@code fixtures/<name>.json}, a JSON array of objects. */
    static List<JsonObject> casesOf(JsonElement all) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : all.getAsJsonArray()) out.add(e.getAsJsonObject());
        return out;
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

    /** A tensor written as {@code {"shape": [...], "values": [...]}}. */
    static Tensor tensor(JsonObject o) {
        JsonArray v = o.getAsJsonArray("values");
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) values[i] = v.get(i).getAsDouble();
        return Tensor.of(values, ints(o.getAsJsonArray("shape")));
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }

    /** Same shape, and every element within {@code ATOL + RTOL·|expected|}. */
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

package dev.descent.optim;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the PyTorch reference fixtures under {@code src/test/resources/fixtures}, each written by its script. */
public final class Fixtures {
    private Fixtures() {}

    /** {@code fixtures/<name>.json}, written by {@code fixtures/<name>.py}. */
    public static JsonObject load(String name) {
        String path = "/fixtures/" + name + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("fixtures/" + name + ".json is missing; run fixtures/" + name + ".py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }

    public static double[][] matrix(JsonArray rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) out[i] = doubles(rows.get(i).getAsJsonArray());
        return out;
    }
}

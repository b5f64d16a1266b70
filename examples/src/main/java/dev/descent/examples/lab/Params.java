package dev.descent.examples.lab;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parameters of one request, a JSON object, read with their ranges: every read names the parameter (with its path,
 * {@code optimizers[1].lr}), the expected range and what was given when the value does not fit. An absent parameter
 * takes its default.
 */
final class Params {
    private final JsonObject object;
    private final String path;

    private Params(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** Parses a request body, which must be one JSON object. */
    static Params parse(String body) {
        JsonElement e;
        try {
            e = JsonParser.parseString(body);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException("request body: expected a JSON object, got text that is not JSON");
        }
        if (!e.isJsonObject()) throw new IllegalArgumentException("request body: expected a JSON object, got " + kind(e));
        return new Params(e.getAsJsonObject(), "");
    }

    private String name(String key) {
        return path + key;
    }

    private JsonPrimitive primitive(String key) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (!e.isJsonPrimitive()) throw new IllegalArgumentException(name(key) + ": expected a single value, got " + kind(e));
        return e.getAsJsonPrimitive();
    }

    /** A number in {@code [min, max]}. */
    double number(String key, double min, double max, double defaultValue) {
        JsonPrimitive p = primitive(key);
        if (p == null) return defaultValue;
        if (!p.isNumber()) throw new IllegalArgumentException(name(key) + ": expected a number in " + range(min, max) + ", got " + p);
        double v = p.getAsDouble();
        if (!(v >= min && v <= max)) throw new IllegalArgumentException(name(key) + ": expected a number in " + range(min, max) + ", got " + fmt(v));
        return v;
    }

    /** A whole number in {@code [min, max]}. */
    int integer(String key, int min, int max, int defaultValue) {
        JsonPrimitive p = primitive(key);
        if (p == null) return defaultValue;
        double v = p.isNumber() ? p.getAsDouble() : Double.NaN;
        if (v != Math.rint(v) || v < min || v > max) {
            throw new IllegalArgumentException(name(key) + ": expected a whole number in [" + min + ", " + max + "], got " + p);
        }
        return (int) v;
    }

    /** A seed: any whole number that a double holds exactly. */
    long seed(String key, long defaultValue) {
        JsonPrimitive p = primitive(key);
        if (p == null) return defaultValue;
        double v = p.isNumber() ? p.getAsDouble() : Double.NaN;
        if (v != Math.rint(v) || Math.abs(v) > 9.007199254740992E15) {
            throw new IllegalArgumentException(name(key) + ": expected a whole number of at most 2^53 in size, got " + p);
        }
        return (long) v;
    }

    boolean bool(String key, boolean defaultValue) {
        JsonPrimitive p = primitive(key);
        if (p == null) return defaultValue;
        if (!p.isBoolean()) throw new IllegalArgumentException(name(key) + ": expected true or false, got " + p);
        return p.getAsBoolean();
    }

    /** One of {@code allowed}. */
    String choice(String key, List<String> allowed, String defaultValue) {
        JsonPrimitive p = primitive(key);
        if (p == null) return defaultValue;
        if (!p.isString() || !allowed.contains(p.getAsString())) {
            throw new IllegalArgumentException(name(key) + ": expected one of " + String.join(", ", allowed) + ", got " + p);
        }
        return p.getAsString();
    }

    /** A string matching {@code pattern} (required). */
    String string(String key, Pattern pattern, String description) {
        JsonPrimitive p = primitive(key);
        if (p == null || !p.isString() || !pattern.matcher(p.getAsString()).matches()) {
            throw new IllegalArgumentException(name(key) + ": expected " + description + ", got " + (p == null ? "nothing" : p));
        }
        return p.getAsString();
    }

    /** A nested object; an absent one reads as empty (every parameter at its default). */
    Params object(String key) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) return new Params(new JsonObject(), name(key) + ".");
        if (!e.isJsonObject()) throw new IllegalArgumentException(name(key) + ": expected an object, got " + kind(e));
        return new Params(e.getAsJsonObject(), name(key) + ".");
    }

    /** An array of objects with between {@code min} and {@code max} elements (required). */
    List<Params> objects(String key, int min, int max) {
        JsonElement e = object.get(key);
        if (e == null || !e.isJsonArray()) throw new IllegalArgumentException(name(key) + ": expected an array of " + min + " to " + max + " objects, got "
                + (e == null ? "nothing" : kind(e)));
        JsonArray a = e.getAsJsonArray();
        if (a.size() < min || a.size() > max) {
            throw new IllegalArgumentException(name(key) + ": expected " + min + " to " + max + " entries, got " + a.size());
        }
        List<Params> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isJsonObject()) throw new IllegalArgumentException(name(key) + "[" + i + "]: expected an object, got " + kind(a.get(i)));
            out.add(new Params(a.get(i).getAsJsonObject(), name(key) + "[" + i + "]."));
        }
        return out;
    }

    /** An enum constant's key in requests: its name in lower case, with '-' for '_' ({@code leaky-relu}). */
    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The keys of a choice's options, in their order. */
    static <E> List<String> keys(E[] options, java.util.function.Function<E, String> key) {
        List<String> keys = new ArrayList<>();
        for (E o : options) keys.add(key.apply(o));
        return keys;
    }

    /** The option whose key is {@code key}; an unknown key is refused naming the parameter and the options. */
    static <E> E option(E[] options, java.util.function.Function<E, String> keyOf, String parameter, String key) {
        for (E o : options) if (keyOf.apply(o).equals(key)) return o;
        throw new IllegalArgumentException(parameter + ": expected one of " + String.join(", ", keys(options, keyOf)) + ", got " + key);
    }

    private static String kind(JsonElement e) {
        return e.isJsonArray() ? "an array" : e.isJsonObject() ? "an object" : e.isJsonNull() ? "null" : e.toString();
    }

    private static String range(double min, double max) {
        return "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains("e") ? s : s.replaceAll("\\.?0+$", ""); // 0.00100 reads 0.001
    }
}

package dev.descent.nn.io;

import dev.descent.core.Stateful;
import dev.descent.core.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole state of a training run in one safetensors file (see {@link TrainingState}): each part's tensors under
 * {@code <part>.<key>} (an optimizer's moments in their parameter's shape, say {@code optimizer.state.0.exp_avg}
 * {@code [256, 784]}), and in the metadata the format, the list of parts, the step and epoch counters and the user's
 * entries under {@code user.<key>}. {@link SafeTensors} adds a checksum and writes atomically and durably, so an
 * interrupted save leaves the previous checkpoint intact.
 *
 * <p>{@link #restore} is strict: the file must hold exactly the parts registered, each part checks every key, shape
 * and value range of its own, and the first problem is reported with the file, the part and the key. Nothing is
 * changed unless everything loads: a part that refuses its state makes the parts already loaded go back to what they
 * were.
 *
 * <p>Resuming from a checkpoint taken after any step, mid-epoch included, continues bit for bit as the uninterrupted
 * run would, provided every source of randomness is a part and the model is in the same mode (train or eval).
 */
public final class Checkpoint {
    private static final String FORMAT = "format", FORMAT_NAME = "descent-checkpoint", VERSION = "format_version", VERSION_VALUE = "2";
    private static final String PARTS = "parts", STEP = "step", EPOCH = "epoch", USER = "user.";

    private Checkpoint() {}

    /** Saves every part of {@code state}, its counters and its metadata to {@code file}, atomically. */
    public static void save(Path file, TrainingState state) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Map.Entry<String, Stateful> part : state.parts().entrySet()) {
            part.getValue().stateTensors().forEach((k, v) -> all.put(part.getKey() + "." + k, v));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_NAME);
        meta.put(VERSION, VERSION_VALUE);
        meta.put(PARTS, String.join(",", state.parts().keySet()));
        meta.put(STEP, Long.toString(state.step()));
        meta.put(EPOCH, Long.toString(state.epoch()));
        state.metadata().forEach((k, v) -> meta.put(USER + k, v));
        SafeTensors.save(file, all, meta);
    }

    /**
     * Loads {@code file} into the parts of {@code state} and sets its counters and metadata; all or nothing.
     *
     * @throws IllegalArgumentException naming the file, the part and the key at fault; {@code state} and its parts are
     *                                  then unchanged
     */
    public static void restore(Path file, TrainingState state) {
        String where = "checkpoint " + file + ": ";
        SafeTensors.Contents c = read(file);
        Map<String, String> meta = c.metadata();
        String listed = meta.get(PARTS);
        List<String> saved = listed == null || listed.isEmpty() ? List.of() : Arrays.asList(listed.split(",", -1));
        Set<String> expected = state.parts().keySet();
        if (!new LinkedHashSet<>(saved).equals(expected) || saved.size() != expected.size()) {
            Set<String> missing = new LinkedHashSet<>(expected), extra = new LinkedHashSet<>(saved);
            missing.removeAll(saved);
            extra.removeAll(expected);
            throw new IllegalArgumentException(where + "holds the parts " + saved + ", expected " + expected
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; not expected " + extra));
        }
        long step = counter(where, meta, STEP), epoch = counter(where, meta, EPOCH);
        Map<String, Map<String, Tensor>> byPart = new LinkedHashMap<>();
        for (String name : expected) byPart.put(name, new LinkedHashMap<>());
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            int dot = e.getKey().indexOf('.');
            Map<String, Tensor> part = dot < 0 ? null : byPart.get(e.getKey().substring(0, dot));
            if (part == null) throw new IllegalArgumentException(where + "tensor '" + e.getKey() + "' belongs to none of the parts " + expected);
            part.put(e.getKey().substring(dot + 1), e.getValue());
        }
        Map<String, String> user = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(USER)) user.put(k.substring(USER.length()), v);
            else if (!Set.of(FORMAT, VERSION, PARTS, STEP, EPOCH).contains(k)) throw new IllegalArgumentException(where + "unexpected metadata '" + k + "'");
        });

        Map<String, Map<String, Tensor>> before = new LinkedHashMap<>();
        state.parts().forEach((name, part) -> before.put(name, part.stateTensors()));
        List<String> loaded = new ArrayList<>();
        for (Map.Entry<String, Stateful> part : state.parts().entrySet()) {
            try {
                part.getValue().loadStateTensors(byPart.get(part.getKey()));
                loaded.add(part.getKey());
            } catch (RuntimeException e) {
                for (int i = loaded.size() - 1; i >= 0; i--) state.parts().get(loaded.get(i)).loadStateTensors(before.get(loaded.get(i)));
                throw new IllegalArgumentException(where + "part '" + part.getKey() + "': " + e.getMessage(), e);
            }
        }
        state.setStep(step).setEpoch(epoch);
        state.metadata().clear();
        state.metadata().putAll(user);
    }

    /**
     * The user's metadata saved in {@code file} ({@link TrainingState#metadata()} at the time of the save), without
     * restoring anything: for settings that must be known before the parts can be built, such as a batch size.
     *
     * @throws IllegalArgumentException if the file is not a readable descent checkpoint
     */
    public static Map<String, String> metadata(Path file) {
        Map<String, String> user = new LinkedHashMap<>();
        read(file).metadata().forEach((k, v) -> {
            if (k.startsWith(USER)) user.put(k.substring(USER.length()), v);
        });
        return java.util.Collections.unmodifiableMap(user);
    }

    /** The file's contents, checked to be a descent checkpoint of the version this code reads. */
    private static SafeTensors.Contents read(Path file) {
        String where = "checkpoint " + file + ": ";
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT_NAME.equals(meta.get(FORMAT))) {
            throw new IllegalArgumentException(where + "not a descent checkpoint (metadata format is " + meta.get(FORMAT) + ", expected " + FORMAT_NAME + ")");
        }
        if (!VERSION_VALUE.equals(meta.get(VERSION))) {
            throw new IllegalArgumentException(where + "format_version is " + meta.get(VERSION) + ", this version reads " + VERSION_VALUE);
        }
        return c;
    }

    private static long counter(String where, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null || !v.matches("\\d{1,18}")) throw new IllegalArgumentException(where + "metadata '" + key + "' is " + v + ", expected a whole number");
        return Long.parseLong(v);
    }
}

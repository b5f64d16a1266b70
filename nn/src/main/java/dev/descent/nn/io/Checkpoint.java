package dev.descent.nn.io;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.Module;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: the model's state dict under {@code model.<name>}, optionally an
 * optimizer's state under {@code optimizer.<name>}, and optionally the state of an {@link Rng} in the metadata
 * ({@code rng_state}, four hexadecimal words), so that a resumed run draws the same numbers. Written atomically by
 * {@link SafeTensors}: an interrupted save leaves the previous checkpoint intact.
 *
 * @param model     the model's parameters and buffers by dotted name
 * @param optimizer the optimizer's state by name (empty when none was saved)
 * @param rng       the saved generator, or null when none was saved
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, Tensor> optimizer, Rng rng) {
    private static final String MODEL = "model.", OPTIMIZER = "optimizer.", RNG_STATE = "rng_state", FORMAT = "format";
    private static final String FORMAT_NAME = "descent-checkpoint";

    /**
     * Saves {@code model}'s state dict, and the optimizer state and generator when they are not null.
     */
    public static void save(Path file, Module model, Map<String, Tensor> optimizerState, Rng rng) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put(MODEL + k, v));
        if (optimizerState != null) optimizerState.forEach((k, v) -> all.put(OPTIMIZER + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_NAME);
        if (rng != null) {
            StringBuilder sb = new StringBuilder();
            for (long w : rng.state()) sb.append(sb.isEmpty() ? "" : ",").append(Long.toHexString(w));
            meta.put(RNG_STATE, sb.toString());
        }
        SafeTensors.save(file, all, meta);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint load(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        if (!FORMAT_NAME.equals(c.metadata().get(FORMAT))) {
            throw new IllegalArgumentException("checkpoint " + file + ": not a descent checkpoint (metadata format is "
                    + c.metadata().get(FORMAT) + ")");
        }
        Map<String, Tensor> model = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            if (e.getKey().startsWith(MODEL)) model.put(e.getKey().substring(MODEL.length()), e.getValue());
            else if (e.getKey().startsWith(OPTIMIZER)) optimizer.put(e.getKey().substring(OPTIMIZER.length()), e.getValue());
            else throw new IllegalArgumentException("checkpoint " + file + ": unexpected tensor '" + e.getKey() + "'");
        }
        Rng rng = null;
        String state = c.metadata().get(RNG_STATE);
        if (state != null) {
            String[] words = state.split(",");
            long[] s = new long[words.length];
            try {
                for (int i = 0; i < s.length; i++) s[i] = Long.parseUnsignedLong(words[i], 16);
                rng = Rng.fromState(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + file + ": corrupt rng_state '" + state + "'", e);
            }
        }
        return new Checkpoint(model, optimizer, rng);
    }

    /** Loads the model part into {@code target}, strictly (see {@link Module#loadStateDict}). */
    public void restore(Module target) {
        target.loadStateDict(model, true);
    }
}

package dev.descent.nn.io;

import dev.descent.core.Tensor;
import dev.descent.nn.Module;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module's state dict as PyTorch keeps it, in a safetensors file: what {@code safetensors.torch.save_file(
 * model.state_dict(), path)} writes and {@code model.load_state_dict(safetensors.torch.load_file(path))} reads, for a
 * PyTorch model built from the equivalent layers.
 *
 * <p><b>Keys, shapes and layouts are PyTorch's, one to one</b>: descent's modules register their parameters and
 * buffers under PyTorch's names and shapes, both row-major, so no name or axis is rewritten. For example
 * {@code Sequential(Linear(5, 8), BatchNorm1d(8), Tanh(), Linear(8, 3))} has, in both libraries,
 * <pre>
 *   0.weight [8, 5]   0.bias [8]                            Linear: weight is [out_features, in_features]
 *   1.weight [8]   1.bias [8]   1.running_mean [8]   1.running_var [8]   1.num_batches_tracked []
 *   3.weight [3, 8]   3.bias [3]
 * </pre>
 * {@code LayerNorm} has {@code weight} and {@code bias} of the normalised shape; {@code RNNCell} has
 * {@code weight_ih [hidden, input]}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}, and {@code RNN} the same with
 * the layer suffix {@code _l0}; children of a {@code Sequential} are numbered from 0, and those of {@code Residual} are
 * {@code body} and {@code shortcut}, as the attributes of a custom PyTorch module of that name would be.
 *
 * <p><b>Dtypes.</b> Saving writes every tensor as {@code F64}, except buffers named {@code num_batches_tracked}, which
 * PyTorch keeps as int64 and which are written as {@code I64}; {@code load_state_dict} copies the float64 values into
 * a float32 model's parameters. Loading accepts every dtype {@link SafeTensors} reads ({@code F32} from a default
 * PyTorch model, {@code F64}, {@code I64}, ...) and widens it to float64 exactly.
 */
public final class TorchStateDict {
    /** The buffer name PyTorch stores as int64 ({@code BatchNorm}'s update counter). */
    static final String INT64_BUFFER = "num_batches_tracked";

    private TorchStateDict() {}

    /** Saves {@code model.stateDict()} for {@code load_state_dict}, atomically (see the class documentation for dtypes). */
    public static void save(Path file, Module model) {
        Map<String, Tensor> state = model.stateDict();
        Map<String, SafeTensors.DType> dtypes = new LinkedHashMap<>();
        for (String key : state.keySet()) {
            if (key.equals(INT64_BUFFER) || key.endsWith("." + INT64_BUFFER)) dtypes.put(key, SafeTensors.DType.I64);
        }
        SafeTensors.save(file, state, Map.of(), dtypes);
    }

    /**
     * Loads a state dict saved by PyTorch (or by {@link #save}) into {@code model}, as {@code load_state_dict(state,
     * strict)}: shapes must match, and with {@code strict} so must the keys.
     *
     * @return the missing and unexpected keys (both empty when {@code strict})
     * @throws IllegalArgumentException naming the file and every missing, unexpected or mis-shaped key, or why the file
     *                                  cannot be read; the model is then unchanged
     */
    public static Module.LoadResult load(Path file, Module model, boolean strict) {
        Map<String, Tensor> state = SafeTensors.load(file);
        try {
            return model.loadStateDict(state, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PyTorch state dict " + file + ": " + e.getMessage(), e);
        }
    }
}

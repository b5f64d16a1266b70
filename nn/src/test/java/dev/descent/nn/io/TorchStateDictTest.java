package dev.descent.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch state dicts both ways, against {@code fixtures/torch_state_dict/}, written by {@code torch_state_dict.py}
 * (PyTorch 1.13): a model trained in PyTorch gives PyTorch's outputs in descent, and a state dict written by descent
 * loads strictly into PyTorch, which then gives descent's outputs. Outputs agree within {@code 1e-12 + 1e-9·|torch|}
 * (both sides compute in float64 from the same weights).
 */
class TorchStateDictTest {
    @TempDir
    Path dir;

    @Test
    void aModelTrainedInPyTorchGivesPyTorchsOutputsInDescent() {
        Module model = TorchStateDictFixture.model(new Rng(1));
        Module.LoadResult r = TorchStateDict.load(fixture("torch_state_dict.safetensors"), model, true);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertEquals(List.copyOf(SafeTensors.load(fixture("torch_state_dict.safetensors")).keySet()), List.copyOf(model.stateDict().keySet()),
                "the same keys in the same order as PyTorch's state_dict()");
        assertEquals(20.0, model.stateDict().get("1.num_batches_tracked").item(), "the int64 counter of 20 SGD steps");
        assertEquals(SafeTensors.DType.F32, SafeTensors.read(fixture("torch_state_dict.safetensors")).dtypes().get("0.weight"),
                "PyTorch's float32 weights, widened exactly");
        checkOutputs(model, SafeTensors.load(fixture("torch_state_dict_outputs.safetensors")));
    }

    @Test
    void aStateDictWrittenByDescentLoadsIntoPyTorchAndGivesDescentsOutputs() {
        Path written = fixture("descent_state_dict.safetensors");
        Module model = TorchStateDictFixture.model(new Rng(1));
        TorchStateDict.load(written, model, true);
        // The committed file is what TorchStateDict.save writes: the same keys, dtypes and values after a round trip.
        Path again = dir.resolve("again.safetensors");
        TorchStateDict.save(again, model);
        SafeTensors.Contents expected = SafeTensors.read(written), actual = SafeTensors.read(again);
        assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
        assertEquals(expected.dtypes(), actual.dtypes());
        assertEquals(SafeTensors.DType.I64, actual.dtypes().get("1.num_batches_tracked"), "int64, as PyTorch keeps it");
        assertEquals(SafeTensors.DType.F64, actual.dtypes().get("1.running_var"));
        expected.tensors().forEach((k, t) -> assertArrayEquals(t.toArray(), actual.tensors().get(k).toArray(), k));
        assertEquals(10.0, model.stateDict().get("1.num_batches_tracked").item(), "10 steps of gradient descent");
        // PyTorch loaded it with load_state_dict(strict=True) and computed these:
        checkOutputs(model, SafeTensors.load(fixture("descent_state_dict_torch_outputs.safetensors")));
    }

    @Test
    void aMismatchedModelIsRefusedNamingTheFileAndTheKeysAndIsLeftUnchanged() {
        Module other = new Sequential(new Linear(5, 8, new Rng(2)), new Linear(8, 3, new Rng(3)));
        Map<String, Tensor> before = other.stateDict();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchStateDict.load(fixture("torch_state_dict.safetensors"), other, true));
        assertTrue(e.getMessage().startsWith("PyTorch state dict " + fixture("torch_state_dict.safetensors") + ": Error(s) in loading state_dict for Sequential"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"1.weight\"") || e.getMessage().contains("size mismatch for 1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("\"1.num_batches_tracked\""), e.getMessage());
        other.stateDict().forEach((k, t) -> assertArrayEquals(before.get(k).toArray(), t.toArray(), k));
    }

    /** Eval-mode output, then training-mode output (batch statistics) and the running statistics it leaves. */
    private static void checkOutputs(Module model, Map<String, Tensor> torch) {
        Tensor x = torch.get("input");
        model.eval();
        close("eval", torch.get("eval"), model.forward(x));
        model.train();
        close("train", torch.get("train"), model.forward(x));
        close("1.running_mean", torch.get("1.running_mean"), model.stateDict().get("1.running_mean"));
        close("1.running_var", torch.get("1.running_var"), model.stateDict().get("1.running_var"));
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-12 + 1e-9 * Math.abs(e[i]), what + "[" + i + "]");
    }

    private static Path fixture(String name) {
        try {
            return Path.of(TorchStateDictTest.class.getResource("/fixtures/torch_state_dict/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

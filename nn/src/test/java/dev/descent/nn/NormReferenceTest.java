package dev.descent.nn;

import static dev.descent.nn.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * BatchNorm1d, BatchNorm2d, LayerNorm and GroupNorm, with their options, agree with PyTorch: training outputs, the
 * gradients of {@code (out * w).sum()} with respect to the input, weight and bias, the running statistics after several passes, and then the eval output,
 * within {@code 1e-12 + 1e-10·|torch|} per element. The cases are in {@code fixtures/torch_norms.json}, written by the
 * committed script {@code fixtures/torch_norms.py}.
 */
class NormReferenceTest {

    @TestFactory
    Stream<DynamicTest> normsMatchPyTorch() {
        return Fixtures.cases("torch_norms").stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        int[] size = Fixtures.ints(c.getAsJsonArray("size"));
        JsonObject o = c.getAsJsonObject("options");
        double eps = o.get("eps").getAsDouble();
        Module m = switch (c.get("module").getAsString()) {
            case "BatchNorm1d" -> new BatchNorm1d(size[0], batchNormOptions(o));
            case "BatchNorm2d" -> new BatchNorm2d(size[0], batchNormOptions(o));
            case "LayerNorm" -> new LayerNorm(size, new LayerNorm.Options(eps, o.get("elementwise_affine").getAsBoolean()));
            case "GroupNorm" -> new GroupNorm(size[0], size[1], new GroupNorm.Options(eps, o.get("affine").getAsBoolean()));
            default -> throw new IllegalArgumentException(c.get("module").getAsString());
        };
        Map<String, Tensor> params = m.namedParameters();
        boolean affine = c.has("weight");
        assertEquals(affine ? 2 : 0, params.size(), "parameters");
        if (affine) {
            params.get("weight").copyFrom(tensor(c.getAsJsonObject("weight")));
            params.get("bias").copyFrom(tensor(c.getAsJsonObject("bias")));
        }
        m.train();
        for (JsonElement e : c.getAsJsonArray("steps")) {
            JsonObject step = e.getAsJsonObject();
            Tensor x = tensor(step.getAsJsonObject("input")).requiresGrad(true);
            m.zeroGrad();
            Tensor y;
            try (Tape tape = Tape.record()) {
                y = m.forward(x);
                tape.backward(y, tensor(step.getAsJsonObject("w")));
            }
            close("output", step, y);
            close("grad_input", step, x.grad());
            if (affine) {
                close("grad_weight", step, params.get("weight").grad());
                close("grad_bias", step, params.get("bias").grad());
            }
        }
        Map<String, Tensor> own = m.namedBuffers();
        JsonObject buffers = c.has("buffers") ? c.getAsJsonObject("buffers") : new JsonObject();
        assertEquals(buffers.keySet(), own.keySet());
        for (String k : buffers.keySet()) close(k, buffers, own.get(k));
        m.eval();
        JsonObject eval = c.getAsJsonObject("eval");
        close("output", eval, m.forward(tensor(eval.getAsJsonObject("input"))));
    }

    private static BatchNorm.Options batchNormOptions(JsonObject o) {
        JsonElement momentum = o.get("momentum");
        return new BatchNorm.Options(o.get("eps").getAsDouble(), momentum.isJsonNull() ? null : momentum.getAsDouble(),
                o.get("affine").getAsBoolean(), o.get("track_running_stats").getAsBoolean());
    }

    private static void close(String key, JsonObject holder, Tensor actual) {
        Fixtures.assertClose(key, tensor(holder.getAsJsonObject(key)), actual);
    }
}

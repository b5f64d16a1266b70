package dev.descent.nn;

import static dev.descent.nn.Fixtures.assertClose;
import static dev.descent.nn.Fixtures.tensor;

import com.google.gson.JsonObject;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Embedding and the activation modules with options agree with PyTorch: outputs and the gradients of
 * {@code (out * w).sum()} with respect to the input (activations) or the weight (Embedding, repeated indices and a
 * padding row included), within {@code 1e-12 + 1e-10·|torch|}. The cases are in {@code fixtures/torch_layers.json},
 * written by {@code fixtures/torch_layers.py}.
 */
class LayerReferenceTest {

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        return Fixtures.cases("torch_layers").stream().map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        JsonObject a = c.getAsJsonObject("args");
        Tensor input = tensor(c.getAsJsonObject("input"));
        Module m = switch (c.get("module").getAsString()) {
            case "GELU" -> new GELU(a.get("approximate").getAsString());
            case "Softplus" -> new Softplus(a.get("beta").getAsDouble(), a.get("threshold").getAsDouble());
            case "Hardtanh" -> new Hardtanh(a.get("min_val").getAsDouble(), a.get("max_val").getAsDouble());
            case "Hardswish" -> new Hardswish();
            case "Mish" -> new Mish();
            case "SELU" -> new SELU();
            case "CELU" -> new CELU(a.get("alpha").getAsDouble());
            case "LogSigmoid" -> new LogSigmoid();
            case "Softsign" -> new Softsign();
            case "Embedding" -> {
                Tensor weight = tensor(c.getAsJsonObject("weight"));
                Embedding e = new Embedding(weight.shape(0), weight.shape(1), a.has("padding_idx") ? a.get("padding_idx").getAsInt() : null, new Rng(0));
                e.namedParameters().get("weight").copyFrom(weight);
                yield e;
            }
            default -> throw new IllegalArgumentException(c.get("module").getAsString());
        };
        boolean embedding = m instanceof Embedding;
        Tensor x = embedding ? input : input.requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = m.forward(x);
            tape.backward(y, tensor(c.getAsJsonObject("w")));
        }
        assertClose("output", tensor(c.getAsJsonObject("output")), y);
        if (embedding) {
            assertClose("grad_weight", tensor(c.getAsJsonObject("grad_weight")), m.namedParameters().get("weight").grad());
        } else {
            assertClose("grad_input", tensor(c.getAsJsonObject("grad_input")), x.grad());
        }
    }
}

package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.descent.core.Conv2dOptions;
import dev.descent.core.Pool2dOptions;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import dev.descent.nn.io.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Conv1d, Conv2d, ConvTranspose2d and the pooling layers agree with PyTorch 1.13: outputs and the gradients of
 * {@code (out * w).sum()} with respect to the input and every parameter, within {@code 1e-12 + 1e-9·|torch|} per
 * element; and a state dict saved by PyTorch loads into the same CNN built from descent layers and gives PyTorch's
 * outputs; ResNet's BasicBlock (identity and projection shortcuts) agrees with torchvision's in training and eval
 * mode. The cases are in {@code fixtures/torch_conv.json} and {@code fixtures/torch_cnn.safetensors}, written by
 * the committed script {@code fixtures/torch_conv.py}.
 */
class ConvReferenceTest {
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-9;

    private static JsonObject fixture() throws IOException {
        try (InputStream in = ConvReferenceTest.class.getResourceAsStream("/fixtures/torch_conv.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() throws IOException {
        return StreamSupport.stream(fixture().getAsJsonArray("cases").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    /** The descent layer for a fixture's class name and PyTorch constructor arguments. */
    private static Module build(String name, JsonObject a) {
        Rng rng = new Rng(0); // the parameters are overwritten with PyTorch's
        return switch (name) {
            case "Conv2d" -> new Conv2d(integer(a, "in"), integer(a, "out"), ints(a, "kernel")[0], ints(a, "kernel")[1],
                    conv(a), a.get("bias").getAsBoolean(), rng);
            case "Conv1d" -> new Conv1d(integer(a, "in"), integer(a, "out"), ints(a, "kernel")[0], ints(a, "stride")[0],
                    ints(a, "padding")[0], ints(a, "dilation")[0], integer(a, "groups"), a.get("bias").getAsBoolean(), rng);
            case "ConvTranspose2d" -> new ConvTranspose2d(integer(a, "in"), integer(a, "out"), ints(a, "kernel")[0],
                    ints(a, "kernel")[1], conv(a), ints(a, "output_padding")[0], ints(a, "output_padding")[1],
                    a.get("bias").getAsBoolean(), rng);
            case "MaxPool2d" -> new MaxPool2d(pool(a));
            case "AvgPool2d" -> new AvgPool2d(pool(a), a.get("count_include_pad").getAsBoolean());
            case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(ints(a, "output_size")[0], ints(a, "output_size")[1]);
            case "AdaptiveMaxPool2d" -> new AdaptiveMaxPool2d(ints(a, "output_size")[0], ints(a, "output_size")[1]);
            default -> throw new IllegalArgumentException("no descent layer for fixture module '" + name + "'");
        };
    }

    private static Conv2dOptions conv(JsonObject a) {
        int[] s = ints(a, "stride"), p = ints(a, "padding"), d = ints(a, "dilation");
        return new Conv2dOptions(s[0], s[1], p[0], p[1], d[0], d[1], integer(a, "groups"));
    }

    private static Pool2dOptions pool(JsonObject a) {
        int[] k = ints(a, "kernel"), s = ints(a, "stride"), p = ints(a, "padding"), d = ints(a, "dilation");
        return new Pool2dOptions(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], a.get("ceil_mode").getAsBoolean());
    }

    private static void replay(JsonObject c) {
        Module m = build(c.get("module").getAsString(), c.getAsJsonObject("args"));
        pass(withParameters(m, c), c);
    }

    /** Copies the fixture's "params" into the module, after checking that the names agree; returns the module. */
    private static Module withParameters(Module m, JsonObject c) {
        Map<String, Tensor> params = m.namedParameters();
        JsonObject given = c.getAsJsonObject("params");
        assertEquals(given.keySet(), params.keySet(), "parameter names");
        for (String k : given.keySet()) params.get(k).copyFrom(tensor(given.getAsJsonObject(k)));
        return m;
    }

    /** One forward and backward pass of {@code step}'s input, checked against its output and gradients. */
    private static void pass(Module m, JsonObject step) {
        Tensor x = tensor(step.getAsJsonObject("input")).requiresGrad(true);
        m.zeroGrad();
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = m.forward(x);
            tape.backward(y, tensor(step.getAsJsonObject("w")));
        }
        close("output", step, y);
        close("grad_input", step, x.grad());
        JsonObject grads = step.getAsJsonObject("grads");
        Map<String, Tensor> params = m.namedParameters();
        for (String k : grads.keySet()) close(k, grads, params.get(k).grad());
    }

    @TestFactory
    Stream<DynamicTest> basicBlocksMatchTorchvisions() throws IOException {
        return StreamSupport.stream(fixture().getAsJsonArray("blocks").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replayBlock(c)));
    }

    /** Two training passes (outputs and every gradient), the running statistics after them, then an eval pass. */
    private static void replayBlock(JsonObject c) {
        JsonObject a = c.getAsJsonObject("args");
        Module block = withParameters(new BasicBlock(integer(a, "in"), integer(a, "out"), integer(a, "stride"), new Rng(0)), c);
        block.train();
        for (JsonElement e : c.getAsJsonArray("steps")) pass(block, e.getAsJsonObject());
        JsonObject buffers = c.getAsJsonObject("buffers");
        Map<String, Tensor> own = block.namedBuffers();
        assertEquals(buffers.keySet(), own.keySet(), "buffer names");
        for (String k : buffers.keySet()) close(k, buffers, own.get(k));
        block.eval();
        JsonObject eval = c.getAsJsonObject("eval");
        close("output", eval, block.forward(tensor(eval.getAsJsonObject("input"))));
    }

    @Test
    void aStateDictSavedByPyTorchLoadsIntoTheSameCnnAndGivesItsOutputs() throws IOException, URISyntaxException {
        Rng rng = new Rng(1);
        Module net = new Sequential(
                new Conv2d(1, 4, 3, Conv2dOptions.DEFAULT.padding(1), rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 6, 3, 3, Conv2dOptions.DEFAULT.stride(2).padding(1), false, rng), new ReLU(),
                new AvgPool2d(Pool2dOptions.of(2).ceilMode(true), true),
                new Conv2d(6, 6, 1, Conv2dOptions.DEFAULT.groups(2), rng), new AdaptiveAvgPool2d(1), new Flatten(),
                new Linear(6, 3, rng));
        Path file = Path.of(ConvReferenceTest.class.getResource("/fixtures/torch_cnn.safetensors").toURI());
        Module.LoadResult r = net.loadStateDict(SafeTensors.load(file), true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r::toString);
        net.eval();
        JsonObject cnn = fixture().getAsJsonObject("cnn");
        close("output", cnn, net.forward(tensor(cnn.getAsJsonObject("input"))));
    }

    private static void close(String key, JsonObject holder, Tensor actual) {
        Tensor expected = tensor(holder.getAsJsonObject(key));
        assertArrayEquals(expected.shape(), actual.shape(), key + " shape");
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            int at = i;
            assertTrue(diff <= ATOL + RTOL * Math.abs(e[i]), () -> key + "[" + at + "]: descent " + a[at] + ", torch " + e[at]);
        }
    }

    private static Tensor tensor(JsonObject o) {
        JsonArray v = o.getAsJsonArray("values");
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) values[i] = v.get(i).getAsDouble();
        return Tensor.of(values, ints(o, "shape"));
    }

    private static int integer(JsonObject o, String key) {
        return o.get(key).getAsInt();
    }

    private static int[] ints(JsonObject o, String key) {
        JsonArray a = o.getAsJsonArray(key);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }
}

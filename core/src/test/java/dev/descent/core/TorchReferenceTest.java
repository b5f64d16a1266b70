package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every op agrees with PyTorch: forward values, and the gradient of {@code (out * w).sum()} with respect to each
 * input for a fixed random {@code w}, within {@code |descent - torch| <= 1e-12 + 1e-10 |torch|} per element.
 *
 * <p>The cases live in {@code fixtures/torch_ops.json}, written (float64, fixed seed) by the committed script
 * {@code fixtures/torch_ops.py}; rerun it to regenerate them. Cases whose name mentions a PyTorch convention sit on a
 * non-smooth point (relu and abs at 0, max ties, clamp on its bounds, ...) where the gradient is a choice, and check
 * that descent makes PyTorch's.
 */
class TorchReferenceTest {
    private static final String FIXTURE = "/fixtures/torch_ops.json";
    /** NaN, infinities and zero-size tensors, from {@code fixtures/torch_special_values.py}. */
    private static final String SPECIAL = "/fixtures/torch_special_values.json";
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-10;

    /** One input of a case: its value, and PyTorch's gradient (null for inputs that are not differentiated). */
    record Input(Tensor value, Tensor grad) {}

    record Case(String name, String op, JsonObject args, List<Input> inputs, Tensor w, Tensor output) {}

    @TestFactory
    Stream<DynamicTest> descentMatchesPyTorch() {
        return load(FIXTURE).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    /** PyTorch's conventions at NaN and infinities (pow, maximum/minimum, relu, elu, ...) and on zero-size tensors. */
    @TestFactory
    Stream<DynamicTest> descentMatchesPyTorchAtSpecialValues() {
        return load(SPECIAL).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        List<Tensor> xs = new ArrayList<>();
        for (Input in : c.inputs()) xs.add(in.value().copy().requiresGrad(in.grad() != null));
        Tensor out;
        try (Tape tape = Tape.record()) {
            out = apply(c.op(), c.args(), xs.toArray(Tensor[]::new));
            // seeding backward with w is the gradient of (out * w).sum()
            tape.backward(out, c.w());
        }
        List<Executable> checks = new ArrayList<>();
        Tensor result = out;
        checks.add(() -> assertClose("output", c.output(), result));
        for (int i = 0; i < xs.size(); i++) {
            Tensor expected = c.inputs().get(i).grad(), actual = xs.get(i).grad();
            String what = "gradient of input " + i;
            if (expected == null) {
                checks.add(() -> assertNull(actual, what + " should not be computed"));
            } else {
                checks.add(() -> {
                    assertNotNull(actual, what + " was not computed");
                    assertClose(what, expected, actual);
                });
            }
        }
        assertAll(c.name(), checks);
    }

    /** The descent call for a fixture's op name and arguments. */
    private static Tensor apply(String op, JsonObject args, Tensor[] x) {
        return switch (op) {
            case "add" -> x[0].add(x[1]);
            case "sub" -> x[0].sub(x[1]);
            case "mul" -> x[0].mul(x[1]);
            case "div" -> x[0].div(x[1]);
            case "pow" -> x[0].pow(x[1]);
            case "powScalar" -> x[0].pow(number(args, "p"));
            case "exp" -> x[0].exp();
            case "log" -> x[0].log();
            case "sqrt" -> x[0].sqrt();
            case "abs" -> x[0].abs();
            case "erf" -> x[0].erf();
            case "sigmoid" -> x[0].sigmoid();
            case "tanh" -> x[0].tanh();
            case "relu" -> x[0].relu();
            case "leakyRelu" -> x[0].leakyRelu(number(args, "slope"));
            case "elu" -> x[0].elu(number(args, "alpha"));
            case "gelu" -> x[0].gelu();
            case "silu" -> x[0].silu();
            case "maximum" -> x[0].maximum(x[1]);
            case "minimum" -> x[0].minimum(x[1]);
            case "clamp" -> x[0].clamp(number(args, "lo"), number(args, "hi"));
            case "where" -> Tensor.where(x[0], x[1], x[2]);
            case "sum" -> x[0].sum(integer(args, "axis"), bool(args, "keepDims"));
            case "max" -> args.has("axis") ? x[0].max(integer(args, "axis"), bool(args, "keepDims")) : x[0].max();
            case "logSumExp" -> x[0].logSumExp(integer(args, "axis"), bool(args, "keepDims"));
            case "softmax" -> x[0].softmax(integer(args, "axis"));
            case "logSoftmax" -> x[0].logSoftmax(integer(args, "axis"));
            case "gather" -> x[0].gather(integer(args, "axis"), x[1]);
            case "indexSelect" -> x[0].indexSelect(integer(args, "axis"), ints(args, "indices"));
            case "permute" -> x[0].permute(ints(args, "dims"));
            case "concat" -> Tensor.concat(integer(args, "axis"), x);
            case "stack" -> Tensor.stack(integer(args, "axis"), x);
            case "matmul" -> x[0].matmul(x[1]);
            case "linear" -> Tensor.linear(x[0], x[1], x[2]);
            case "maxWithIndices" -> x[0].maxWithIndices(integer(args, "dim"), bool(args, "keepDim")).values();
            case "minWithIndices" -> x[0].minWithIndices(integer(args, "dim"), bool(args, "keepDim")).values();
            case "geluTanh" -> x[0].gelu("tanh");
            case "softplus" -> args.has("beta") ? x[0].softplus(number(args, "beta"), number(args, "threshold")) : x[0].softplus();
            case "hardtanh" -> x[0].hardtanh(number(args, "min"), number(args, "max"));
            case "hardswish" -> x[0].hardswish();
            case "mish" -> x[0].mish();
            case "selu" -> x[0].selu();
            case "celu" -> x[0].celu(number(args, "alpha"));
            case "logSigmoid" -> x[0].logSigmoid();
            case "softsign" -> x[0].softsign();
            case "embedding" -> args.has("paddingIdx") ? Tensor.embedding(x[1], x[0], integer(args, "paddingIdx")) : Tensor.embedding(x[1], x[0]);
            default -> throw new IllegalArgumentException("no descent op for fixture op '" + op + "'");
        };
    }

    /**
     * Shapes equal, and every element within ATOL + RTOL |expected|, where NaN must meet NaN and an infinity the same
     * infinity; a failure reports the worst element.
     */
    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toArray(), a = actual.toArray();
        int bad = 0, worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(a[i] - e[i]), allowed = ATOL + RTOL * Math.abs(e[i]);
            boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Double.isInfinite(e[i]) ? a[i] == e[i] : diff <= allowed;
            if (!same) {
                bad++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            fail(String.format("%s: %d of %d elements differ from PyTorch; worst at flat index %d: descent %.17g, torch %.17g"
                    + " (|diff| %.3g)", what, bad, e.length, worst, a[worst], e[worst], Math.abs(a[worst] - e[worst])));
        }
    }

    // ---------------------------------------------------------------- reading the fixture

    private static List<Case> load(String fixture) {
        JsonObject root;
        try (InputStream in = TorchReferenceTest.class.getResourceAsStream(fixture)) {
            assertNotNull(in, fixture + " is missing; generate it with the script of the same name in fixtures/");
            root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonElement el : root.getAsJsonArray("cases")) {
            JsonObject c = el.getAsJsonObject();
            List<Input> inputs = new ArrayList<>();
            for (JsonElement i : c.getAsJsonArray("inputs")) {
                JsonObject o = i.getAsJsonObject();
                Tensor value = tensor(o.getAsJsonArray("values"), o.getAsJsonArray("shape"));
                Tensor grad = o.get("grad").isJsonNull() ? null : tensor(o.getAsJsonArray("grad"), o.getAsJsonArray("shape"));
                inputs.add(new Input(value, grad));
            }
            cases.add(new Case(c.get("name").getAsString(), c.get("op").getAsString(), c.getAsJsonObject("args"), inputs,
                    tensor(c.getAsJsonObject("w")), tensor(c.getAsJsonObject("output"))));
        }
        assertFalse(cases.isEmpty(), fixture + " holds no cases");
        return cases;
    }

    private static Tensor tensor(JsonObject o) {
        return tensor(o.getAsJsonArray("values"), o.getAsJsonArray("shape"));
    }

    private static Tensor tensor(JsonArray values, JsonArray shape) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i).getAsDouble();
        return Tensor.of(v, toInts(shape));
    }

    private static int[] toInts(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
        return r;
    }

    private static double number(JsonObject args, String key) {
        return args.get(key).getAsDouble();
    }

    private static int integer(JsonObject args, String key) {
        return args.get(key).getAsInt();
    }

    private static boolean bool(JsonObject args, String key) {
        return args.get(key).getAsBoolean();
    }

    private static int[] ints(JsonObject args, String key) {
        return toInts(args.getAsJsonArray(key));
    }
}

package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every optimizer follows PyTorch's trajectory, step by step, within {@code |a − b| <= 1e-12 + 1e-9 |b|}.
 *
 * <p>The trajectories live in {@code fixtures/torch_optim.json}, written by the committed script
 * {@code fixtures/torch_optim.py} (PyTorch 1.13, float64, single-tensor implementations): each configuration for 50
 * steps on Rosenbrock, an ill-conditioned quadratic and a saddle (there the final per-parameter state, under
 * PyTorch's names, is compared too), and one configuration each on a small MLP (four
 * parameters of different shapes, stepped through {@link Optimizer#step(java.util.function.Supplier)}). Here descent's
 * tape supplies the gradients.
 */
class OptimizerReferenceTest {
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-9;

    @TestFactory
    Stream<DynamicTest> optimizersFollowPyTorch() {
        JsonObject root = load();
        return StreamSupport.stream(root.getAsJsonArray("cases").spliterator(), false).map(JsonElement::getAsJsonObject).map(c -> {
            String name = c.get("optimizer").getAsString() + " " + c.getAsJsonObject("options") + " on " + c.get("problem").getAsString();
            return DynamicTest.dynamicTest(name, () -> check(c));
        });
    }

    @TestFactory
    Stream<DynamicTest> optimizersFollowPyTorchOnASmallMlp() {
        JsonObject mlp = load().getAsJsonObject("mlp");
        return StreamSupport.stream(mlp.getAsJsonArray("cases").spliterator(), false).map(JsonElement::getAsJsonObject).map(c -> {
            String name = c.get("optimizer").getAsString() + " " + c.getAsJsonObject("options") + " on an MLP";
            return DynamicTest.dynamicTest(name, () -> checkMlp(mlp, c));
        });
    }

    /** A 3 -> 4 (tanh) -> 1 network with a mean-squared error over 8 fixed examples, as the fixture script builds it. */
    private static void checkMlp(JsonObject mlp, JsonObject c) {
        Tensor x = Tensor.matrix(Fixtures.matrix(mlp.getAsJsonArray("x"))), y = Tensor.matrix(Fixtures.matrix(mlp.getAsJsonArray("y")));
        JsonArray shapes = mlp.getAsJsonArray("shapes"), start = mlp.getAsJsonArray("start");
        List<Tensor> params = new java.util.ArrayList<>();
        for (int i = 0; i < start.size(); i++) {
            int[] shape = StreamSupport.stream(shapes.get(i).getAsJsonArray().spliterator(), false).mapToInt(JsonElement::getAsInt).toArray();
            params.add(Tensor.of(Fixtures.doubles(start.get(i).getAsJsonArray()), shape).requiresGrad(true));
        }
        Tensor w1 = params.get(0), b1 = params.get(1), w2 = params.get(2), b2 = params.get(3);
        Optimizer<?> optimizer = build(c.get("optimizer").getAsString(), c.getAsJsonObject("options"), params);
        JsonArray expected = c.getAsJsonArray("trajectory");
        for (int t = 0; t < expected.size(); t++) {
            optimizer.step(() -> {
                optimizer.zeroGrad();
                try (Tape tape = Tape.record()) {
                    Tensor loss = x.matmul(w1.t()).add(b1).tanh().matmul(w2.t()).add(b2).sub(y).square().mean();
                    tape.backward(loss);
                    return loss;
                }
            });
            for (int k = 0; k < params.size(); k++) {
                assertClose(params.get(k).toArray(), Fixtures.doubles(expected.get(t).getAsJsonArray().get(k).getAsJsonArray()), "step " + (t + 1) + ", parameter " + k);
            }
        }
    }

    /** The final state has PyTorch's entries under PyTorch's names, with PyTorch's values. */
    private static void checkState(StateDict.ParamState actual, JsonObject expected) {
        java.util.Set<String> names = new java.util.TreeSet<>(actual.buffers().keySet());
        names.addAll(actual.scalars().keySet());
        java.util.Set<String> torchNames = new java.util.TreeSet<>(expected.keySet());
        torchNames.remove("step");
        assertEquals(torchNames, names, "state entries");
        for (Map.Entry<String, JsonElement> e : expected.entrySet()) {
            String name = e.getKey();
            if (name.equals("step")) {
                assertEquals(e.getValue().getAsDouble(), actual.step(), "step");
            } else if (e.getValue().isJsonArray()) {
                assertClose(actual.buffers().get(name), Fixtures.doubles(e.getValue().getAsJsonArray()), "final " + name);
            } else {
                assertClose(new double[] {actual.scalars().get(name)}, new double[] {e.getValue().getAsDouble()}, "final " + name);
            }
        }
    }

    private static void assertClose(double[] actual, double[] want, String where) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(actual[i] - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) {
                fail(where + ", element " + i + ": descent " + actual[i] + ", torch " + want[i]);
            }
        }
    }

    private static void check(JsonObject c) {
        Tensor p = Tensor.vector(Fixtures.doubles(c.getAsJsonArray("start"))).requiresGrad(true);
        Optimizer<?> optimizer = build(c.get("optimizer").getAsString(), c.getAsJsonObject("options"), List.of(p));
        JsonArray expected = c.getAsJsonArray("trajectory");
        double[][] actual = Problems.run(optimizer, c.get("problem").getAsString(), p, expected.size() - 1);
        for (int t = 0; t < actual.length; t++) {
            assertClose(actual[t], Fixtures.doubles(expected.get(t + 1).getAsJsonArray()), "step " + (t + 1));
        }
        checkState(optimizer.stateDict().state().get(0), c.getAsJsonObject("state"));
    }

    /**
     * Builds the optimizer from its {@code DEFAULTS} (SGD, whose lr is required, from {@code SGD.Options.lr}) and the
     * fixture's options, each applied through the {@code Options} record's wither of the same camelCase name, so the
     * fixture also checks that descent's names are PyTorch's.
     */
    static Optimizer<?> build(String name, JsonObject options, List<Tensor> params) {
        try {
            Class<?> type = Class.forName("dev.descent.optim." + name);
            Object o = name.equals("SGD") ? SGD.Options.lr(options.get("lr").getAsDouble()) : type.getField("DEFAULTS").get(null);
            for (Map.Entry<String, JsonElement> e : options.entrySet()) {
                String wither = "with" + Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1);
                JsonElement v = e.getValue();
                if (v.isJsonArray()) {
                    o = o.getClass().getMethod(wither, double.class, double.class)
                            .invoke(o, v.getAsJsonArray().get(0).getAsDouble(), v.getAsJsonArray().get(1).getAsDouble());
                } else if (v.getAsJsonPrimitive().isBoolean()) {
                    o = o.getClass().getMethod(wither, boolean.class).invoke(o, v.getAsBoolean());
                } else {
                    o = o.getClass().getMethod(wither, double.class).invoke(o, v.getAsDouble());
                }
            }
            return (Optimizer<?>) type.getConstructor(List.class, o.getClass()).newInstance(params, o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build " + name + " with " + options, e);
        }
    }

    private static JsonObject load() {
        JsonObject root = Fixtures.load("torch_optim");
        assertEquals(50, root.get("steps").getAsInt());
        return root;
    }
}

package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * L-BFGS follows PyTorch, step by step, within {@code |a − b| <= 1e-12 + 1e-9 |b|}: the parameters and returned loss
 * after each of 5 steps (up to 20 inner iterations each) and the final optimizer-wide state (counters, last direction,
 * step length and the whole (s, y) history), with and without the strong-Wolfe line search, on Rosenbrock, the
 * ill-conditioned quadratic and the small MLP, and two short fixed-step runs on the saddle. The fixture {@code fixtures/torch_lbfgs.json} is written by the
 * committed script {@code fixtures/torch_lbfgs.py}.
 */
class LBFGSReferenceTest {
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-9;

    @TestFactory
    Stream<DynamicTest> lbfgsFollowsPyTorch() {
        JsonObject root = Fixtures.load("torch_lbfgs");
        JsonObject mlp = root.getAsJsonObject("mlp");
        return StreamSupport.stream(root.getAsJsonArray("cases").spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest("LBFGS " + c.getAsJsonObject("options") + " on " + c.get("problem").getAsString(),
                        () -> check(c, mlp)));
    }

    private static void check(JsonObject c, JsonObject mlp) {
        List<Tensor> params = new ArrayList<>();
        String problem = c.get("problem").getAsString();
        Supplier<Tensor> loss;
        if (problem.equals("mlp")) {
            Tensor x = Tensor.matrix(Fixtures.matrix(mlp.getAsJsonArray("x"))), y = Tensor.matrix(Fixtures.matrix(mlp.getAsJsonArray("y")));
            JsonArray shapes = mlp.getAsJsonArray("shapes"), start = mlp.getAsJsonArray("start");
            for (int i = 0; i < start.size(); i++) {
                int[] shape = StreamSupport.stream(shapes.get(i).getAsJsonArray().spliterator(), false).mapToInt(JsonElement::getAsInt).toArray();
                params.add(Tensor.of(Fixtures.doubles(start.get(i).getAsJsonArray()), shape).requiresGrad(true));
            }
            Tensor w1 = params.get(0), b1 = params.get(1), w2 = params.get(2), b2 = params.get(3);
            loss = () -> x.matmul(w1.t()).add(b1).tanh().matmul(w2.t()).add(b2).sub(y).square().mean();
        } else {
            Tensor p = Tensor.vector(Fixtures.doubles(c.getAsJsonArray("start"))).requiresGrad(true);
            params.add(p);
            loss = () -> Problems.loss(problem, p);
        }
        LBFGS lbfgs = new LBFGS(params, options(c.getAsJsonObject("options")));
        Supplier<Tensor> closure = () -> {
            lbfgs.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor l = loss.get();
                tape.backward(l);
                return l;
            }
        };
        JsonArray steps = c.getAsJsonArray("steps");
        for (int t = 0; t < steps.size(); t++) {
            JsonObject want = steps.get(t).getAsJsonObject();
            double got = lbfgs.step(closure).item();
            assertClose(new double[] {got}, new double[] {want.get("loss").getAsDouble()}, "loss returned by step " + (t + 1));
            for (int k = 0; k < params.size(); k++) {
                assertClose(params.get(k).toArray(), Fixtures.doubles(want.getAsJsonArray("params").get(k).getAsJsonArray()), "step " + (t + 1) + ", parameter " + k);
            }
        }
        StateDict.GlobalState state = lbfgs.stateDict().global();
        for (Map.Entry<String, JsonElement> e : c.getAsJsonObject("state").entrySet()) {
            if (e.getValue().isJsonArray()) {
                double[] want = Fixtures.doubles(e.getValue().getAsJsonArray());
                assertEquals(want.length, state.arrays().get(e.getKey()).length, e.getKey() + " length");
                assertClose(state.arrays().get(e.getKey()), want, "final " + e.getKey());
            } else {
                assertClose(new double[] {state.scalars().get(e.getKey())}, new double[] {e.getValue().getAsDouble()}, "final " + e.getKey());
            }
        }
    }

    /** The fixture's options applied to {@link LBFGS#DEFAULTS} through the withers of the same camelCase names. */
    private static LBFGS.Options options(JsonObject json) {
        LBFGS.Options o = LBFGS.DEFAULTS;
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            JsonElement v = e.getValue();
            o = switch (e.getKey()) {
                case "lr" -> o.withLr(v.getAsDouble());
                case "maxIter" -> o.withMaxIter(v.getAsInt());
                case "maxEval" -> o.withMaxEval(v.getAsInt());
                case "historySize" -> o.withHistorySize(v.getAsInt());
                case "toleranceGrad" -> o.withToleranceGrad(v.getAsDouble());
                case "toleranceChange" -> o.withToleranceChange(v.getAsDouble());
                case "lineSearchFn" -> o.withLineSearchFn(v.getAsString());
                default -> throw new AssertionError("unknown option " + e.getKey());
            };
        }
        return o;
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new LBFGS.Options(1, 20, 25, 1e-7, 1e-9, 100, null), LBFGS.DEFAULTS);
        assertEquals(12, LBFGS.DEFAULTS.withMaxIter(10).maxEval(), "max_eval defaults to max_iter * 5 // 4");
        var e = assertThrows(IllegalArgumentException.class, () -> LBFGS.DEFAULTS.withLineSearchFn("backtracking"));
        assertEquals("only 'strong_wolfe' is supported, got 'backtracking'", e.getMessage());
    }

    @Test
    void lbfgsNeedsAClosureAndOneGroup() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p));
        assertThrows(UnsupportedOperationException.class, lbfgs::step);
        lbfgs.addParamGroup(List.of(Tensor.vector(1.0).requiresGrad(true)));
        var e = assertThrows(IllegalStateException.class, () -> lbfgs.step(() -> Problems.backward(lbfgs, "quadratic", p)));
        assertEquals("LBFGS doesn't support per-parameter options (parameter groups)", e.getMessage());
    }

    @Test
    void stateDictRoundTripContinuesTheSameTrajectory() {
        LBFGS.Options o = LBFGS.DEFAULTS.withMaxIter(3).withHistorySize(4).withLineSearchFn(LBFGS.STRONG_WOLFE);
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        LBFGS a = new LBFGS(List.of(p), o);
        for (int t = 0; t < 3; t++) a.step(() -> Problems.backward(a, "rosenbrock", p));
        var saved = a.stateDict();
        Tensor q = Tensor.vector(p.toArray()).requiresGrad(true);
        LBFGS b = new LBFGS(List.of(q), o);
        b.loadStateDict(saved);
        for (int t = 0; t < 3; t++) {
            a.step(() -> Problems.backward(a, "rosenbrock", p));
            b.step(() -> Problems.backward(b, "rosenbrock", q));
            assertArrayEquals(p.toArray(), q.toArray(), 0.0, "step " + (t + 4));
        }
        assertEquals(a.funcEvals(), b.funcEvals());
    }

    @Test
    void aThrowingClosureRestoresTheParametersAndState() {
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p), LBFGS.DEFAULTS.withLineSearchFn(LBFGS.STRONG_WOLFE).withMaxIter(3));
        lbfgs.step(() -> Problems.backward(lbfgs, "rosenbrock", p));
        double[] before = p.toArray();
        long evals = lbfgs.funcEvals();
        int[] calls = {0};
        assertThrows(IllegalStateException.class, () -> lbfgs.step(() -> {
            if (++calls[0] == 3) throw new IllegalStateException("boom");
            return Problems.backward(lbfgs, "rosenbrock", p);
        }));
        assertArrayEquals(before, p.toArray(), 0.0);
        assertEquals(evals, lbfgs.funcEvals());
    }

    private static void assertClose(double[] actual, double[] want, String where) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(actual[i] - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) {
                fail(where + ", element " + i + ": descent " + actual[i] + ", torch " + want[i]);
            }
        }
    }
}

package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bookkeeping every optimizer shares: groups, state dicts, skipping, closures, atomic steps and zeroing. */
class OptimizerTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.descent.optim.Optimizers#all")
    void stateDictRoundTripMidTrainingContinuesTheSameTrajectory(String name, Function<List<Tensor>, Optimizer<?>> make) {
        Tensor p = Tensor.vector(-1.2, 1.0).requiresGrad(true);
        Optimizer<?> optimizer = make.apply(List.of(p));
        Problems.run(optimizer, "rosenbrock", p, 20);
        double[] midway = p.toArray();
        var saved = optimizer.stateDict();
        double[][] uninterrupted = Problems.run(optimizer, "rosenbrock", p, 30);

        Tensor q = Tensor.vector(midway).requiresGrad(true);
        Optimizer<?> resumed = make.apply(List.of(q));
        load(resumed, saved);
        double[][] continued = Problems.run(resumed, "rosenbrock", q, 30);
        for (int t = 0; t < 30; t++) assertArrayEquals(uninterrupted[t], continued[t], 0.0, "step " + (21 + t));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void load(Optimizer optimizer, StateDict dict) {
        optimizer.loadStateDict(dict);
    }

    @Test
    void stateDictIsKeyedByParameterIndexAcrossGroupsAndIsACopy() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true), b = Tensor.vector(3).requiresGrad(true), c = Tensor.vector(4).requiresGrad(true);
        Adam adam = new Adam(List.of(a, b));
        adam.addParamGroup(List.of(c), Adam.DEFAULTS.withLr(0.1));
        a.setGrad(Tensor.vector(1, 1));
        c.setGrad(Tensor.vector(1));
        adam.step();
        StateDict<Adam.Options> dict = adam.stateDict();
        assertEquals(List.of(0, 1), dict.paramGroups().get(0).params());
        assertEquals(List.of(2), dict.paramGroups().get(1).params());
        assertEquals(0.1, dict.paramGroups().get(1).options().lr());
        assertEquals(Map.of(0, 1L, 2, 1L), Map.of(0, dict.state().get(0).step(), 2, dict.state().get(2).step()));
        assertFalse(dict.state().containsKey(1), "a parameter that never had a gradient has no state");
        double[] expAvg = dict.state().get(0).buffers().get("exp_avg").clone();
        adam.step();
        assertArrayEquals(expAvg, dict.state().get(0).buffers().get("exp_avg"), "later steps do not reach the snapshot");
    }

    @Test
    void loadStateDictRejectsAMismatchAndChangesNothing() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        Adam adam = new Adam(List.of(a));
        a.setGrad(Tensor.vector(1, 1));
        adam.step();
        StateDict<Adam.Options> before = adam.stateDict();
        Adam other = new Adam(List.of(Tensor.vector(1, 2).requiresGrad(true)), Adam.DEFAULTS.withAmsgrad(true));
        other.paramGroups().get(0).params().get(0).setGrad(Tensor.vector(1, 1));
        other.step();
        var e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(withOptions(other.stateDict(), Adam.DEFAULTS)));
        assertTrue(e.getMessage().contains("max_exp_avg_sq"), e.getMessage());
        assertStateEquals(before, adam.stateDict());
        Adam twoGroups = new Adam(List.of(Tensor.vector(1).requiresGrad(true)));
        twoGroups.addParamGroup(List.of(Tensor.vector(1).requiresGrad(true)));
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(twoGroups.stateDict()));
        assertTrue(e.getMessage().startsWith("loaded state dict has a different number of parameter groups"), e.getMessage());
    }

    @Test
    void optimizerWideStateIsRejectedByOptimizersThatKeepNone() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        Adam adam = new Adam(List.of(a));
        StateDict<Adam.Options> plain = adam.stateDict();
        assertSame(StateDict.GlobalState.NONE, plain.global());
        var foreign = new StateDict<>(plain.state(), plain.paramGroups(),
                new StateDict.GlobalState(Map.of("n_iter", 3.0), Map.of("d", new double[] {1, 2})));
        var e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(foreign));
        assertEquals("loaded state dict has optimizer-wide state [d][n_iter], which Adam does not keep", e.getMessage());
    }

    private static StateDict<Adam.Options> withOptions(StateDict<Adam.Options> dict, Adam.Options options) {
        return new StateDict<>(dict.state(), List.of(new StateDict.GroupState<>(options, dict.paramGroups().get(0).params())));
    }

    @Test
    void parametersWithoutAGradientAreSkipped() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true), b = Tensor.vector(3, 4).requiresGrad(true);
        SGD sgd = new SGD(List.of(a, b), SGD.Options.lr(0.5).withMomentum(0.9));
        a.setGrad(Tensor.vector(1, -1));
        sgd.step();
        assertArrayEquals(new double[] {0.5, 2.5}, a.toArray());
        assertArrayEquals(new double[] {3, 4}, b.toArray());
        assertEquals(List.of(0), List.copyOf(sgd.stateDict().state().keySet()));
    }

    @Test
    void zeroGradZeroesOrClears() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        SGD sgd = new SGD(List.of(a), 0.1);
        a.setGrad(Tensor.vector(3, 4));
        sgd.zeroGrad();
        assertArrayEquals(new double[] {0, 0}, a.grad().toArray());
        sgd.zeroGrad(true);
        assertNull(a.grad());
    }

    @Test
    void stepWithClosureRecomputesTheLossAndSteps() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        Tensor q = Tensor.vector(1.0, 1.0).requiresGrad(true);
        Adam withClosure = new Adam(List.of(p), Adam.DEFAULTS.withLr(0.1));
        Adam plain = new Adam(List.of(q), Adam.DEFAULTS.withLr(0.1));
        for (int t = 0; t < 5; t++) {
            Tensor loss = withClosure.step(() -> Problems.backward(withClosure, "quadratic", p));
            Tensor expected = Problems.backward(plain, "quadratic", q);
            plain.step();
            assertEquals(expected.item(), loss.item(), 0.0);
            assertArrayEquals(q.toArray(), p.toArray(), 0.0);
        }
    }

    @Test
    void aClosureMustReturnAScalar() {
        Tensor p = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> sgd.step(() -> {
            try (Tape tape = Tape.record()) {
                Tensor loss = p.square();
                tape.backward(loss.sum());
                return loss;
            }
        }));
        assertEquals("step: the closure must return a scalar loss, got a tensor of shape [2]", e.getMessage());
        assertArrayEquals(new double[] {1, 1}, p.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.descent.optim.Optimizers#all")
    void aFailingStepLeavesParametersAndStateUnchanged(String name, Function<List<Tensor>, Optimizer<?>> make) {
        Tensor a = Tensor.vector(-1.2, 1.0).requiresGrad(true), b = Tensor.vector(0.5, 0.5).requiresGrad(true);
        Optimizer<?> optimizer = make.apply(List.of(a, b));
        for (int t = 0; t < 3; t++) {
            a.setGrad(Tensor.vector(0.3 * t + 1, -2));
            b.setGrad(Tensor.vector(1, 0.5));
            optimizer.step();
        }
        double[] aBefore = a.toArray(), bBefore = b.toArray();
        StateDict<?> before = optimizer.stateDict();
        a.setGrad(Tensor.vector(1, 1));
        b.setGrad(Tensor.vector(1, Double.NaN));
        var e = assertThrows(IllegalStateException.class, optimizer::step);
        assertEquals("step: the gradient of parameter 1 (group 0) is NaN at element 1; nothing was changed", e.getMessage());
        assertArrayEquals(aBefore, a.toArray(), 0.0, "the parameter before the bad one was not updated");
        assertArrayEquals(bBefore, b.toArray(), 0.0);
        assertStateEquals(before, optimizer.stateDict());
    }

    @Test
    void optionsThatNeedOtherStateFailTheStepWithoutChangingAnything() {
        Tensor p = Tensor.vector(1.0, -1.0).requiresGrad(true);
        Adam adam = new Adam(List.of(p));
        p.setGrad(Tensor.vector(0.5, 0.5));
        adam.step();
        double[] before = p.toArray();
        StateDict<Adam.Options> state = adam.stateDict();
        adam.paramGroups().get(0).setOptions(Adam.DEFAULTS.withAmsgrad(true));
        var e = assertThrows(IllegalStateException.class, adam::step);
        assertEquals("step: parameter 0 (group 0) has state buffers for other options; its group now needs "
                + "[exp_avg, exp_avg_sq, max_exp_avg_sq]; nothing was changed", e.getMessage());
        assertArrayEquals(before, p.toArray(), 0.0);
        adam.paramGroups().get(0).setOptions(Adam.DEFAULTS);
        assertStateEquals(state, adam.stateDict());
    }

    private static void assertStateEquals(StateDict<?> expected, StateDict<?> actual) {
        assertEquals(expected.paramGroups(), actual.paramGroups());
        assertEquals(expected.state().keySet(), actual.state().keySet());
        expected.state().forEach((index, s) -> {
            assertEquals(s.step(), actual.state().get(index).step());
            s.buffers().forEach((buffer, values) -> assertArrayEquals(values, actual.state().get(index).buffers().get(buffer), 0.0, buffer));
        });
    }

    @Test
    void groupsHaveTheirOwnHyperparameters() {
        Tensor a = Tensor.vector(1.0, 1.0).requiresGrad(true), b = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD both = new SGD(List.of(a), SGD.Options.lr(0.01));
        ParamGroup<SGD.Options> second = both.addParamGroup(List.of(b), SGD.Options.lr(0.001).withMomentum(0.9));
        Tensor a1 = Tensor.vector(1.0, 1.0).requiresGrad(true), b1 = Tensor.vector(1.0, 1.0).requiresGrad(true);
        SGD onlyA = new SGD(List.of(a1), 0.01);
        SGD onlyB = new SGD(List.of(b1), SGD.Options.lr(0.001).withMomentum(0.9));
        for (int t = 0; t < 10; t++) {
            if (t == 5) {
                second.setLr(0.002);
                onlyB.paramGroups().get(0).setLr(0.002);
            }
            both.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(Problems.loss("quadratic", a).add(Problems.loss("rosenbrock", b)));
            }
            both.step();
            Problems.run(onlyA, "quadratic", a1, 1);
            Problems.run(onlyB, "rosenbrock", b1, 1);
        }
        assertArrayEquals(a1.toArray(), a.toArray(), 0.0);
        assertArrayEquals(b1.toArray(), b.toArray(), 0.0);
        assertSame(second, both.paramGroups().get(1));
        assertNotEquals(a.toArray()[0], b.toArray()[0]);
    }
}

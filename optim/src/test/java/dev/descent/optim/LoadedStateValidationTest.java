package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tensor;
import dev.descent.optim.schedule.CosineAnnealingWarmRestarts;
import dev.descent.optim.schedule.ReduceLROnPlateau;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Restoring never trusts its input: a loaded optimizer or scheduler state whose next step could write NaN, or that
 * does not have exactly the expected keys and shapes, is refused with the key named, and nothing changes.
 */
class LoadedStateValidationTest {
    /** Adam on a [3, 2] matrix and a [2] vector after two steps. */
    private static Adam stepped(double lr) {
        Tensor w = Tensor.of(new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, 3, 2).requiresGrad(true);
        Tensor b = Tensor.vector(0.5, -1).requiresGrad(true);
        Adam adam = new Adam(List.of(w, b), Adam.DEFAULTS.withLr(lr).withAmsgrad(true));
        for (int i = 0; i < 2; i++) {
            w.setGrad(Tensor.of(new double[] {1, -2, 3, 0.5, 0, -1}, 3, 2).mul(i + 1));
            b.setGrad(Tensor.vector(0.25, -0.75));
            adam.step();
        }
        return adam;
    }

    private static void assertRefused(String reason, Consumer<Map<String, Tensor>> mutation) {
        Adam source = stepped(0.01), target = stepped(0.5);
        Map<String, Tensor> state = new LinkedHashMap<>(source.stateTensors());
        mutation.accept(state);
        Map<String, Tensor> before = target.stateTensors();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateTensors(state));
        assertEquals(reason, e.getMessage());
        Map<String, Tensor> after = target.stateTensors();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v.toArray(), after.get(k).toArray(), "unchanged: " + k));
    }

    @Test
    void stateTensorsKeepParameterShapesAndRoundTripExactly() {
        Adam source = stepped(0.01), target = stepped(0.5);
        Map<String, Tensor> state = source.stateTensors();
        assertArrayEquals(new int[] {3, 2}, state.get("state.0.exp_avg").shape());
        assertArrayEquals(new int[] {3, 2}, state.get("state.0.max_exp_avg_sq").shape());
        assertArrayEquals(new int[] {2}, state.get("state.1.exp_avg_sq").shape());
        assertEquals(0.01, state.get("param_groups.0.lr").item());
        assertEquals(1.0, state.get("param_groups.0.amsgrad").item());
        target.loadStateTensors(state);
        Map<String, Tensor> back = target.stateTensors();
        assertEquals(state.keySet(), back.keySet());
        state.forEach((k, v) -> assertArrayEquals(v.toArray(), back.get(k).toArray(), k));
    }

    @Test
    void renamedMissingAndExtraKeysAreRefused() {
        assertRefused("optimizer state: missing key 'state.1.step'", s -> s.put("state.1.stfp", s.remove("state.1.step")));
        assertRefused("optimizer state: missing key 'state.0.exp_avg'", s -> s.remove("state.0.exp_avg"));
        assertRefused("optimizer state: unexpected key 'param_groups.0.momentum'", s -> s.put("param_groups.0.momentum", Tensor.scalar(0.9)));
        assertRefused("optimizer state: key 'state.7.step' is for parameter 7, which no group lists", s -> s.put("state.7.step", Tensor.scalar(1)));
    }

    @Test
    void stepCountsMustBeWholeNumbersACheckpointHoldsExactly() {
        assertRefused("optimizer state: 'state.0.step' is NaN, expected a whole number from 0 to 9007199254740992",
                s -> s.put("state.0.step", Tensor.scalar(Double.NaN)));
        assertRefused("optimizer state: 'state.0.step' is 2.5, expected a whole number from 0 to 9007199254740992",
                s -> s.put("state.0.step", Tensor.scalar(2.5)));
        assertRefused("optimizer state: 'state.0.step' is 9.223372036854776E18, expected a whole number from 0 to 9007199254740992",
                s -> s.put("state.0.step", Tensor.scalar(Long.MAX_VALUE)));
    }

    @Test
    void nonFiniteOrNegativeMomentsAndBadShapesAreRefused() {
        assertRefused("loaded state of parameter 0: buffer exp_avg has NaN at element 4, expected a finite value",
                s -> s.put("state.0.exp_avg", withElement(s.get("state.0.exp_avg"), 4, Double.NaN)));
        assertRefused("loaded state of parameter 1: buffer exp_avg_sq has -1.0E-300 at element 1, expected a finite non-negative value",
                s -> s.put("state.1.exp_avg_sq", withElement(s.get("state.1.exp_avg_sq"), 1, -1e-300)));
        assertRefused("loaded state of parameter 0: buffer max_exp_avg_sq has Infinity at element 0, expected a finite non-negative value",
                s -> s.put("state.0.max_exp_avg_sq", withElement(s.get("state.0.max_exp_avg_sq"), 0, Double.POSITIVE_INFINITY)));
        assertRefused("optimizer state: 'state.0.exp_avg' has shape [6], expected [3, 2]", s -> s.put("state.0.exp_avg", s.get("state.0.exp_avg").reshape(6)));
        assertRefused("optimizer state: 'param_groups.0.lr' is NaN, expected a finite number", s -> s.put("param_groups.0.lr", Tensor.scalar(Double.NaN)));
        assertRefused("optimizer state: the hyperparameters under 'param_groups.0.' are invalid: Invalid beta parameter at index 0: 1.5",
                s -> s.put("param_groups.0.beta1", Tensor.scalar(1.5)));
    }

    @Test
    void loadStateDictRefusesNullAndNonFiniteScalarsAndHugeSteps() {
        Tensor p = Tensor.vector(1, 2).requiresGrad(true);
        NAdam nadam = new NAdam(List.of(p));
        p.setGrad(Tensor.vector(0.5, -0.5));
        nadam.step();
        StateDict<NAdam.Options> good = nadam.stateDict();
        StateDict.ParamState s = good.state().get(0);
        Map<String, Double> nullScalar = new HashMap<>();
        nullScalar.put("mu_product", null);
        for (var bad : List.of(
                Map.entry(new StateDict.ParamState(s.step(), nullScalar, s.buffers()), "loaded state of parameter 0: scalar mu_product is null, expected a finite number"),
                Map.entry(new StateDict.ParamState(s.step(), Map.of("mu_product", Double.NaN), s.buffers()),
                        "loaded state of parameter 0: scalar mu_product is NaN, expected a finite number"),
                Map.entry(new StateDict.ParamState(Long.MAX_VALUE, s.scalars(), s.buffers()),
                        "loaded state of parameter 0 has step 9223372036854775807, expected 0 to 9007199254740992"))) {
            double[] before = p.toArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> nadam.loadStateDict(new StateDict<>(Map.of(0, bad.getKey()), good.paramGroups())));
            assertEquals(bad.getValue(), e.getMessage());
            assertEquals(s.step(), nadam.stateDict().state().get(0).step(), "the optimizer's own state is unchanged");
            assertArrayEquals(before, p.toArray());
        }
    }

    @Test
    void schedulerStateIsStrictToo() {
        Tensor p = Tensor.vector(1).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.1);
        CosineAnnealingWarmRestarts sgdr = new CosineAnnealingWarmRestarts(sgd, 3, 2, 0.0);
        for (int i = 0; i < 4; i++) sgdr.step();
        Map<String, Tensor> saved = sgdr.stateTensors();
        CosineAnnealingWarmRestarts fresh = new CosineAnnealingWarmRestarts(new SGD(List.of(Tensor.vector(1).requiresGrad(true)), 0.1), 3, 2, 0.0);
        fresh.loadStateTensors(saved);
        assertEquals(sgdr.lastEpoch(), fresh.lastEpoch());
        assertArrayEquals(sgdr.stateDict().extra(), fresh.stateDict().extra());
        Map<String, Tensor> bad = new LinkedHashMap<>(saved);
        bad.put("last_epoch", Tensor.scalar(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fresh.loadStateTensors(bad));
        assertEquals("scheduler state: 'last_epoch' is 0.5, expected a whole number from -1 to 2147483647", e.getMessage());

        ReduceLROnPlateau plateau = new ReduceLROnPlateau(sgd);
        Map<String, Tensor> ps = new LinkedHashMap<>(plateau.stateTensors());
        assertEquals(Double.POSITIVE_INFINITY, ps.get("best").item(), "an infinite best is a valid state");
        plateau.loadStateTensors(ps);
        ps.put("best", Tensor.scalar(Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> plateau.loadStateTensors(ps));
        assertEquals("ReduceLROnPlateau state: 'best' is NaN", e.getMessage());
    }

    private static Tensor withElement(Tensor t, int index, double value) {
        double[] v = t.toArray();
        v[index] = value;
        return Tensor.of(v, t.shape());
    }
}

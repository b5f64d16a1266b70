package dev.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tensor;
import dev.descent.optim.SGD;
import dev.descent.optim.StateDict;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Saving a scheduler's state with the optimizer's mid-training and loading both into fresh ones continues exactly. */
class SchedulerStateTest {
    private static final Map<String, Function<SGD, LrScheduler>> SCHEDULERS = Map.of(
            "StepLR", o -> new StepLR(o, 3, 0.5),
            "CosineAnnealingLR", o -> new CosineAnnealingLR(o, 6, 1e-3),
            "CosineAnnealingWarmRestarts", o -> new CosineAnnealingWarmRestarts(o, 3, 2, 1e-3),
            "OneCycleLR", o -> new OneCycleLR(o, 1.0, 25),
            "CyclicLR", o -> new CyclicLR(o, new double[] {0.01}, new double[] {0.1}, CyclicLR.DEFAULTS.withStepSizes(3, 4)),
            "SequentialLR", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 4), new CosineAnnealingLR(o, 10)), new int[] {5}),
            "ChainedScheduler", o -> new ChainedScheduler(List.of(new ConstantLR(o, 0.5, 9), new ExponentialLR(o, 0.9))));

    private static SGD sgd() {
        SGD.Options o = SGD.Options.lr(0.1).withMomentum(0.9);
        SGD sgd = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), o);
        sgd.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), o.withLr(0.02));
        return sgd;
    }

    private static double[] snapshot(SGD sgd) {
        return sgd.paramGroups().stream().flatMapToDouble(g -> java.util.stream.DoubleStream.of(g.lr(), g.options().momentum())).toArray();
    }

    @TestFactory
    Stream<DynamicTest> resumingContinuesTheSameSequence() {
        return SCHEDULERS.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            SGD whole = sgd();
            LrScheduler uninterrupted = e.getValue().apply(whole);
            double[][] want = new double[20][];
            for (int t = 0; t < 20; t++) {
                want[t] = snapshot(whole);
                uninterrupted.step();
            }

            SGD first = sgd();
            LrScheduler before = e.getValue().apply(first);
            for (int t = 0; t < 8; t++) before.step();
            StateDict<SGD.Options> optimizerState = first.stateDict();
            LrScheduler.State schedulerState = before.stateDict();

            SGD second = sgd();
            LrScheduler after = e.getValue().apply(second);
            second.loadStateDict(optimizerState);
            after.loadStateDict(schedulerState);
            assertEquals(8, after.lastEpoch());
            for (int t = 8; t < 20; t++) {
                assertArrayEquals(want[t], snapshot(second), 0.0, "epoch " + t);
                after.step();
            }
        }));
    }

    @Test
    void aStateForAnotherSchedulerIsRefusedAndChangesNothing() {
        SGD sgd = sgd();
        CosineAnnealingWarmRestarts sgdr = new CosineAnnealingWarmRestarts(sgd, 3);
        LrScheduler.State step = new StepLR(sgd(), 2).stateDict();
        LrScheduler.State before = sgdr.stateDict();
        var ex = assertThrows(IllegalArgumentException.class, () -> sgdr.loadStateDict(step));
        assertEquals("loaded scheduler state has 0 extra values, CosineAnnealingWarmRestarts keeps 2", ex.getMessage());
        assertArrayEquals(before.extra(), sgdr.stateDict().extra(), 0.0);
    }

    @Test
    void plateauStateRoundTrips() {
        SGD sgd = sgd();
        ReduceLROnPlateau s = new ReduceLROnPlateau(sgd, ReduceLROnPlateau.DEFAULTS.withPatience(1));
        s.step(3.0);
        s.step(3.0);
        ReduceLROnPlateau t = new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.DEFAULTS.withPatience(1));
        t.loadStateDict(s.stateDict());
        assertEquals(3.0, t.best());
        assertEquals(1, t.numBadEpochs());
        assertEquals(2, t.lastEpoch());
    }
}

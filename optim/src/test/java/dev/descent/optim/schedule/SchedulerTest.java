package dev.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tensor;
import dev.descent.optim.Adam;
import dev.descent.optim.Adagrad;
import dev.descent.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Behaviour beyond the reference sequences: bookkeeping, and bad input refused with PyTorch's messages. */
class SchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), SGD.Options.lr(lr).withMomentum(0.9));
    }

    private static void refuses(String message, Executable e) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void constructionIsTheInitialStep() {
        SGD opt = sgd(0.1);
        StepLR s = new StepLR(opt, 2, 0.5);
        assertEquals(0, s.lastEpoch());
        assertArrayEquals(new double[] {0.1}, s.getLastLr());
        s.step();
        s.step();
        assertEquals(2, s.lastEpoch());
        assertArrayEquals(new double[] {0.05}, s.getLastLr());
        assertArrayEquals(new double[] {0.1}, s.baseLrs());
    }

    @Test
    void theChainableFormComposesWithChangesMadeOutside() {
        SGD opt = sgd(1.0);
        ExponentialLR s = new ExponentialLR(opt, 0.5);
        s.step();
        opt.paramGroups().get(0).setLr(10.0); // someone else changes the rate
        s.step();
        assertEquals(5.0, opt.paramGroups().get(0).lr(), "the decay continues from the changed rate, as PyTorch");
    }

    @Test
    void aLaterSchedulerTakesTheRecordedInitialRateAsItsBase() {
        SGD opt = sgd(1.0);
        new LinearLR(opt, 0.5, 1.0, 4); // sets the rate to 0.5 at once
        CosineAnnealingLR cos = new CosineAnnealingLR(opt, 10);
        assertArrayEquals(new double[] {1.0}, cos.baseLrs());
    }

    @Test
    void aGroupAddedLaterKeepsItsRate() {
        SGD opt = sgd(1.0);
        ExponentialLR exp = new ExponentialLR(opt, 0.5);
        opt.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), SGD.Options.lr(0.3).withMomentum(0.9));
        exp.step();
        assertArrayEquals(new double[] {0.5}, exp.getLastLr());
        assertEquals(0.3, opt.paramGroups().get(1).lr());
        SGD other = sgd(1.0);
        OneCycleLR cycle = new OneCycleLR(other, 1.0, 10);
        other.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), SGD.Options.lr(0.3).withMomentum(0.9));
        cycle.step();
        assertEquals(SGD.Options.lr(0.3).withMomentum(0.9), other.paramGroups().get(1).options());
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.DEFAULTS.withPatience(0));
        opt.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), SGD.Options.lr(0.7));
        plateau.step(1.0);
        plateau.step(1.0);
        assertArrayEquals(new double[] {0.05, 0.03}, plateau.getLastLr(), 1e-16);
        assertEquals(0.7, opt.paramGroups().get(2).lr());
    }

    @Test
    void oneCycleRefusesToStepPastItsTotal() {
        OneCycleLR s = new OneCycleLR(sgd(0.1), 1.0, 3);
        for (int i = 0; i < 3; i++) s.step();
        var e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("Tried to step 5 times. The specified number of total steps is 3", e.getMessage());
        assertEquals(3, s.lastEpoch(), "nothing changed");
    }

    @Test
    void aStepToAnInvalidRateThrowsAndChangesNothing() {
        SGD opt = sgd(0.1);
        OneCycleLR s = new OneCycleLR(opt, new double[] {1.0}, 3, OneCycleLR.DEFAULTS.withAnnealStrategy("linear"));
        s.step();
        s.step();
        SGD.Options before = opt.paramGroups().get(0).options();
        LrScheduler.State state = s.stateDict();
        // step N extrapolates the linear anneal below zero; PyTorch would set the negative rate
        assertThrows(IllegalArgumentException.class, s::step);
        assertEquals(before, opt.paramGroups().get(0).options());
        assertEquals(2, s.lastEpoch());
        assertArrayEquals(state.lastLr(), s.getLastLr());
    }

    @Test
    void badArguments() {
        SGD opt = sgd(0.1);
        refuses("Expected positive integer step_size, but got -1", () -> new StepLR(opt, -1));
        refuses("Expected positive gamma, but got 0.0", () -> new StepLR(opt, 3, 0.0));
        refuses("Expected positive gamma, but got -0.5", () -> new ExponentialLR(opt, -0.5));
        refuses("Expected positive gamma, but got 0.0", () -> new MultiStepLR(opt, new int[] {1}, 0.0));
        refuses("Expected positive integer T_max, but got 0", () -> new CosineAnnealingLR(opt, 0));
        refuses("Expected positive integer T_0, but got 0", () -> new CosineAnnealingWarmRestarts(opt, 0));
        refuses("Expected integer T_mult >= 1, but got 0", () -> new CosineAnnealingWarmRestarts(opt, 5, 0, 0.0));
        refuses("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.", () -> new LinearLR(opt, 1.5, 1.0, 5));
        refuses("Ending multiplicative factor expected to be between 0 and 1.", () -> new LinearLR(opt, 0.5, -1.0, 5));
        refuses("Constant multiplicative factor expected to be between 0 and 1.", () -> new ConstantLR(opt, 2.0, 5));
        refuses("Expected positive integer total_iters, but got 0", () -> new PolynomialLR(opt, 0, 1.0));
        refuses("Expected 1 lr_lambdas, but got 2", () -> new LambdaLR(opt, List.of(Schedule.constant(1), Schedule.constant(2))));
        refuses("Expected 1 lr_lambdas, but got 2", () -> new MultiplicativeLR(opt, List.of(Schedule.constant(1), Schedule.constant(2))));
    }

    @Test
    void badOneCycleAndCyclicArguments() {
        SGD opt = sgd(0.1);
        refuses("Expected positive integer total_steps, but got 0", () -> new OneCycleLR(opt, 1.0, 0));
        refuses("Expected float between 0 and 1 pct_start, but got 1.5", () -> OneCycleLR.DEFAULTS.withPctStart(1.5));
        refuses("anneal_strategy must by one of 'cos' or 'linear', instead got exp", () -> OneCycleLR.DEFAULTS.withAnnealStrategy("exp"));
        refuses("expected 1 values for max_lr, got 2", () -> new OneCycleLR(opt, new double[] {1, 2}, 10, OneCycleLR.DEFAULTS));
        Adagrad adagrad = new Adagrad(List.of(Tensor.zeros(1).requiresGrad(true)));
        refuses("optimizer must support momentum with `cycle_momentum` option enabled", () -> new OneCycleLR(adagrad, 1.0, 10));
        refuses("mode is invalid and scale_fn is None", () -> CyclicLR.DEFAULTS.withMode("sawtooth"));
        Adam adam = new Adam(List.of(Tensor.zeros(1).requiresGrad(true)));
        // PyTorch 1.13's CyclicLR only cycles a 'momentum' hyperparameter, so Adam needs cycleMomentum off
        refuses("optimizer must support momentum with `cycle_momentum` option enabled", () -> new CyclicLR(adam, 1e-3, 1e-2));
        new CyclicLR(adam, new double[] {1e-3}, new double[] {1e-2}, CyclicLR.DEFAULTS.withCycleMomentum(false));
    }

    @Test
    void aCustomScaleFunctionReplacesTheMode() {
        SGD opt = sgd(0.1);
        CyclicLR.Options o = CyclicLR.DEFAULTS.withStepSizes(2, null).withScaleFn(x -> 0.5, "iterations").withCycleMomentum(false);
        CyclicLR s = new CyclicLR(opt, new double[] {0.0}, new double[] {1.0}, o);
        s.step();
        assertEquals(0.25, opt.paramGroups().get(0).lr(), 1e-15); // halfway up, amplitude halved
    }

    @Test
    void badPlateauArguments() {
        refuses("Factor should be < 1.0.", () -> ReduceLROnPlateau.DEFAULTS.withFactor(1.0));
        refuses("mode sideways is unknown!", () -> ReduceLROnPlateau.DEFAULTS.withMode("sideways"));
        refuses("threshold mode log is unknown!", () -> ReduceLROnPlateau.DEFAULTS.withThreshold(0.1, "log"));
        refuses("expected 1 min_lrs, got 3", () -> new ReduceLROnPlateau(sgd(0.1), ReduceLROnPlateau.DEFAULTS, new double[] {0, 0, 0}));
    }

    @Test
    void plateauCountsBadEpochsAndCoolsDown() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.DEFAULTS.withPatience(1).withCooldown(1).withFactor(0.5));
        s.step(1.0);
        s.step(1.0);
        assertEquals(1, s.numBadEpochs());
        s.step(1.0); // second bad epoch > patience 1: reduce
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        assertEquals(true, s.inCooldown());
        s.step(1.0); // ignored in cooldown
        s.step(1.0);
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        s.step(1.0);
        assertEquals(0.25, opt.paramGroups().get(0).lr());
        assertEquals(1.0, s.best());
        assertEquals(6, s.lastEpoch());
    }

    @Test
    void compositeSchedulersCheckTheirOptimizers() {
        SGD a = sgd(0.1), b = sgd(0.1);
        StepLR sa = new StepLR(a, 2);
        StepLR sb = new StepLR(b, 2);
        refuses("ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different",
                () -> new ChainedScheduler(List.of(sa, sb)));
        refuses("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the "
                + "optimizer passed in.", () -> new SequentialLR(a, List.of(sa, sb), new int[] {3}));
        refuses("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of "
                + "schedulers 1 and the number of milestones to be equal to 1", () -> new SequentialLR(a, List.of(sa), new int[] {3}));
    }
}

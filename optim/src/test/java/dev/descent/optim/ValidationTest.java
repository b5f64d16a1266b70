package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad hyperparameters and parameter lists are rejected as PyTorch rejects them, with its messages. */
class ValidationTest {

    private static void rejects(String message, Executable construct) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construct).getMessage());
    }

    @Test
    void negativeLearningRate() {
        rejects("Invalid learning rate: -1.0", () -> SGD.Options.lr(-1));
        rejects("Invalid learning rate: -0.001", () -> Adam.DEFAULTS.withLr(-1e-3));
        rejects("Invalid learning rate: -1.0", () -> Adagrad.DEFAULTS.withLr(-1));
        rejects("Invalid learning rate: NaN", () -> RMSprop.DEFAULTS.withLr(Double.NaN));
    }

    @Test
    void betasOutsideTheUnitInterval() {
        rejects("Invalid beta parameter at index 0: 1.0", () -> Adam.DEFAULTS.withBetas(1.0, 0.999));
        rejects("Invalid beta parameter at index 1: -0.1", () -> AdamW.DEFAULTS.withBetas(0.9, -0.1));
    }

    @Test
    void negativeEpsilonWeightDecayAndOthers() {
        rejects("Invalid epsilon value: -1.0E-8", () -> Adam.DEFAULTS.withEps(-1e-8));
        rejects("Invalid weight_decay value: -0.1", () -> SGD.Options.lr(0.1).withWeightDecay(-0.1));
        rejects("Invalid weight_decay value: -0.01", () -> AdamW.DEFAULTS.withWeightDecay(-0.01));
        rejects("Invalid momentum value: -0.9", () -> RMSprop.DEFAULTS.withMomentum(-0.9));
        rejects("Invalid alpha value: -0.5", () -> RMSprop.DEFAULTS.withAlpha(-0.5));
        rejects("Invalid lr_decay value: -1.0", () -> Adagrad.DEFAULTS.withLrDecay(-1));
        rejects("Invalid initial_accumulator_value value: -1.0", () -> Adagrad.DEFAULTS.withInitialAccumulatorValue(-1));
        rejects("Invalid eta values: 0.5, 1.0", () -> Rprop.DEFAULTS.withEtas(0.5, 1.0));
        rejects("Invalid rho value: 1.5", () -> Adadelta.DEFAULTS.withRho(1.5));
        rejects("Invalid momentum_decay value: -0.004", () -> NAdam.DEFAULTS.withMomentumDecay(-4e-3));
        rejects("Invalid beta parameter at index 1: 1.0", () -> RAdam.DEFAULTS.withBetas(0.9, 1.0));
        rejects("Invalid beta parameter at index 0: -0.5", () -> Adamax.DEFAULTS.withBetas(-0.5, 0.999));
    }

    @Test
    void theOptimizersBeyondPyTorchValidateInTheSameWords() {
        rejects("Invalid beta parameter at index 1: 1.0", () -> AdaBelief.DEFAULTS.withBetas(0.9, 1.0));
        rejects("Invalid epsilon value: -1.0", () -> Yogi.DEFAULTS.withEps(-1));
        rejects("Invalid initial_accumulator_value value: -1.0", () -> Yogi.DEFAULTS.withInitialAccumulatorValue(-1));
        rejects("Invalid weight_decay value: -0.1", () -> LAMB.DEFAULTS.withWeightDecay(-0.1));
        rejects("Invalid trust_coefficient: -0.001", () -> LARS.DEFAULTS.withTrustCoefficient(-1e-3));
        rejects("Invalid clip_threshold: 0.0", () -> Adafactor.DEFAULTS.withClipThreshold(0));
        rejects("Invalid decay_rate: 0.8", () -> Adafactor.DEFAULTS.withDecayRate(0.8));
        rejects("Invalid max_iter: 0", () -> LBFGS.DEFAULTS.withMaxIter(0));
        rejects("Invalid history_size: 0", () -> LBFGS.DEFAULTS.withHistorySize(0));
        rejects("Invalid Armijo constant c: 1.0", () -> BacktrackingLineSearch.DEFAULTS.withC(1));
        rejects("Invalid shrink factor: 1.0", () -> BacktrackingLineSearch.DEFAULTS.withShrink(1));
        rejects("Invalid damping: -1.0", () -> Newton.Options.damped(-1));
        rejects("Levenberg–Marquardt needs an initial damping > 0", () -> Newton.Options.levenbergMarquardt(0));
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        rejects("Nesterov momentum requires a momentum and zero dampening", () -> SGD.Options.lr(0.1).withNesterov(true));
        rejects("Nesterov momentum requires a momentum and zero dampening",
                () -> SGD.Options.lr(0.1).withDampening(0.1).withMomentum(0.9).withNesterov(true));
    }

    @Test
    void aParameterInTwoGroups() {
        Tensor a = Tensor.vector(1).requiresGrad(true), b = Tensor.vector(2).requiresGrad(true);
        Adam adam = new Adam(List.of(a));
        rejects("some parameters appear in more than one parameter group", () -> adam.addParamGroup(List.of(b, a)));
        assertEquals(1, adam.paramGroups().size(), "the rejected group was not added");
        rejects("parameter 1 appears more than once in the parameter group", () -> new SGD(List.of(b, b), 0.1));
    }

    @Test
    void emptyAndNonLeafParameterLists() {
        rejects("optimizer got an empty parameter list", () -> new Adam(List.of()));
        Tensor a = Tensor.vector(1).requiresGrad(true);
        Tape tape = Tape.record();
        try {
            Tensor computed = a.mul(2);
            rejects("can't optimize a non-leaf Tensor (parameter 0 of the group)", () -> new SGD(List.of(computed), 0.1));
        } finally {
            tape.close();
        }
    }

    @Test
    void defaultsAreTorchs() {
        assertEquals(new Adam.Options(1e-3, 0.9, 0.999, 1e-8, 0, false, false), Adam.DEFAULTS);
        assertEquals(Adam.DEFAULTS.withWeightDecay(1e-2), AdamW.DEFAULTS);
        assertEquals(new Adagrad.Options(1e-2, 0, 0, 0, 1e-10, false), Adagrad.DEFAULTS);
        assertEquals(new RMSprop.Options(1e-2, 0.99, 1e-8, 0, 0, false, false), RMSprop.DEFAULTS);
        assertEquals(new SGD.Options(0.1, 0, 0, 0, false, false), SGD.Options.lr(0.1));
        assertEquals(new Adadelta.Options(1.0, 0.9, 1e-6, 0, false), Adadelta.DEFAULTS);
        assertEquals(new Adamax.Options(2e-3, 0.9, 0.999, 1e-8, 0, false), Adamax.DEFAULTS);
        assertEquals(new RAdam.Options(1e-3, 0.9, 0.999, 1e-8, 0), RAdam.DEFAULTS);
        assertEquals(new ASGD.Options(1e-2, 1e-4, 0.75, 1e6, 0, false), ASGD.DEFAULTS);
        assertEquals(new Rprop.Options(1e-2, 0.5, 1.2, 1e-6, 50, false), Rprop.DEFAULTS);
        assertEquals(new NAdam.Options(2e-3, 0.9, 0.999, 1e-8, 0, 4e-3), NAdam.DEFAULTS);
    }
}

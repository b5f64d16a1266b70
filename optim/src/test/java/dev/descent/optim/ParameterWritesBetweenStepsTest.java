package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step starts from what the last update computed about the parameter (its largest magnitude, and for LARS, LAMB and
 * Adafactor its norm) only while the parameter is as that update left it: a write in between (which bumps the
 * version) makes the step read the parameter again.
 */
class ParameterWritesBetweenStepsTest {

    @Test
    void aParameterWrittenNearOverflowBetweenStepsIsCheckedAgain() {
        Tensor p = Tensor.vector(1, 2).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 1.0);
        p.setGrad(Tensor.vector(0.1, 0.1));
        sgd.step();
        p.copyFrom(Tensor.vector(Double.MAX_VALUE, 1));
        // with the magnitude the last update left (2), the bound 2 + 1e299 would let the overflow through
        p.setGrad(Tensor.vector(-1e299, 0.1));
        IllegalStateException e = assertThrows(IllegalStateException.class, sgd::step);
        assertEquals("step: SGD would write Infinity into parameter 0 (group 0) at element 0; nothing was changed", e.getMessage());
        assertArrayEquals(new double[] {Double.MAX_VALUE, 1}, p.toArray(), 0.0);
    }

    static Stream<Arguments> normed() {
        return Stream.of(
                Arguments.of("LARS", (Function<List<Tensor>, Optimizer<?>>) ps -> new LARS(ps, LARS.DEFAULTS.withLr(0.5))),
                Arguments.of("LAMB", (Function<List<Tensor>, Optimizer<?>>) ps -> new LAMB(ps, LAMB.DEFAULTS.withLr(0.01))),
                Arguments.of("LAMB no decay", (Function<List<Tensor>, Optimizer<?>>) ps -> new LAMB(ps, LAMB.DEFAULTS.withWeightDecay(0))),
                Arguments.of("Adafactor", (Function<List<Tensor>, Optimizer<?>>) Adafactor::new));
    }

    /** The same steps with the state reloaded before the last one (a fresh state remembers nothing) give the same bits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("normed")
    void normsAreRecomputedAfterAWrite(String name, Function<List<Tensor>, Optimizer<?>> make) {
        double[] start = {-1.2, 1.0, 0.3, 0.7, -0.4, 2.0}, written = {0.5, -3.0, 1.5, 0.25, 2.0, -1.0};
        double[] grad = {0.3, -2, 0.5, 1, -1, 0.25};
        Tensor a = Tensor.of(start.clone(), 2, 3).requiresGrad(true), b = Tensor.of(start.clone(), 2, 3).requiresGrad(true);
        Optimizer<?> remembering = make.apply(List.of(a)), reloaded = make.apply(List.of(b));
        for (int t = 0; t < 3; t++) {
            a.setGrad(Tensor.of(grad.clone(), 2, 3));
            b.setGrad(Tensor.of(grad.clone(), 2, 3));
            remembering.step();
            reloaded.step();
        }
        a.copyFrom(Tensor.of(written.clone(), 2, 3));
        b.copyFrom(Tensor.of(written.clone(), 2, 3));
        reload(reloaded);
        a.setGrad(Tensor.of(grad.clone(), 2, 3));
        b.setGrad(Tensor.of(grad.clone(), 2, 3));
        remembering.step();
        reloaded.step();
        assertArrayEquals(b.toArray(), a.toArray(), name);
    }

    private static <H extends Hyperparameters<H>> void reload(Optimizer<H> optimizer) {
        optimizer.loadStateDict(optimizer.stateDict());
    }
}

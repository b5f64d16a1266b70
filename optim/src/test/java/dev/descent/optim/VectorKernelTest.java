package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import dev.descent.core.kernel.Kernels;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API kernels of the update rules give the same bits as their scalar reference loops, for every option
 * that changes the loop, on lengths that leave a scalar tail for any vector width.
 */
class VectorKernelTest {

    /** {@link Optimizers#all()} and the options it leaves out: no momentum, maximizing, each kind of weight decay. */
    static Stream<Arguments> configurations() {
        return Stream.concat(Optimizers.all(), Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer<?>>) ps -> new SGD(ps, 0.01)),
                Arguments.of("SGD momentum dampening maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new SGD(ps,
                        SGD.Options.lr(0.01).withMomentum(0.9).withDampening(0.3).withMaximize(true).withWeightDecay(0.01))),
                Arguments.of("Adam decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adam(ps,
                        Adam.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("AdamW amsgrad", (Function<List<Tensor>, Optimizer<?>>) ps -> new AdamW(ps, AdamW.DEFAULTS.withAmsgrad(true))),
                Arguments.of("Adagrad decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adagrad(ps,
                        Adagrad.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("RMSprop", (Function<List<Tensor>, Optimizer<?>>) RMSprop::new),
                Arguments.of("RMSprop momentum decay", (Function<List<Tensor>, Optimizer<?>>) ps -> new RMSprop(ps,
                        RMSprop.DEFAULTS.withMomentum(0.5).withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("RMSprop centered", (Function<List<Tensor>, Optimizer<?>>) ps -> new RMSprop(ps, RMSprop.DEFAULTS.withCentered(true))),
                Arguments.of("Adadelta decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adadelta(ps,
                        Adadelta.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("Adamax decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adamax(ps,
                        Adamax.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("NAdam decay", (Function<List<Tensor>, Optimizer<?>>) ps -> new NAdam(ps, NAdam.DEFAULTS.withWeightDecay(0.1))),
                Arguments.of("RAdam decay", (Function<List<Tensor>, Optimizer<?>>) ps -> new RAdam(ps, RAdam.DEFAULTS.withWeightDecay(0.1))),
                Arguments.of("ASGD decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new ASGD(ps,
                        ASGD.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("Rprop maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Rprop(ps, Rprop.DEFAULTS.withMaximize(true))),
                Arguments.of("Lion decay maximize", (Function<List<Tensor>, Optimizer<?>>) ps -> new Lion(ps,
                        Lion.DEFAULTS.withWeightDecay(0.1).withMaximize(true))),
                Arguments.of("AdaBelief", (Function<List<Tensor>, Optimizer<?>>) AdaBelief::new),
                Arguments.of("LAMB no decay", (Function<List<Tensor>, Optimizer<?>>) ps -> new LAMB(ps, LAMB.DEFAULTS.withWeightDecay(0))),
                Arguments.of("Adafactor absolute steps", (Function<List<Tensor>, Optimizer<?>>) ps -> new Adafactor(ps,
                        Adafactor.DEFAULTS.withRelativeStep(false)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void vectorKernelsGiveTheScalarReferencesBits(String name, Function<List<Tensor>, Optimizer<?>> make) {
        Assumptions.assumeTrue(Kernels.vectorized(), "the jdk.incubator.vector module is not loaded");
        // 37 x 29 = 1073 and 67 elements: neither is a multiple of any vector width
        Rng rng = new Rng(11);
        List<Tensor> vector = List.of(Tensor.uniform(rng, -1, 1, 37, 29).requiresGrad(true), Tensor.uniform(rng, -1, 1, 67).requiresGrad(true));
        List<Tensor> scalar = List.of(vector.get(0).copy().requiresGrad(true), vector.get(1).copy().requiresGrad(true));
        Optimizer<?> fast = make.apply(vector), reference = make.apply(scalar);
        reference.scalarKernels = true;
        for (int t = 0; t < 12; t++) {
            for (int k = 0; k < vector.size(); k++) {
                Tensor g = Tensor.normal(rng, 0, Math.pow(10, t % 4 - 2), vector.get(k).shape());
                double[] gd = g.data();
                for (int i = t; i < gd.length; i += 7) gd[i] = 0; // zeros, where signs and ties change the branch
                vector.get(k).setGrad(g);
                scalar.get(k).setGrad(g.copy());
            }
            fast.step();
            reference.step();
            for (int k = 0; k < vector.size(); k++) {
                assertArrayEquals(scalar.get(k).toArray(), vector.get(k).toArray(), name + ": parameter " + k + " after step " + (t + 1));
            }
        }
        var expected = reference.stateDict().state();
        fast.stateDict().state().forEach((index, s) -> {
            assertEquals(expected.get(index).scalars(), s.scalars());
            s.buffers().forEach((buffer, values) -> assertArrayEquals(expected.get(index).buffers().get(buffer), values, buffer));
        });
    }
}

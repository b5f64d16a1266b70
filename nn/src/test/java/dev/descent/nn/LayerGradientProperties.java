package dev.descent.nn;

import static dev.descent.nn.ModuleChecks.awayFromZero;
import static dev.descent.nn.ModuleChecks.passesGradCheck;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.function.Supplier;

/** Every layer's backprop matches finite differences, with respect to its input and each of its parameters. */
class LayerGradientProperties {

    @Property(tries = 20, seed = "4001")
    void linearForAnyBatchAndWidths(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 5) int in,
                                    @ForAll @IntRange(min = 1, max = 5) int out, @ForAll boolean bias, @ForAll long seed) {
        Linear layer = new Linear(in, out, bias, new Rng(seed));
        passesGradCheck(layer, Tensor.uniform(new Rng(seed + 1), -2, 2, batch, in));
    }

    @Property(tries = 5, seed = "4002")
    void linearOnBatchedInput(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 1, max = 3) int b, @ForAll long seed) {
        passesGradCheck(new Linear(3, 2, new Rng(seed)), Tensor.uniform(new Rng(seed + 1), -2, 2, a, b, 3));
    }

    @Provide
    Arbitrary<Supplier<Module>> activations() {
        List<Supplier<Module>> all = List.of(ReLU::new, () -> new LeakyReLU(0.2), LeakyReLU::new, () -> new ELU(0.7), ELU::new,
                GELU::new, Sigmoid::new, Tanh::new, Softplus::new, SiLU::new, () -> new GELU("tanh"), () -> new Softplus(2, 20),
                () -> new Hardtanh(-3, 3), Hardswish::new, Mish::new, SELU::new, () -> new CELU(0.5), LogSigmoid::new, Softsign::new);
        return Arbitraries.of(all);
    }

    @Property(tries = 30, seed = "4003")
    void activationsForAnyShape(@ForAll("activations") Supplier<Module> activation, @ForAll @IntRange(min = 1, max = 4) int batch,
                                @ForAll @IntRange(min = 1, max = 6) int width, @ForAll long seed) {
        passesGradCheck(activation.get(), awayFromZero(seed, batch, width));
    }

    @Property(tries = 8, seed = "4004")
    void layerNormForAnyBatchAndWidth(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 2, max = 5) int width,
                                      @ForAll long seed) {
        LayerNorm ln = new LayerNorm(width);
        randomize(ln, seed);
        passesGradCheck(ln, Tensor.uniform(new Rng(seed + 7), -2, 2, batch, width));
    }

    @Property(tries = 8, seed = "4005")
    void batchNormInTrainingAndEval(@ForAll @IntRange(min = 2, max = 5) int batch, @ForAll @IntRange(min = 1, max = 4) int channels,
                                    @ForAll boolean training, @ForAll long seed) {
        BatchNorm1d bn = new BatchNorm1d(channels);
        randomize(bn, seed);
        bn.forward(Tensor.uniform(new Rng(seed + 3), -1, 1, 6, channels)); // move the running statistics off 0 and 1
        bn.train(training);
        passesGradCheck(bn, Tensor.uniform(new Rng(seed + 7), -2, 2, batch, channels));
    }

    @Property(tries = 4, seed = "4006")
    void batchNormOnSequences(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 2, max = 3) int length, @ForAll long seed) {
        BatchNorm1d bn = new BatchNorm1d(2);
        randomize(bn, seed);
        passesGradCheck(bn, Tensor.uniform(new Rng(seed + 7), -2, 2, batch, 2, length));
    }

    @Property(tries = 5, seed = "4009")
    void batchNorm2dInTrainingAndEval(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll boolean training, @ForAll long seed) {
        BatchNorm2d bn = new BatchNorm2d(2);
        randomize(bn, seed);
        bn.forward(Tensor.uniform(new Rng(seed + 3), -1, 1, 2, 2, 2, 3)); // move the running statistics off 0 and 1
        bn.train(training);
        passesGradCheck(bn, Tensor.uniform(new Rng(seed + 7), -2, 2, batch, 2, 2, 2));
    }

    @Property(tries = 5, seed = "4010")
    void groupNormOnImages(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll long seed) {
        GroupNorm gn = new GroupNorm(groups, 4);
        randomize(gn, seed);
        passesGradCheck(gn, Tensor.uniform(new Rng(seed + 7), -2, 2, batch, 4, 2, 1));
    }

    @Property(tries = 5, seed = "4007")
    void layerNormOverTwoTrailingDimensions(@ForAll long seed) {
        LayerNorm ln = new LayerNorm(2, 3);
        randomize(ln, seed);
        passesGradCheck(ln, Tensor.uniform(new Rng(seed + 7), -2, 2, 2, 2, 3));
    }

    @Property(tries = 5, seed = "4008")
    void sequentialMlpWithFlattenAndDropout(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Module net = new Sequential(new Flatten(), new Linear(6, 4, rng), new Tanh(), new Linear(4, 2, rng));
        passesGradCheck(net, Tensor.uniform(new Rng(seed + 1), -1, 1, 3, 2, 3));
        // A dropout mask is fixed by reseeding its Rng for every evaluation, so the function is deterministic.
        Module dropped = new Module() {
            { registerModule("lin", new Linear(3, 4, new Rng(seed))); }
            @Override
            public Tensor forward(Tensor x) {
                return new Dropout(0.5, new Rng(seed)).forward(namedChildren().get("lin").forward(x));
            }
        };
        passesGradCheck(dropped, Tensor.uniform(new Rng(seed + 2), -1, 1, 2, 3));
    }

    /** Parameters away from their ones/zeros initialisation, so the check exercises the affine part fully. */
    private static void randomize(Module m, long seed) {
        Rng rng = new Rng(seed);
        for (Tensor p : m.parameters()) p.copyFrom(Tensor.uniform(rng, 0.5, 1.5, p.shape()));
    }
}

package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every loss, with every reduction, backpropagates as finite differences say, for any batch size and width. */
class LossGradientProperties {


    @Provide
    Arbitrary<Reduction> reductions() {
        return Arbitraries.of(Reduction.class);
    }

    @Property(tries = 15, seed = "4101")
    void regressionLossesPassGradCheck(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 4) int width,
                                       @ForAll("reductions") Reduction r, @ForAll long seed) {
        Tensor t = Tensor.uniform(new Rng(seed), -2, 2, batch, width);
        // inputs at least 0.1 from the target (and from target ± delta) keep the probes off the kinks of |d| and Huber
        Tensor x = t.add(ModuleChecks.awayFromZero(seed + 1, batch, width));
        passes(in -> Losses.mseLoss(in[0], t, r), x);
        passes(in -> Losses.l1Loss(in[0], t, r), x);
        passes(in -> Losses.huberLoss(in[0], t, 2.05, r), x);
        passes(in -> Losses.binaryCrossEntropyWithLogits(in[0], Tensor.uniform(new Rng(seed + 2), 0, 1, batch, width), r), x);
    }

    @Property(tries = 15, seed = "4102")
    void classificationLossesPassGradCheck(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 2, max = 5) int classes,
                                           @ForAll("reductions") Reduction r, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] target = new int[batch];
        for (int i = 0; i < batch; i++) target[i] = rng.nextInt(classes);
        Tensor logits = Tensor.uniform(rng, -3, 3, batch, classes);
        passes(in -> Losses.crossEntropy(in[0], target, r), logits);
        passes(in -> Losses.nllLoss(in[0], target, r), logits);
    }

    private static void passes(GradCheck.Fn f, Tensor x) {
        GradCheck.Report report = GradCheck.check(f, x);
        assertTrue(report.passed(), report::toString);
    }
}

package dev.descent.nn;

import static dev.descent.nn.Fixtures.assertClose;
import static dev.descent.nn.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.descent.core.GradCheck;
import dev.descent.core.Rng;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The losses with PyTorch's options agree with PyTorch (values, input gradients and, where PyTorch computes one,
 * target gradients) on the cases of {@code fixtures/torch_loss_options.json}, written by
 * {@code fixtures/torch_loss_options.py}; their second derivatives match finite differences; bad options are named.
 */
class LossOptionsTest {

    @TestFactory
    Stream<DynamicTest> lossesWithOptionsMatchPyTorch() {
        return Fixtures.cases("torch_loss_options").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        Tensor x = tensor(c.getAsJsonObject("input")).requiresGrad(true);
        Tensor target = c.has("target") ? tensor(c.getAsJsonObject("target")).requiresGrad(c.has("grad_target")) : null;
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = apply(c, x, target, c.get("reduction").getAsString(), c.getAsJsonObject("args"));
            tape.backward(y, tensor(c.getAsJsonObject("w")));
        }
        assertClose("output", tensor(c.getAsJsonObject("output")), y);
        assertClose("grad", tensor(c.getAsJsonObject("grad")), x.grad());
        if (c.has("grad_target")) assertClose("grad_target", tensor(c.getAsJsonObject("grad_target")), target.grad());
    }

    private static Tensor apply(JsonObject c, Tensor x, Tensor target, String reduction, JsonObject args) {
        Tensor weight = args.has("weight") ? tensor(args.getAsJsonObject("weight")) : null;
        return switch (c.get("loss").getAsString()) {
            case "crossEntropy" -> Losses.crossEntropy(x, Fixtures.ints(c.getAsJsonArray("classes")), new CrossEntropyOptions(weight,
                    args.has("ignore_index") ? args.get("ignore_index").getAsInt() : -100,
                    args.has("label_smoothing") ? args.get("label_smoothing").getAsDouble() : 0), Reduction.valueOf(reduction));
            case "klDiv" -> reduction.equals("BATCHMEAN") ? Losses.klDivBatchMean(x, target, args.get("log_target").getAsBoolean())
                    : Losses.klDiv(x, target, Reduction.valueOf(reduction), args.get("log_target").getAsBoolean());
            case "smoothL1Loss" -> Losses.smoothL1Loss(x, target, args.get("beta").getAsDouble(), Reduction.valueOf(reduction));
            case "binaryCrossEntropy" -> Losses.binaryCrossEntropy(x, target, weight, Reduction.valueOf(reduction));
            default -> throw new IllegalArgumentException(c.get("loss").getAsString());
        };
    }

    private static void passesTwice(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Report r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::toString);
        GradCheck.Report r2 = GradCheck.gradGradCheck(f, inputs);
        assertTrue(r2.passed(), () -> "second derivatives: " + r2);
    }

    @Test
    void secondDerivativesMatchFiniteDifferences() {
        Rng rng = new Rng(12);
        Tensor logits = Tensor.uniform(rng, -2, 2, 4, 3);
        CrossEntropyOptions all = CrossEntropyOptions.DEFAULT.withWeight(Tensor.vector(0.5, 1, 2)).withIgnoreIndex(1).withLabelSmoothing(0.2);
        passesTwice(in -> Losses.crossEntropy(in[0], new int[] {0, 1, 2, 2}, all, Reduction.MEAN), logits);
        Tensor probs = Tensor.uniform(rng, 0.1, 0.9, 2, 3), labels = Tensor.uniform(rng, 0, 1, 2, 3);
        passesTwice(in -> Losses.binaryCrossEntropy(in[0], in[1], null, Reduction.SUM), probs, labels);
        Tensor logq = Tensor.uniform(rng, -2, 2, 2, 3).logSoftmax(1);
        passesTwice(in -> Losses.klDivBatchMean(in[0], in[1], false), logq, Tensor.uniform(rng, 0.1, 1, 2, 3));
        passesTwice(in -> Losses.smoothL1Loss(in[0], in[1], 0.5, Reduction.MEAN), Tensor.vector(-2, -0.2, 0.1, 1.3), Tensor.vector(0.4, 0, 0, 0.7));
    }

    @Test
    void aWeightedMeanDividesByTheWeightOfTheTargetsThatAreNotIgnored() {
        // two samples, class 0 (weight 3) and an ignored one: the mean is the first sample's plain loss
        Tensor logits = Tensor.matrix(new double[][] {{1, 2}, {0.5, -1}});
        CrossEntropyOptions o = CrossEntropyOptions.DEFAULT.withWeight(Tensor.vector(3, 1)).withIgnoreIndex(-1);
        double expected = -logits.logSoftmax(1).get(0, 0);
        assertEquals(expected, Losses.crossEntropy(logits, new int[] {0, -1}, o, Reduction.MEAN).item(), 1e-15);
        assertEquals(3 * expected, Losses.crossEntropy(logits, new int[] {0, -1}, o, Reduction.SUM).item(), 1e-15);
    }

    @Test
    void anUnbatchedSampleIsOneRowOfABatch() {
        // PyTorch: F.cross_entropy(x (C), t ()) == F.cross_entropy(x[None], t[None]), and NONE gives a 0-d loss
        Tensor logits = Tensor.vector(0.3, -1.2, 2.0);
        CrossEntropyOptions smoothed = CrossEntropyOptions.DEFAULT.withWeight(Tensor.vector(0.5, 1, 2)).withLabelSmoothing(0.1);
        for (Reduction r : Reduction.values()) {
            Tensor one = Losses.crossEntropy(logits, new int[] {2}, smoothed, r), row = Losses.crossEntropy(logits.unsqueeze(0), new int[] {2}, smoothed, r);
            assertEquals(0, one.dim(), r + " gives a scalar");
            assertEquals(row.sum().item(), one.item(), 0, r.toString());
            assertEquals(Losses.crossEntropy(logits.unsqueeze(0), new int[] {1}, r).sum().item(), Losses.crossEntropy(logits, new int[] {1}, r).item(), 0);
        }
        passesTwice(in -> Losses.crossEntropy(in[0], new int[] {0}, smoothed, Reduction.MEAN), logits);
        assertEquals("crossEntropy: expected 1 target for unbatched input [3], got 2",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[] {0, 1})).getMessage());
    }

    @Test
    void badOptionsAreNamed() {
        assertEquals("crossEntropy: expected labelSmoothing in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.DEFAULT.withLabelSmoothing(1.5)).getMessage());
        assertEquals("crossEntropy: expected a weight of shape [3] (one per class), got [2]",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 1},
                        CrossEntropyOptions.DEFAULT.withWeight(Tensor.ones(2)), Reduction.MEAN)).getMessage());
        assertEquals("crossEntropy: Target 5 is out of bounds (3 classes)",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 5},
                        CrossEntropyOptions.DEFAULT, Reduction.MEAN)).getMessage());
        assertEquals("crossEntropy: expected 4 targets for input [2, 3, 2] (shape [2, 2]), got 2",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(2, 3, 2), new int[] {0, 1},
                        CrossEntropyOptions.DEFAULT, Reduction.MEAN)).getMessage());
        assertEquals("binaryCrossEntropy: expected every input in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropy(Tensor.vector(0.5, 1.5), Tensor.vector(0, 1),
                        null, Reduction.MEAN)).getMessage());
        assertEquals("smoothL1Loss: expected a finite beta >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Losses.smoothL1Loss(Tensor.zeros(1), Tensor.zeros(1), -1, Reduction.MEAN)).getMessage());
    }
}

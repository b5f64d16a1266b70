package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.descent.core.Tape;
import dev.descent.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss and reduction agrees with PyTorch (values and input gradients, {@code 1e-12 + 1e-10·|torch|}) on the
 * cases of {@code fixtures/torch_losses.json}, written by {@code fixtures/torch_losses.py}, including logits of ±1e4.
 */
class LossesTest {

    @TestFactory
    Stream<DynamicTest> lossesMatchPyTorch() throws IOException {
        JsonArray cases;
        try (InputStream in = LossesTest.class.getResourceAsStream("/fixtures/torch_losses.json")) {
            cases = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonArray();
        }
        return StreamSupport.stream(cases.spliterator(), false).map(JsonElement::getAsJsonObject)
                .map(c -> DynamicTest.dynamicTest(c.get("name").getAsString(), () -> replay(c)));
    }

    private static void replay(JsonObject c) {
        Tensor x = tensor(c.getAsJsonObject("input")).requiresGrad(true);
        Reduction r = Reduction.valueOf(c.get("reduction").getAsString());
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = apply(c, x, r);
            tape.backward(y, tensor(c.getAsJsonObject("w")));
        }
        close("output", tensor(c.getAsJsonObject("output")), y);
        close("grad", tensor(c.getAsJsonObject("grad")), x.grad());
    }

    private static Tensor apply(JsonObject c, Tensor x, Reduction r) {
        return switch (c.get("loss").getAsString()) {
            case "mseLoss" -> Losses.mseLoss(x, target(c), r);
            case "l1Loss" -> Losses.l1Loss(x, target(c), r);
            case "huberLoss" -> Losses.huberLoss(x, target(c), c.getAsJsonObject("args").get("delta").getAsDouble(), r);
            case "crossEntropy" -> Losses.crossEntropy(x, classes(c), r);
            case "nllLoss" -> Losses.nllLoss(x, classes(c), r);
            case "binaryCrossEntropyWithLogits" -> Losses.binaryCrossEntropyWithLogits(x, target(c), r);
            default -> throw new IllegalArgumentException(c.get("loss").getAsString());
        };
    }

    // ---------------------------------------------------------------- values and bad input

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        Tensor y = Losses.huberLoss(Tensor.vector(0.5, 3, -4), Tensor.zeros(3), 1.0, Reduction.NONE);
        assertArrayEquals(new double[] {0.125, 2.5, 3.5}, y.toArray());
    }

    @Test
    void withoutAReductionEveryLossIsTheMeanAsInPyTorch() {
        Tensor x = Tensor.matrix(new double[][] {{0.3, -2.5, 1.0}, {4.0, 0.1, -0.7}}), t = Tensor.matrix(new double[][] {{1, 0, 0}, {0, 1, 1}});
        int[] k = {2, 0};
        assertEquals(Losses.mseLoss(x, t, Reduction.MEAN).item(), Losses.mseLoss(x, t).item());
        assertEquals(Losses.l1Loss(x, t, Reduction.MEAN).item(), Losses.l1Loss(x, t).item());
        assertEquals(Losses.huberLoss(x, t, 1.0, Reduction.MEAN).item(), Losses.huberLoss(x, t).item(), "delta defaults to 1");
        assertEquals(Losses.crossEntropy(x, k, Reduction.MEAN).item(), Losses.crossEntropy(x, k).item());
        Tensor logp = x.logSoftmax(1);
        assertEquals(Losses.nllLoss(logp, k, Reduction.MEAN).item(), Losses.nllLoss(logp, k).item());
        assertEquals(Losses.binaryCrossEntropyWithLogits(x, t, Reduction.MEAN).item(), Losses.binaryCrossEntropyWithLogits(x, t).item());
        assertEquals(x.sub(t).square().sum().item() / 6, Losses.mseLoss(x, t).item(), 1e-15, "the mean over all six elements");
        var smoothing = CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.1);
        assertEquals(Losses.crossEntropy(x, k, smoothing, Reduction.MEAN).item(), Losses.crossEntropy(x, k, smoothing).item());
        Tensor q = t.add(0.5).div(t.add(0.5).sum(1, true));
        assertEquals(Losses.klDiv(logp, q, Reduction.MEAN, false).item(), Losses.klDiv(logp, q).item());
        assertEquals(Losses.smoothL1Loss(x, t, 1.0, Reduction.MEAN).item(), Losses.smoothL1Loss(x, t).item(), "beta defaults to 1");
        Tensor p = x.sigmoid();
        assertEquals(Losses.binaryCrossEntropy(p, t, null, Reduction.MEAN).item(), Losses.binaryCrossEntropy(p, t).item());
    }

    @Test
    void l2PenaltyIsTheSumOfSquaresOfEveryParameter() {
        assertEquals(1 + 4 + 9 + 16.0, Losses.l2Penalty(List.of(Tensor.vector(1, 2), Tensor.matrix(new double[][] {{3}, {4}}))).item());
        Tensor w = Tensor.vector(1, -2).requiresGrad(true);
        Tensor[] g;
        try (Tape tape = Tape.record()) {
            g = tape.gradient(Losses.l2Penalty(List.of(w)), w);
        }
        assertArrayEquals(new double[] {2, -4}, g[0].toArray());
    }

    @Test
    void lossesRejectMismatchedShapesAndBadTargets() {
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.mseLoss(Tensor.zeros(4, 1), Tensor.zeros(4), Reduction.MEAN));
        assertEquals("mseLoss: input shape [4, 1] and target shape [4] differ", shape.getMessage());
        IllegalArgumentException bounds = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}, Reduction.MEAN));
        assertEquals("crossEntropy: Target 3 is out of bounds (3 classes)", bounds.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Losses.nllLoss(Tensor.zeros(2, 3), new int[] {0}, Reduction.MEAN));
        assertEquals("nllLoss: expected input [N, C] with N = 1 (the number of targets), got shape [2, 3]", count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.huberLoss(Tensor.zeros(1), Tensor.zeros(1), 0, Reduction.MEAN));
    }

    // ---------------------------------------------------------------- fixture reading

    private static void close(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-12 + 1e-10 * Math.abs(e[i]), what + "[" + i + "]");
    }

    private static Tensor target(JsonObject c) {
        return tensor(c.getAsJsonObject("target"));
    }

    private static int[] classes(JsonObject c) {
        JsonArray a = c.getAsJsonArray("classes");
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }

    private static Tensor tensor(JsonObject o) {
        JsonArray v = o.getAsJsonArray("values");
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) values[i] = v.get(i).getAsDouble();
        JsonArray s = o.getAsJsonArray("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsInt();
        return Tensor.of(values, shape);
    }
}

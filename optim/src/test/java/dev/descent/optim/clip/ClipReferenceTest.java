package dev.descent.optim.clip;

import static dev.descent.optim.Fixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.optim.Fixtures;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Clipping gives PyTorch's results, within {@code |a − b| <= 1e-12 + 1e-9 |b|} (NaN where PyTorch has NaN), on the
 * gradient sets of {@code fixtures/torch_clip.json} (written by the committed {@code fixtures/torch_clip.py}): small and
 * large gradients, an infinite and a NaN element, and a parameter without a gradient; norms of order 1, 2, 3 and ∞.
 */
class ClipReferenceTest {
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-9;

    @TestFactory
    Stream<DynamicTest> clippingFollowsPyTorch() {
        JsonObject root = Fixtures.load("torch_clip");
        return StreamSupport.stream(root.getAsJsonArray("cases").spliterator(), false).map(JsonElement::getAsJsonObject).map(c -> {
            String name = c.get("kind").getAsString() + " on " + c.get("grads").getAsString() + " gradients "
                    + (c.has("normType") ? "p=" + c.get("normType") + " maxNorm=" + c.get("maxNorm") : "clipValue=" + c.get("clipValue"));
            return DynamicTest.dynamicTest(name, () -> check(root, c));
        });
    }

    private static void check(JsonObject root, JsonObject c) {
        List<Tensor> params = params(root, c.get("grads").getAsString());
        if (c.get("kind").getAsString().equals("norm")) {
            double total = Clip.clipGradNorm(params, c.get("maxNorm").getAsDouble(), c.get("normType").getAsDouble(), false);
            assertClose(c.get("total").getAsDouble(), total, "total norm");
        } else {
            Clip.clipGradValue(params, c.get("clipValue").getAsDouble());
        }
        JsonArray clipped = c.getAsJsonArray("clipped");
        for (int k = 0; k < params.size(); k++) {
            if (clipped.get(k).isJsonNull()) {
                assertNull(params.get(k).grad());
                continue;
            }
            double[] want = doubles(clipped.get(k).getAsJsonArray()), got = params.get(k).grad().toArray();
            for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], "gradient " + k + ", element " + i);
        }
    }

    @Test
    void aNonFiniteNormThrowsWhenAskedAndChangesNothing() {
        List<Tensor> params = params(Fixtures.load("torch_clip"), "nan");
        double[] before = params.get(0).grad().toArray();
        var e = assertThrows(IllegalStateException.class, () -> Clip.clipGradNorm(params, 1.0, 2.0, true));
        assertTrue(e.getMessage().startsWith("The total norm of order 2.0 for gradients from `parameters` is non-finite"), e.getMessage());
        assertArrayEquals(before, params.get(0).grad().toArray(), 0.0);
    }

    @Test
    void noGradientsMeansANormOfZero() {
        assertEquals(0.0, Clip.clipGradNorm(List.of(Tensor.vector(1, 2).requiresGrad(true)), 1.0));
    }

    private static void assertClose(double want, double got, String where) {
        if (Double.isNaN(want) ? !Double.isNaN(got) : !(want == got || Math.abs(got - want) <= ATOL + RTOL * Math.abs(want))) {
            fail(where + ": descent " + got + ", torch " + want);
        }
    }

    private static List<Tensor> params(JsonObject root, String set) {
        JsonArray shapes = root.getAsJsonArray("shapes"), grads = root.getAsJsonObject("gradSets").getAsJsonArray(set);
        List<Tensor> params = new ArrayList<>();
        for (int k = 0; k < shapes.size(); k++) {
            int[] shape = StreamSupport.stream(shapes.get(k).getAsJsonArray().spliterator(), false).mapToInt(JsonElement::getAsInt).toArray();
            Tensor p = Tensor.zeros(shape).requiresGrad(true);
            if (!grads.get(k).isJsonNull()) p.setGrad(Tensor.of(doubles(grads.get(k).getAsJsonArray()), shape));
            params.add(p);
        }
        return params;
    }
}

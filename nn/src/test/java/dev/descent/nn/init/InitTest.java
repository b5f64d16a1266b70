package dev.descent.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * torch.nn.init's formulas exactly (gains, fans, bounds) and its distributions statistically: the sample standard
 * deviation of 100,000 draws must lie within 4 standard errors of the target, the standard error of a sample standard
 * deviation being √((m₄ − s⁴) / (4 s² n)) with m₄ the sample fourth central moment (σ/√(2n) for a normal,
 * bound/√(15n) for a uniform).
 */
class InitTest {

    @Test
    void gainsArePyTorchsFormulas() {
        for (String linear : new String[] {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"}) {
            assertEquals(1.0, Init.calculateGain(linear), linear);
        }
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2.0), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2.0 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(2.0 / (1 + 0.2 * 0.2)), Init.calculateGain("leaky_relu", 0.2));
        assertEquals(Math.sqrt(2.0 / 6), Init.calculateGain("leaky_relu", Math.sqrt(5)));
        assertEquals(0.75, Init.calculateGain("selu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertEquals("Unsupported nonlinearity swish", e.getMessage());
    }

    @Test
    void fansFollowPyTorchIncludingTheReceptiveField() {
        assertArrayEquals(new int[] {3, 5}, Init.fanInAndFanOut(Tensor.zeros(5, 3)));
        assertArrayEquals(new int[] {3 * 4 * 2, 8 * 4 * 2}, Init.fanInAndFanOut(Tensor.zeros(8, 3, 4, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fanInAndFanOut(Tensor.zeros(4)));
        assertEquals("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", e.getMessage());
    }

    @Test
    void xavierUniformFillsExactlyItsBoundWithTheRightSpread() {
        Tensor w = Tensor.zeros(200, 500);
        assertSame(w, Init.xavierUniform(w, 2.0, new Rng(1)));
        double bound = 2.0 * Math.sqrt(6.0 / 700);
        checkUniform(w, bound);
    }

    @Test
    void xavierNormalHasStdGainTimesSqrtTwoOverFanSum() {
        Tensor w = Init.xavierNormal(Tensor.zeros(250, 100, 4), 1.5, new Rng(2));
        checkStd(w, 1.5 * Math.sqrt(2.0 / (400 + 1000)));
    }

    @Test
    void kaimingUniformBoundIsGainTimesSqrtThreeOverFan() {
        Tensor fanIn = Init.kaimingUniform(Tensor.zeros(200, 500), 0, FanMode.FAN_IN, "relu", new Rng(3));
        checkUniform(fanIn, Math.sqrt(2.0) * Math.sqrt(3.0 / 500));
        Tensor fanOut = Init.kaimingUniform(Tensor.zeros(200, 500), 0.2, FanMode.FAN_OUT, "leaky_relu", new Rng(4));
        checkUniform(fanOut, Math.sqrt(2.0 / 1.04) * Math.sqrt(3.0 / 200));
    }

    @Test
    void kaimingNormalStdIsGainOverSqrtFan() {
        checkStd(Init.kaimingNormal(Tensor.zeros(100, 1000), 0, FanMode.FAN_IN, "relu", new Rng(5)), Math.sqrt(2.0 / 1000));
        checkStd(Init.kaimingNormal(Tensor.zeros(100, 250, 4), 0, FanMode.FAN_OUT, "tanh", new Rng(6)), 5.0 / 3 / Math.sqrt(400));
    }

    @Test
    void kaimingDefaultsArePyTorchsAZeroFanInLeakyRelu() {
        Tensor u = Init.kaimingUniform(Tensor.zeros(200, 500), new Rng(9));
        assertArrayEquals(Init.kaimingUniform(Tensor.zeros(200, 500), 0, FanMode.FAN_IN, "leaky_relu", new Rng(9)).toArray(), u.toArray());
        checkUniform(u, Math.sqrt(6.0 / 500)); // gain √(2 / (1 + 0²)) = √2, bound = gain·√(3 / fanIn)
        Tensor n = Init.kaimingNormal(Tensor.zeros(100, 1000), new Rng(10));
        assertArrayEquals(Init.kaimingNormal(Tensor.zeros(100, 1000), 0, FanMode.FAN_IN, "leaky_relu", new Rng(10)).toArray(), n.toArray());
        checkStd(n, Math.sqrt(2.0 / 1000));
    }

    @Test
    void kaimingLeavesEmptyTensorsAlone() {
        Tensor empty = Tensor.zeros(0, 3);
        assertSame(empty, Init.kaimingUniform(empty, 0, FanMode.FAN_IN, "relu", new Rng(1)));
        assertEquals(0, empty.size());
    }

    @Test
    void uniformNormalConstantAndZerosFillInPlaceAndBumpTheVersion() {
        Tensor t = Tensor.ones(1000, 100);
        int v = t.version();
        Init.uniform(t, -0.5, 2, new Rng(7));
        assertTrue(t.version() > v);
        for (double x : t.toArray()) assertTrue(x >= -0.5 && x < 2);
        checkStd(Init.normal(Tensor.zeros(1000, 100), 3, 0.25, new Rng(8)), 0.25);
        assertArrayEquals(new double[] {1.5, 1.5}, Init.constant(Tensor.zeros(2), 1.5).toArray());
        assertArrayEquals(new double[] {0, 0}, Init.zeros(Tensor.ones(2)).toArray());
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        Tensor a = Init.kaimingNormal(Tensor.zeros(3, 4), 0, FanMode.FAN_IN, "relu", new Rng(11));
        Tensor b = Init.kaimingNormal(Tensor.zeros(3, 4), 0, FanMode.FAN_IN, "relu", new Rng(11));
        assertArrayEquals(a.toArray(), b.toArray());
    }

    @Test
    void orthogonalGivesOrthonormalColumnsForTallAndRowsForWideMatrices() {
        for (int[] shape : new int[][] {{7, 4}, {4, 7}, {5, 5}, {3, 2, 2}, {1, 6}}) {
            Tensor q = Init.orthogonal(Tensor.zeros(shape), 1.0, new Rng(12));
            int rows = shape[0];
            int cols = q.size() / rows;
            Tensor m = q.reshape(rows, cols);
            Tensor gram = rows >= cols ? m.t().matmul(m) : m.matmul(m.t());
            int k = Math.min(rows, cols);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) assertEquals(i == j ? 1.0 : 0.0, gram.get(i, j), 1e-12, java.util.Arrays.toString(shape));
            }
        }
        Tensor scaled = Init.orthogonal(Tensor.zeros(4, 4), 2.0, new Rng(13));
        Tensor gram = scaled.t().matmul(scaled);
        for (int i = 0; i < 4; i++) assertEquals(4.0, gram.get(i, i), 1e-12, "gain scales every column to norm gain");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(Tensor.zeros(4), 1, new Rng(1)));
        assertEquals("Only tensors with 2 or more dimensions are supported", e.getMessage());
    }

    @Test
    void orthogonalIsTheSignCorrectedQOfTheNormalDraw() {
        // With R's diagonal made positive, Q·R reproduces the same standard normal matrix the Rng drew.
        Tensor q = Init.orthogonal(Tensor.zeros(5, 3), 1.0, new Rng(14));
        double[] a = new double[15];
        new Rng(14).fillNormal(a, 0, 1);
        Tensor r = q.t().matmul(Tensor.of(a, 5, 3));
        for (int i = 0; i < 3; i++) {
            assertTrue(r.get(i, i) > 0, "positive diagonal");
            for (int j = 0; j < i; j++) assertEquals(0.0, r.get(i, j), 1e-12, "upper triangular");
        }
        assertArrayEquals(a, q.matmul(r).toArray(), 1e-12);
    }

    private static void checkUniform(Tensor w, double bound) {
        double max = 0;
        for (double x : w.toArray()) max = Math.max(max, Math.abs(x));
        assertTrue(max < bound, "all draws inside (-bound, bound): max " + max + ", bound " + bound);
        assertTrue(max > bound * (1 - 1e-3), "draws reach the bound: max " + max + ", bound " + bound);
        checkStd(w, bound / Math.sqrt(3));
    }

    private static void checkStd(Tensor w, double target) {
        double[] x = w.toArray();
        int n = x.length;
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double m2 = 0, m4 = 0;
        for (double v : x) {
            double d = (v - mean) * (v - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= n;
        m4 /= n;
        double s = Math.sqrt(m2);
        double se = Math.sqrt((m4 - m2 * m2) / (4 * m2 * n));
        assertEquals(target, s, 4 * se, "sample std " + s + " vs " + target + " (standard error " + se + ")");
    }
}

package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Forward values, shape rules and the error messages of bad input. */
class TensorTest {

    @Test
    void broadcastingFollowsNumPy() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.vector(10, 20, 30);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, a.add(b).toArray(), 0);
        Tensor col = Tensor.of(new double[] {1, 2}, 2, 1);
        assertArrayEquals(new int[] {2, 3}, col.mul(b).shape());
        assertArrayEquals(new double[] {10, 20, 30, 20, 40, 60}, col.mul(b).toArray(), 0);
        assertEquals(7, Tensor.scalar(3).add(Tensor.scalar(4)).item(), 0);
    }

    @Test
    void reductionsOverAxes() {
        Tensor a = Tensor.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new double[] {9, 12}, a.sum(1, false).toArray(), 0);
        assertArrayEquals(new int[] {1, 3}, a.sum(0, true).shape());
        assertArrayEquals(new double[] {5, 6}, a.max(-1, false).toArray(), 0);
        assertArrayEquals(new double[] {1, 2}, a.min(1, false).toArray(), 0);
        assertEquals(3.5, a.mean().item(), 0);
        assertTrue(Double.isNaN(Tensor.vector(1, Double.NaN, 3).max().item()));
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor x = Tensor.vector(1e4, -1e4, 1e4 - 1);
        double[] p = x.softmax(0).toArray();
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
        assertEquals(0, p[1], 0);
        assertEquals(-1e4 - Math.log1p(Math.exp(-1)) - 1e4, x.logSoftmax(0).toArray()[1], 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, Tensor.vector(Double.POSITIVE_INFINITY, 0).logSumExp(0, false).item());
    }

    @Test
    void matmulOfMisalignedShapesNamesBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: shapes [3, 4] and [5, 2] are not aligned (4 != 5)", e.getMessage());
    }

    @Test
    void nonBroadcastableShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().startsWith("add: shapes [2, 3] and [4] cannot be broadcast together"), e.getMessage());
    }

    @Test
    void outOfRangeAxisIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sum(2, false));
        assertEquals("sum: axis 2 is out of range for a tensor of rank 2 (expected -2..1)", e.getMessage());
    }

    @Test
    void reshapeToADifferentSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertEquals("reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)", e.getMessage());
        assertArrayEquals(new int[] {3, 2}, Tensor.zeros(2, 3).reshape(-1, 2).shape());
    }

    @Test
    void reshapeIsAViewAndOtherOpsCopy() {
        Tensor a = Tensor.zeros(2, 2);
        Tensor v = a.reshape(4);
        v.set(7, 1);
        assertEquals(7, a.get(0, 1), 0);
        assertEquals(a.version(), v.version());
        Tensor t = a.t();
        t.set(9, 0, 0);
        assertEquals(0, a.get(0, 0), 0);
    }

    @Test
    void structuralOpsMoveTheRightElements() {
        Tensor a = Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, a.t().toArray(), 0);
        assertArrayEquals(new double[] {1, 2, 4, 5}, a.slice(1, 1, 3).toArray(), 0);
        assertArrayEquals(new double[] {2, 0, 5, 3}, a.indexSelect(1, 2, 0).toArray(), 0);
        assertArrayEquals(new double[] {2, 3}, a.gather(1, Tensor.of(new double[] {2, 0}, 2, 1)).toArray(), 0);
        assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(0, a, a).shape());
        assertArrayEquals(new double[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, Tensor.concat(1, a, a).toArray(), 0);
    }

    @Test
    void gatherRejectsIndicesOutOfRange() {
        Tensor a = Tensor.zeros(2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.gather(1, Tensor.of(new double[] {3, 0}, 2, 1)));
        assertTrue(e.getMessage().contains("index value 3.0") && e.getMessage().contains("[0, 3)"), e.getMessage());
    }

    @Test
    void matmulHandlesVectorsAndBatches() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor v = Tensor.vector(1, 1);
        assertArrayEquals(new double[] {3, 7}, m.matmul(v).toArray(), 0);
        assertArrayEquals(new double[] {4, 6}, v.matmul(m).toArray(), 0);
        assertEquals(2, v.matmul(v).item(), 0);
        Tensor batch = Tensor.stack(0, m, m.mul(2));
        assertArrayEquals(new double[] {7, 10, 15, 22, 14, 20, 30, 44}, batch.matmul(m).toArray(), 0);
    }

    @Test
    void activationsMatchTheirDefinitions() {
        Tensor x = Tensor.vector(-2, 0, 3);
        assertArrayEquals(new double[] {0, 0, 3}, x.relu().toArray(), 0);
        assertTrue(Double.isNaN(Tensor.scalar(Double.NaN).relu().item()), "relu propagates NaN, as PyTorch");
        assertEquals(0.0, Tensor.scalar(-0.0).relu().item(), 0);
        assertArrayEquals(new double[] {-0.2, 0, 3}, x.leakyRelu(0.1).toArray(), 1e-15);
        assertArrayEquals(new double[] {Math.expm1(-2), 0, 3}, x.elu(1).toArray(), 1e-15);
        assertArrayEquals(new double[] {Math.log1p(Math.exp(-2)), Math.log(2), Math.log1p(Math.exp(3))}, x.softplus().toArray(), 1e-15);
        assertEquals(1, Tensor.scalar(800).sigmoid().item(), 0);
        assertEquals(0, Tensor.scalar(-800).sigmoid().item(), 0);
    }

    @Test
    void reluBackwardSelectsTheIncomingGradientAsThresholdBackward() {
        // PyTorch's threshold_backward: 0 where x <= 0 whatever the incoming gradient (NaN included), g elsewhere (x NaN too)
        Tensor x = Tensor.vector(-1, 0, 2, Double.NaN).requiresGrad(true);
        Tensor seed = Tensor.vector(Double.NaN, Double.POSITIVE_INFINITY, 3, 5).requiresGrad(true);
        try (Tape outer = Tape.record()) {
            Tensor g;
            try (Tape inner = Tape.record()) {
                g = inner.gradient(x.relu(), new Tensor[] {x}, seed)[0];
            }
            assertArrayEquals(new double[] {0, 0, 3, 5}, g.toArray(), 0);
            // the backward is linear in the incoming gradient: d(sum(w * g))/d(seed) = w masked the same way
            Tensor back = outer.gradient(g.mul(Tensor.vector(7, 11, 13, 17)).sum(), seed)[0];
            assertArrayEquals(new double[] {0, 0, 13, 17}, back.toArray(), 0);
        }
    }

    @Test
    void factoriesValidateTheirArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[] {1, 2, 3}, 2, 2));
        assertEquals("Tensor.of: shape [2, 2] needs 4 values, got 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).item());
    }

    @Test
    void requiresGradOnlyOnLeaves() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = x.exp();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
            assertTrue(e.getMessage().contains("'exp'"), e.getMessage());
        }
    }
}

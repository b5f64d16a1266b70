package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Forward values, PyTorch's initialisation and the bad-input messages of the layers. */
class LayerTest {

    @Test
    void linearWithTheWrongWidthNamesTheModuleAndTheShape() {
        Linear lin = new Linear(784, 10, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(32, 100)));
        assertEquals("Linear(784, 10): expected input with 784 features in its last dimension, got shape [32, 100]", e.getMessage());
    }

    @Test
    void linearInitialisationIsPyTorchsDefault() {
        int in = 50;
        Linear lin = new Linear(in, 400, new Rng(3));
        double bound = 1 / Math.sqrt(in);
        double maxW = 0, maxB = 0;
        for (double w : lin.weight().toArray()) maxW = Math.max(maxW, Math.abs(w));
        for (double b : lin.bias().toArray()) maxB = Math.max(maxB, Math.abs(b));
        assertTrue(maxW < bound && maxW > 0.99 * bound, "weights fill U(-1/sqrt(in), 1/sqrt(in)): max |w| = " + maxW);
        assertTrue(maxB < bound && maxB > 0.95 * bound, "biases fill U(-1/sqrt(in), 1/sqrt(in)): max |b| = " + maxB);
        assertArrayEquals(new Linear(in, 400, new Rng(3)).weight().toArray(), lin.weight().toArray(), "same seed, same weights");
    }

    @Test
    void linearWithNoInputFeaturesGivesItsBias() {
        // PyTorch 1.13: nn.Linear(0, 4)(torch.zeros(5, 0)) is zeros [5, 4] (an empty sum, plus a bias drawn from
        // U(0, 0)); the weight's gradient is [4, 0] and the bias's the column sums of the seed
        Linear lin = new Linear(0, 4, new Rng(1));
        lin.bias().copyFrom(Tensor.vector(1, 2, 3, 4));
        Tensor y;
        try (dev.descent.core.Tape tape = dev.descent.core.Tape.record()) {
            y = lin.forward(Tensor.zeros(5, 0));
            tape.backward(y.sum());
        }
        assertArrayEquals(new int[] {5, 4}, y.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4}, y.slice(0, 4, 5).toArray());
        assertArrayEquals(new int[] {4, 0}, lin.weight().grad().shape());
        assertArrayEquals(new double[] {5, 5, 5, 5}, lin.bias().grad().toArray());
        for (double b : new Linear(0, 4, new Rng(1)).bias().toArray()) assertEquals(0.0, b, 0.0, "the bias is drawn from U(0, 0)");
    }

    @Test
    void linearComputesXWTransposedPlusB() {
        Linear lin = new Linear(2, 2, new Rng(1));
        lin.weight().copyFrom(Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
        lin.bias().copyFrom(Tensor.vector(10, 20));
        assertArrayEquals(new double[] {10 + 1 + 4, 20 + 3 + 8}, lin.forward(Tensor.matrix(new double[][] {{1, 2}})).toArray());
    }

    @Test
    void activationsComputeTheirFunctions() {
        Tensor x = Tensor.vector(-2, -0.5, 0.5, 2);
        assertArrayEquals(new double[] {0, 0, 0.5, 2}, new ReLU().forward(x).toArray());
        assertArrayEquals(new double[] {-0.4, -0.1, 0.5, 2}, new LeakyReLU(0.2).forward(x).toArray(), 1e-15);
        assertArrayEquals(new double[] {-0.02, -0.005, 0.5, 2}, new LeakyReLU().forward(x).toArray(), 1e-15);
        assertArrayEquals(new double[] {Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0.5, 2}, new ELU().forward(x).toArray(), 1e-15);
        double[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            double s = 1 / (1 + Math.exp(-v[i]));
            assertEquals(s, new Sigmoid().forward(x).get(i), 1e-15);
            assertEquals(Math.tanh(v[i]), new Tanh().forward(x).get(i), 1e-15);
            assertEquals(Math.log1p(Math.exp(v[i])), new Softplus().forward(x).get(i), 1e-15);
            assertEquals(v[i] * s, new SiLU().forward(x).get(i), 1e-15);
        }
        assertEquals(1.9544997361036416, new GELU().forward(x).get(3), 1e-14); // torch.nn.GELU()(2.0)
    }

    @Test
    void flattenKeepsTheBatchDimension() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {6, 4}, new Flatten(0, 1).forward(x).shape());
        assertArrayEquals(new int[] {24}, new Flatten(0, -1).forward(x).shape());
        assertArrayEquals(x.toArray(), new Flatten().forward(x).toArray());
    }

    @Test
    void dropoutRejectsProbabilitiesOutsideTheUnitInterval() {
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(p, new Rng(1)));
            assertEquals("dropout probability has to be between 0 and 1, but got " + p, e.getMessage());
        }
    }

    @Test
    void dropoutIsTheIdentityInEvalModeAndForPZero() {
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 4, 5);
        Dropout d = new Dropout(0.5, new Rng(2));
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, new Rng(2)).forward(x));
        assertArrayEquals(new double[20], new Dropout(1, new Rng(2)).forward(x).toArray(), 0.0); // -0.0 for negative inputs, as in PyTorch
    }

    @Test
    void dropoutZeroesAFractionPAndScalesSurvivorsByOneOverOneMinusP() {
        double p = 0.3;
        int n = 100_000;
        Tensor y = new Dropout(p, new Rng(7)).forward(Tensor.ones(n));
        int zeros = 0;
        double sum = 0;
        for (double v : y.toArray()) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-15);
            sum += v;
        }
        // The zero count is Binomial(n, p): allow 4 standard deviations.
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, zeros, 4 * sd);
        // The mean of the output estimates E[y] = 1 with standard error sqrt(p/(1-p)/n).
        assertEquals(1.0, sum / n, 4 * Math.sqrt(p / (1 - p) / n));
        assertArrayEquals(y.toArray(), new Dropout(p, new Rng(7)).forward(Tensor.ones(n)).toArray(), "same seed, same mask");
    }

    @Test
    void batchNormTrainsOnBatchStatisticsAndTracksRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.matrix(new double[][] {{1, 10}, {2, 20}, {6, 30}});
        Tensor y = bn.forward(x);
        // channel 0: mean 3, biased variance 14/3, unbiased 7
        double sd0 = Math.sqrt(14.0 / 3 + 1e-5);
        assertArrayEquals(new double[] {-2 / sd0, -1 / sd0, 3 / sd0}, new double[] {y.get(0, 0), y.get(1, 0), y.get(2, 0)}, 1e-12);
        assertArrayEquals(new double[] {0.1 * 3, 0.1 * 20}, bn.namedBuffers().get("running_mean").toArray(), 1e-12);
        assertArrayEquals(new double[] {0.9 + 0.1 * 7, 0.9 + 0.1 * 100}, bn.namedBuffers().get("running_var").toArray(), 1e-12);
        assertEquals(1.0, bn.namedBuffers().get("num_batches_tracked").item());

        bn.eval();
        Tensor e = bn.forward(Tensor.matrix(new double[][] {{1, 10}}));
        assertEquals((1 - 0.3) / Math.sqrt(1.6 + 1e-5), e.get(0, 0), 1e-12);
        assertEquals((10 - 2) / Math.sqrt(10.9 + 1e-5), e.get(0, 1), 1e-12);
        assertEquals(1.0, bn.namedBuffers().get("num_batches_tracked").item(), "eval does not update");
    }

    @Test
    void batchNormOverSequencesPoolsBatchAndLength() {
        BatchNorm1d bn = new BatchNorm1d(1);
        bn.forward(Tensor.of(new double[] {1, 2, 3, 6}, 2, 1, 2)); // mean 3, biased var 3.5, unbiased 14/3
        assertEquals(0.3, bn.namedBuffers().get("running_mean").item(), 1e-12);
        assertEquals(0.9 + 0.1 * 14 / 3, bn.namedBuffers().get("running_var").item(), 1e-12);
    }

    @Test
    void batchNormRejectsOneValuePerChannelInTrainingAsPyTorchDoes() {
        BatchNorm1d bn = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 3)));
        assertEquals("Expected more than 1 value per channel when training, got input size [1, 3]", e.getMessage());
        bn.eval();
        assertArrayEquals(new int[] {1, 3}, bn.forward(Tensor.zeros(1, 3)).shape(), "one sample is fine in eval");
        IllegalArgumentException wrongRank = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(3)));
        assertEquals("BatchNorm1d: expected input [N, 3] or [N, 3, L], got [3]", wrongRank.getMessage());
        IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(4, 2)));
        assertEquals("BatchNorm1d: expected input [N, 3] or [N, 3, L], got [4, 2]", wrongWidth.getMessage());
    }

    @Test
    void batchNorm2dNamesTheShapeItExpects() {
        BatchNorm2d bn = new BatchNorm2d(16);
        assertEquals("BatchNorm2d: expected input [N, 16, H, W], got [8, 3, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(8, 3, 28, 28))).getMessage());
        assertEquals("BatchNorm2d: expected input [N, 16, H, W], got [8, 16]",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(8, 16))).getMessage());
        assertEquals("BatchNorm2d(16, eps=1.0E-5, momentum=0.1, affine=true, track_running_stats=true)", bn.toString());
    }

    @Test
    void batchNormOptionsDecideWhichParametersAndBuffersExist() {
        BatchNorm1d plain = new BatchNorm1d(3, BatchNorm.Options.DEFAULT.withAffine(false).withTrackRunningStats(false));
        assertTrue(plain.namedParameters().isEmpty() && plain.namedBuffers().isEmpty(), "PyTorch registers None for both");
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(new BatchNorm2d(3).stateDict().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.Options.DEFAULT.withMomentum(1.5));
        assertEquals("BatchNorm: expected momentum in [0, 1] or null (cumulative average), got 1.5", e.getMessage());
    }

    @Test
    void cumulativeMomentumAveragesTheBatchMeansEqually() {
        // momentum null: running_mean is the plain average of the batch means (PyTorch's cumulative moving average)
        BatchNorm1d bn = new BatchNorm1d(1, BatchNorm.Options.DEFAULT.withMomentum(null));
        bn.forward(Tensor.of(new double[] {1, 3}, 2, 1));  // mean 2
        bn.forward(Tensor.of(new double[] {4, 6}, 2, 1));  // mean 5
        bn.forward(Tensor.of(new double[] {7, 11}, 2, 1)); // mean 9
        assertEquals((2 + 5 + 9) / 3.0, bn.namedBuffers().get("running_mean").item(), 1e-12);
        assertEquals(3.0, bn.namedBuffers().get("num_batches_tracked").item());
    }

    @Test
    void groupNormNamesTheShapeItExpects() {
        assertEquals("GroupNorm: expected numChannels divisible by numGroups (both positive), got numGroups = 4, numChannels = 6",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6)).getMessage());
        assertEquals("GroupNorm: expected input [N, 6, *], got [2, 4, 5]",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 6).forward(Tensor.zeros(2, 4, 5))).getMessage());
    }

    @Test
    void embeddingLooksUpRowsAndNamesBadIndices() {
        Embedding emb = new Embedding(10, 3, -1, new Rng(4)); // padding row 9, as PyTorch normalises -1
        assertArrayEquals(new double[] {0, 0, 0}, emb.namedParameters().get("weight").slice(0, 9, 10).toArray(), "the padding row starts at zero");
        Tensor y = emb.forward(Tensor.of(new double[] {1, 9, 1, 0}, 2, 2));
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        assertArrayEquals(emb.namedParameters().get("weight").slice(0, 1, 2).toArray(), y.slice(0, 0, 1).slice(1, 0, 1).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.vector(3, 12)));
        assertEquals("Embedding(10, 3, padding_idx=9): embedding: index 12 is out of range [0, 10)", e.getMessage());
    }

    @Test
    void activationModulesCallTheirOpsWithTheirOptions() {
        Tensor x = Tensor.vector(-3.5, -1, 0.25, 2, 4);
        assertArrayEquals(x.gelu("tanh").toArray(), new GELU("tanh").forward(x).toArray());
        assertArrayEquals(x.softplus(2, 3).toArray(), new Softplus(2, 3).forward(x).toArray());
        assertArrayEquals(x.softplus().toArray(), new Softplus().forward(x).toArray());
        assertArrayEquals(x.hardtanh(-1, 1).toArray(), new Hardtanh().forward(x).toArray());
        assertArrayEquals(x.celu(1).toArray(), new CELU().forward(x).toArray());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("GELU: expected approximate 'none' or 'tanh', got 'erf'",
                assertThrows(IllegalArgumentException.class, () -> new GELU("erf")).getMessage());
    }

    @Test
    void layerNormNormalisesEachSampleOverTheTrailingDimensions() {
        LayerNorm ln = new LayerNorm(4);
        Tensor y = ln.forward(Tensor.matrix(new double[][] {{1, 2, 3, 4}, {10, 10, 10, 10}}));
        double sd = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd, 0, 0, 0, 0}, y.toArray(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 3)));
        assertEquals("LayerNorm: expected input [*, 4], got [2, 3]", e.getMessage());
    }
}

package dev.descent.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.Rng;
import dev.descent.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** Inputs 0..n-1 (as [n, 1]) and targets 10·input, so a batch shows which examples it holds. */
    private static TensorDataset numbered(int n) {
        Tensor x = Tensor.arange(n).reshape(n, 1);
        return new TensorDataset(x, x.mul(10).reshape(n));
    }

    private static List<Double> order(DataLoader loader) {
        List<Double> out = new ArrayList<>();
        for (Batch b : loader) for (double v : b.inputs().toArray()) out.add(v);
        return out;
    }

    @Test
    void withoutShuffleBatchesFollowTheDatasetOrderAndKeepTheLastPartialBatch() {
        DataLoader loader = new DataLoader(numbered(7), DataLoader.DEFAULTS.withBatchSize(3));
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertEquals(3, loader.numBatches());
        assertArrayEquals(new double[] {6}, batches.get(2).inputs().toArray());
        assertArrayEquals(new double[] {0, 10, 20}, batches.get(0).targets().toArray());
        assertArrayEquals(new int[] {3, 1}, batches.get(0).inputs().shape());
    }

    @Test
    void dropLastDropsTheSmallerFinalBatch() {
        DataLoader loader = new DataLoader(numbered(7), DataLoader.DEFAULTS.withBatchSize(3).withShuffle(new Rng(1)).withDropLast(true));
        assertEquals(2, loader.numBatches());
        int count = 0;
        for (Batch b : loader) {
            assertEquals(3, b.size());
            count++;
        }
        assertEquals(2, count);
    }

    @Test
    void theSameSeedGivesTheSameOrderAndDifferentSeedsDifferentOnes() {
        List<Double> a = order(new DataLoader(numbered(50), DataLoader.DEFAULTS.withBatchSize(8).withShuffle(new Rng(7))));
        List<Double> b = order(new DataLoader(numbered(50), DataLoader.DEFAULTS.withBatchSize(8).withShuffle(new Rng(7))));
        List<Double> c = order(new DataLoader(numbered(50), DataLoader.DEFAULTS.withBatchSize(8).withShuffle(new Rng(8))));
        assertEquals(a, b);
        assertFalse(a.equals(c));
        List<Double> sorted = new ArrayList<>(a);
        sorted.sort(null);
        assertEquals(order(new DataLoader(numbered(50), DataLoader.DEFAULTS.withBatchSize(8))), sorted, "every example once per epoch");
    }

    @Test
    void everyEpochReshuffles() {
        DataLoader loader = new DataLoader(numbered(30), DataLoader.DEFAULTS.withBatchSize(30).withShuffle(new Rng(3)));
        assertFalse(order(loader).equals(order(loader)));
    }

    @Test
    void defaultsAreTorchsBatchSizeOneInDatasetOrderKeepingTheLastBatch() {
        DataLoader loader = new DataLoader(numbered(3), DataLoader.DEFAULTS);
        assertEquals(new DataLoader.Options(1, null, false), loader.options());
        assertEquals(List.of(0.0, 1.0, 2.0), order(loader));
        assertEquals(3, loader.numBatches());
    }

    @Test
    void withersChangeOneOptionAndLeaveTheOriginalAlone() {
        Rng rng = new Rng(1);
        DataLoader.Options o = DataLoader.DEFAULTS.withBatchSize(4).withShuffle(rng).withDropLast(true);
        assertEquals(new DataLoader.Options(4, rng, true), o);
        assertEquals(new DataLoader.Options(4, null, true), o.withoutShuffle());
        assertEquals(new DataLoader.Options(1, null, false), DataLoader.DEFAULTS, "DEFAULTS unchanged");
    }

    @Test
    @SuppressWarnings("deprecation")
    void thePositionalConstructorMeansTheSameAsTheNamedOptions() {
        List<Double> named = order(new DataLoader(numbered(20), DataLoader.DEFAULTS.withBatchSize(6).withShuffle(new Rng(5)).withDropLast(true)));
        List<Double> positional = order(new DataLoader(numbered(20), 6, true, true, new Rng(5)));
        assertEquals(named, positional);
        assertEquals(18, positional.size(), "three full batches of six, the last two examples dropped");
    }

    @Test
    void badArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(3), DataLoader.DEFAULTS.withBatchSize(0)));
        assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
        NullPointerException noRng = assertThrows(NullPointerException.class, () -> DataLoader.DEFAULTS.withShuffle(null));
        assertEquals("DataLoader: shuffle needs an Rng, got null", noRng.getMessage());
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertEquals("TensorDataset: inputs [3, 2] and targets [4] must have the same size in their first dimension", sizes.getMessage());
    }

    @Test
    void twoMoonsHasTwoBalancedClassesOnTheirHalfCircles() {
        TensorDataset moons = Synthetic.twoMoons(101, 0.0, new Rng(1));
        assertArrayEquals(new int[] {101, 2}, moons.inputs().shape());
        int[] classes = moons.get(range(101)).classes();
        assertEquals(50, Arrays.stream(classes).sum());
        for (int i = 0; i < 101; i++) {
            double x = moons.inputs().get(i, 0), y = moons.inputs().get(i, 1);
            double cx = classes[i] == 0 ? 0 : 1, cy = classes[i] == 0 ? 0 : 0.5;
            assertEquals(1.0, Math.hypot(x - cx, y - cy), 1e-12, "on its unit half circle");
        }
    }

    @Test
    void spiralsHaveOneArmPerClassAndRadiiUpToOne() {
        TensorDataset s = Synthetic.spirals(20, 3, 0.1, new Rng(2));
        assertArrayEquals(new int[] {60, 2}, s.inputs().shape());
        int[] classes = s.get(range(60)).classes();
        for (int i = 0; i < 60; i++) {
            assertEquals(i / 20, classes[i]);
            double r = Math.hypot(s.inputs().get(i, 0), s.inputs().get(i, 1));
            assertEquals((i % 20) / 19.0, r, 1e-12);
        }
    }

    @Test
    void linearRegressionTargetsFollowTheWeights() {
        TensorDataset d = Synthetic.linearRegression(40, new double[] {2, -1}, 0.5, 0.0, new Rng(3));
        for (int i = 0; i < 40; i++) {
            assertEquals(2 * d.inputs().get(i, 0) - d.inputs().get(i, 1) + 0.5, d.targets().get(i, 0), 1e-12);
            assertTrue(Math.abs(d.inputs().get(i, 0)) <= 1);
        }
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    @Test
    void illConditionedQuadraticHasTheRequestedSpectrum() {
        Tensor a = Synthetic.illConditionedQuadratic(6, 1e3, new Rng(4));
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) assertEquals(a.get(i, j), a.get(j, i), 1e-12, "symmetric");
        double trace = 0, expected = 0;
        for (int i = 0; i < 6; i++) {
            trace += a.get(i, i);
            expected += Math.pow(1e3, i / 5.0);
        }
        assertEquals(expected, trace, 1e-9, "trace = sum of eigenvalues");
        Rng rng = new Rng(5);
        for (int k = 0; k < 20; k++) {
            Tensor x = Tensor.normal(rng, 0, 1, 6);
            double rayleigh = x.matmul(a.matmul(x)).item() / x.square().sum().item();
            assertTrue(rayleigh >= 1 - 1e-9 && rayleigh <= 1e3 + 1e-9, "Rayleigh quotient within [1, 1000]: " + rayleigh);
        }
    }
}

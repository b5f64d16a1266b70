package dev.descent.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.descent.core.kernel.ScalarMatMul;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every benchmark runs with tiny sizes, so a broken benchmark fails the build; the build never looks at speed. Each
 * check is about what the benchmark computes (a training step lowers the loss, a product equals the reference), so a
 * benchmark that silently measures the wrong thing fails too.
 */
class BenchmarkSmokeTest {

    @Test
    void mlpStepTrainsTheModel() {
        var b = new MlpStepBenchmark();
        b.widths = "12,8,8,3";
        b.batch = 16;
        b.setup();
        double first = b.step(), last = first;
        for (int i = 0; i < 200; i++) last = b.step();
        assertTrue(last < first, "loss should fall over 200 SGD steps: " + first + " -> " + last);
    }

    @Test
    void mlpEssentialBytesCountsActivationsAndGradients() {
        // 784-256-256-10, batch 128: outputs 2*(128*256) + 2*(128*256) + 128*10 values, each with a gradient, plus
        // 784*256+256 + 256*256+256 + 256*10+10 parameter gradients, 8 bytes each.
        long activations = 2L * 128 * 256 + 2L * 128 * 256 + 128L * 10;
        long grads = 784L * 256 + 256 + 256L * 256 + 256 + 256L * 10 + 10;
        assertEquals(8 * (2 * activations + grads), MlpStepBenchmark.essentialBytes("784,256,256,10", 128));
    }

    @Test
    void deepNetStepTrainsTheModel() {
        var b = new DeepNetBenchmark();
        b.depth = 3;
        b.width = 5;
        b.batch = 4;
        b.setup();
        double first = b.step(), last = first;
        for (int i = 0; i < 100; i++) last = b.step();
        assertTrue(last < first, "loss should fall: " + first + " -> " + last);
    }

    @ParameterizedTest
    @MethodSource("normLayers")
    void normForwardBackwardGivesInputGradients(String layer) {
        var b = new NormBenchmark();
        b.layer = layer;
        b.batch = 4;
        b.features = 3;
        b.setup();
        double[] g = b.forwardBackward().toArray();
        assertEquals(12, g.length);
        assertTrue(Arrays.stream(g).allMatch(Double::isFinite) && Arrays.stream(g).anyMatch(v -> v != 0), Arrays.toString(g));
    }

    static String[] normLayers() {
        return new String[] {"batchnorm1d", "layernorm"};
    }

    @ParameterizedTest
    @MethodSource("convLayers")
    void convForwardBackwardGivesInputGradients(String layer) {
        var b = new ConvBenchmark();
        b.layer = layer;
        b.shrink = 8;
        b.setup();
        double[] g = b.forwardBackward().toArray();
        assertTrue(Arrays.stream(g).allMatch(Double::isFinite) && Arrays.stream(g).anyMatch(v -> v != 0), layer);
    }

    static String[] convLayers() {
        return new String[] {"conv", "basicblock", "batchnorm2d"};
    }

    @Test
    void cnnStepTrainsTheNetwork() {
        var b = new CnnStepBenchmark();
        b.batch = 4;
        b.setup();
        double first = b.step(), last = first;
        for (int i = 0; i < 20; i++) last = b.step();
        assertTrue(last < first, "loss should fall on a fixed batch: " + first + " -> " + last);
    }

    @ParameterizedTest
    @MethodSource("cells")
    void recurrentForwardBackwardReachesEveryStep(String cell) {
        var b = new RecurrentBenchmark();
        b.cell = cell;
        b.steps = 4;
        b.batch = 2;
        b.input = 3;
        b.hidden = 5;
        b.setup();
        var g = b.forwardBackward();
        assertArrayEquals(new int[] {4, 2, 3}, g.shape());
        for (int t = 0; t < 4; t++) {
            double norm = g.slice(0, t, t + 1).square().sum().item();
            assertTrue(norm > 0 && Double.isFinite(norm), cell + ": no gradient at step " + t);
        }
    }

    static String[] cells() {
        return new String[] {"lstm", "gru", "rnn"};
    }

    @Test
    void interleavedMatmulGivesARatioWithinItsRange() {
        var blas = OpenBlas.load();
        org.junit.jupiter.api.Assumptions.assumeTrue(blas.isPresent(), OpenBlas::missingReason);
        var r = InterleavedMatMul.measure(blas.get(), 24, 2, 3);
        assertTrue(r.ratio() > 0 && r.ratioMin() <= r.ratio() && r.ratio() <= r.ratioMax(), r.json());
        assertTrue(r.descentGflops() > 0 && r.openBlasGflops() > 0, r.json());
        assertTrue(r.json().startsWith("{\"n\": 24, \"threads\": 2, \"ratio\": "), r.json());
        assertThrows(IllegalArgumentException.class, () -> InterleavedMatMul.measure(blas.get(), 24, 1, 0));
    }

    @Test
    void interleavedOptimizersGiveAStepOverTriadRatioWithinItsRange() {
        String line = InterleavedOptimizers.measure("Adam", 2000, 3);
        var m = java.util.regex.Pattern.compile("\"ratio\": ([0-9.]+), \"ratio_min\": ([0-9.]+), \"ratio_max\": ([0-9.]+), "
                + "\"step_ms\": ([0-9.]+), \"triad_ms\": ([0-9.]+)").matcher(line);
        assertTrue(line.startsWith("{\"optimizer\": \"Adam\", \"params\": 2000, ") && m.find(), line);
        double ratio = Double.parseDouble(m.group(1));
        assertTrue(ratio > 0 && Double.parseDouble(m.group(2)) <= ratio && ratio <= Double.parseDouble(m.group(3)), line);
        assertTrue(Double.parseDouble(m.group(4)) > 0 && Double.parseDouble(m.group(5)) > 0, line);
        assertThrows(IllegalArgumentException.class, () -> Alternated.measure(() -> {}, () -> {}, 0));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void matmulKernelsAgreeWithTheScalarReference(String kernel) {
        if (kernel.equals("openblas") && OpenBlas.load().isEmpty()) {
            org.junit.jupiter.api.Assumptions.abort(OpenBlas.missingReason());
        }
        var b = new MatMulBenchmark();
        b.kernel = kernel;
        b.threads = 2;
        b.n = 37;
        b.setUp();
        double[] c = b.gemm().clone();
        var ref = new MatMulBenchmark();
        ref.kernel = "scalar";
        ref.threads = 1;
        ref.n = 37;
        ref.setUp();
        double[] expected = ref.gemm();
        for (int i = 0; i < c.length; i++) assertEquals(expected[i], c[i], 1e-12 * 37, "element " + i);
    }

    static String[] kernels() {
        return new String[] {"vector", "openblas"};
    }

    @Test
    void unknownKernelIsRefusedByName() {
        var b = new MatMulBenchmark();
        b.kernel = "cuda";
        b.n = 4;
        var e = assertThrows(IllegalArgumentException.class, b::setUp);
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void everyOptimizerStepsAndItsTriadTouchesTheSameBuffers(String name) {
        var b = new OptimizerStepBenchmark();
        b.optimizer = name;
        b.params = 200;
        b.setup();
        double before = b.step();
        for (int i = 0; i < 3; i++) b.step();
        assertNotEquals(before, b.step(), name + " should move the parameters");
        assertTrue(Double.isFinite(b.triad()));
    }

    static String[] optimizers() {
        return OptimizerStepBenchmark.OPTIMIZERS.keySet().toArray(String[]::new);
    }

    @Test
    void triadCountsAdamsTwoMomentBuffers() {
        var params = java.util.List.of(dev.descent.core.Tensor.ones(3, 4).requiresGrad(true));
        params.get(0).setGrad(dev.descent.core.Tensor.ones(3, 4));
        var adam = new dev.descent.optim.Adam(params);
        adam.step();
        assertEquals(2, OptimizerStepBenchmark.fullSizeBuffers(adam, 12));
        var sgd = new dev.descent.optim.SGD(params, 0.1);
        sgd.step();
        assertEquals(0, OptimizerStepBenchmark.fullSizeBuffers(sgd, 12));
    }

    @Test
    void tapeChainDifferentiates() {
        var b = new TapeBenchmark();
        // d/dx of 50 rounds of y = 1.0001*y + 0.001 is 1.0001^50
        assertEquals(Math.pow(1.0001, TapeBenchmark.OPS / 2), b.recordAndBackward().item(), 1e-12);
        assertTrue(Double.isFinite(b.forwardWithoutTape().item()));
    }

    @Test
    void scalarReferenceIsUsedForTheCheck() {
        // guards the test above: the scalar kernel itself is checked against a hand-computed 2x2 product
        double[] c = new double[4];
        ScalarMatMul.gemm(false, false, 2, 2, 2, new double[] {1, 2, 3, 4}, 0, 2, new double[] {5, 6, 7, 8}, 0, 2, 0, c, 0, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c);
    }
}

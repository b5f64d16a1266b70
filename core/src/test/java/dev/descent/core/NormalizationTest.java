package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.kernel.Parallel;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused batchNorm, layerNorm and groupNorm ops: forward and backward agree with the same formulas written in
 * primitive ops (the specification), first and second derivatives match finite differences on generated shapes, the
 * running statistics follow PyTorch's update, and bad arguments are named.
 */
class NormalizationTest {
    private static final double EPS = 1e-5;

    @Provide
    Arbitrary<int[]> channelShapes() {
        // [N, C, *spatial] with N * spatial > 1, so training statistics exist
        return Arbitraries.integers().between(1, 3).array(int[].class).ofMinSize(2).ofMaxSize(4)
                .filter(s -> Shapes.size(s) / s[1] > 1);
    }

    /** Distinct values (at least 0.3 apart within any group), so no variance is near zero. */
    private static Tensor input(long seed, int... shape) {
        return Gen.distinct(seed, shape).mul(3);
    }

    private static Tensor param(long seed, int... shape) {
        return Gen.uniform(seed, 0.5, 1.5, shape);
    }

    // ---------------------------------------------------------------- composed references

    private static int[] channelShape(int[] s) {
        int[] cs = new int[s.length];
        Arrays.fill(cs, 1);
        cs[1] = s[1];
        return cs;
    }

    private static int[] allButChannels(int rank) {
        int[] axes = new int[rank - 1];
        for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
        return axes;
    }

    private static Tensor standardized(Tensor x, int[] axes) {
        Tensor xc = x.sub(x.mean(axes, true));
        return xc.div(xc.square().mean(axes, true).add(EPS).sqrt());
    }

    private static Tensor affine(Tensor xhat, Tensor w, Tensor b, int[] shape) {
        Tensor y = w == null ? xhat : xhat.mul(w.reshape(shape));
        return b == null ? y : y.add(b.reshape(shape));
    }

    static Tensor referenceBatchNorm(Tensor x, Tensor rm, Tensor rv, Tensor w, Tensor b, boolean training) {
        int[] cs = channelShape(x.shape());
        Tensor xhat = training ? standardized(x, allButChannels(x.dim()))
                : x.sub(rm.reshape(cs)).div(rv.reshape(cs).add(EPS).sqrt());
        return affine(xhat, w, b, cs);
    }

    static Tensor referenceLayerNorm(Tensor x, int[] normalized, Tensor w, Tensor b) {
        int[] axes = new int[normalized.length];
        for (int i = 0; i < axes.length; i++) axes[i] = x.dim() - normalized.length + i;
        return affine(standardized(x, axes), w, b, normalized);
    }

    static Tensor referenceGroupNorm(Tensor x, int groups, Tensor w, Tensor b) {
        int[] s = x.shape();
        Tensor xhat = standardized(x.reshape(s[0], groups, -1), new int[] {2}).reshape(s);
        return affine(xhat, w, b, channelShape(s));
    }

    // ---------------------------------------------------------------- fused = composed, forward and backward

    /** Output and the gradients for a fixed seed v agree between two functions of the same inputs. */
    private static void agree(GradCheck.Fn fused, GradCheck.Fn composed, Tensor... inputs) {
        Tensor[] a = valueAndGradients(fused, inputs), b = valueAndGradients(composed, inputs);
        for (int i = 0; i < a.length; i++) close(b[i], a[i], i == 0 ? "output" : "gradient of input " + (i - 1));
    }

    private static Tensor[] valueAndGradients(GradCheck.Fn f, Tensor... inputs) {
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < vars.length; i++) vars[i] = inputs[i].copy().requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor y = f.apply(vars);
            Tensor v = Gen.uniform(99, -1, 1, y.shape());
            Tensor[] g = tape.gradient(y, vars, v);
            Tensor[] out = new Tensor[g.length + 1];
            out[0] = y.detach();
            System.arraycopy(g, 0, out, 1, g.length);
            return out;
        }
    }

    private static void close(Tensor expected, Tensor actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertTrue(Math.abs(a[i] - e[i]) <= 1e-12 + 1e-10 * Math.abs(e[i]), () -> what + "[" + at + "]: fused " + a[at] + ", composed " + e[at]);
        }
    }

    @Property(tries = 30, seed = "901")
    void batchNormInTrainingAgreesWithItsComposedFormula(@ForAll("channelShapes") int[] s, @ForAll long seed) {
        int c = s[1];
        agree(in -> Tensor.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, EPS),
                in -> referenceBatchNorm(in[0], null, null, in[1], in[2], true),
                input(seed, s), param(seed + 1, c), Gen.uniform(seed + 2, -1, 1, c));
    }

    @Property(tries = 20, seed = "902")
    void batchNormInEvalAgreesWithItsComposedFormula(@ForAll("channelShapes") int[] s, @ForAll long seed) {
        int c = s[1];
        Tensor rm = Gen.uniform(seed + 3, -1, 1, c), rv = param(seed + 4, c);
        agree(in -> Tensor.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, EPS),
                in -> referenceBatchNorm(in[0], rm, rv, in[1], in[2], false),
                input(seed, s), param(seed + 1, c), Gen.uniform(seed + 2, -1, 1, c));
    }

    @Property(tries = 20, seed = "903")
    void layerNormAgreesWithItsComposedFormula(@ForAll("channelShapes") int[] s, @ForAll @IntRange(min = 1, max = 2) int k, @ForAll long seed) {
        int[] normalized = Arrays.copyOfRange(s, s.length - Math.min(k, s.length - 1), s.length);
        agree(in -> Tensor.layerNorm(in[0], normalized, in[1], in[2], EPS),
                in -> referenceLayerNorm(in[0], normalized, in[1], in[2]),
                input(seed, s), param(seed + 1, normalized), Gen.uniform(seed + 2, -1, 1, normalized));
    }

    @Property(tries = 20, seed = "904")
    void groupNormAgreesWithItsComposedFormula(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
                                               @ForAll @IntRange(min = 1, max = 2) int perGroup, @ForAll @IntRange(min = 1, max = 3) int length,
                                               @ForAll long seed) {
        int c = groups * perGroup;
        agree(in -> Tensor.groupNorm(in[0], groups, in[1], in[2], EPS),
                in -> referenceGroupNorm(in[0], groups, in[1], in[2]),
                input(seed, n, c, length), param(seed + 1, c), Gen.uniform(seed + 2, -1, 1, c));
    }

    @Test
    void withoutWeightAndBiasTheAffineStepIsSkipped() {
        Tensor x = input(5, 4, 3, 2);
        agree(in -> Tensor.batchNorm(in[0], null, null, null, null, true, 0.1, EPS),
                in -> referenceBatchNorm(in[0], null, null, null, null, true), x);
        agree(in -> Tensor.layerNorm(in[0], new int[] {3, 2}, null, null, EPS),
                in -> referenceLayerNorm(in[0], new int[] {3, 2}, null, null), x);
        agree(in -> Tensor.groupNorm(in[0], 3, null, in[1], EPS),
                in -> referenceGroupNorm(in[0], 3, null, in[1]), x, param(6, 3));
    }

    @Test
    void aRecordedBackwardPassGivesTheSameGradientsAsThePlainOne() {
        Tensor x = input(7, 3, 2, 2).requiresGrad(true), w = param(8, 2).requiresGrad(true), b = param(9, 2).requiresGrad(true);
        Tensor v = Gen.uniform(10, -1, 1, 3, 2, 2);
        Tensor[] plain;
        try (Tape tape = Tape.record()) {
            plain = tape.gradient(Tensor.batchNorm(x, null, null, w, b, true, 0.1, EPS), new Tensor[] {x, w, b}, v);
        }
        try (Tape outer = Tape.record(); Tape inner = Tape.record()) {
            Tensor[] recorded = inner.gradient(Tensor.batchNorm(x, null, null, w, b, true, 0.1, EPS), new Tensor[] {x, w, b}, v);
            assertTrue(recorded[0].requiresGrad(), "the recorded pass can be differentiated again");
            for (int i = 0; i < 3; i++) close(plain[i], recorded[i].detach(), "gradient " + i);
        }
    }

    @Test
    void batchNormGivesTheSameBitsForEveryThreadCount() {
        // large enough that the channel kernels split the channels; [N, C, HW] with HW = 17 * 19 and [N, C]
        for (int[] s : new int[][] {{8, 37, 17, 19}, {600, 130}}) {
            Tensor x = input(21, s), w = param(22, s[1]), b = Gen.uniform(23, -1, 1, s[1]);
            int saved = Parallel.threads();
            Tensor[] one;
            try {
                Parallel.setThreads(1);
                one = valueAndGradients(in -> Tensor.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, EPS), x, w, b);
                for (int t = 2; t <= 3; t++) {
                    Parallel.setThreads(t);
                    Tensor[] many = valueAndGradients(in -> Tensor.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, EPS), x, w, b);
                    for (int i = 0; i < one.length; i++) {
                        assertTrue(Arrays.equals(one[i].toArray(), many[i].toArray()), "output/gradient " + i + " with " + t + " threads, shape "
                                + Arrays.toString(s));
                    }
                }
            } finally {
                Parallel.setThreads(saved);
            }
        }
    }

    // ---------------------------------------------------------------- finite differences

    private static void passesTwice(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Report r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::toString);
        GradCheck.Report r2 = GradCheck.gradGradCheck(f, inputs);
        assertTrue(r2.passed(), () -> "second derivatives: " + r2);
    }

    @Property(tries = 12, seed = "911")
    void batchNormFirstAndSecondDerivatives(@ForAll("channelShapes") int[] s, @ForAll boolean training, @ForAll long seed) {
        int c = s[1];
        Tensor rm = Gen.uniform(seed + 3, -1, 1, c), rv = param(seed + 4, c);
        passesTwice(in -> Tensor.batchNorm(in[0], training ? null : rm, training ? null : rv, in[1], in[2], training, 0.1, EPS),
                input(seed, s), param(seed + 1, c), Gen.uniform(seed + 2, -1, 1, c));
    }

    @Property(tries = 10, seed = "912")
    void layerNormFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 3) int rows, @ForAll @IntRange(min = 2, max = 4) int width,
                                            @ForAll long seed) {
        passesTwice(in -> Tensor.layerNorm(in[0], new int[] {width}, in[1], in[2], EPS),
                input(seed, rows, width), param(seed + 1, width), Gen.uniform(seed + 2, -1, 1, width));
    }

    @Property(tries = 10, seed = "913")
    void groupNormFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
                                            @ForAll @IntRange(min = 1, max = 2) int perGroup, @ForAll @IntRange(min = 1, max = 2) int length,
                                            @ForAll long seed) {
        int c = groups * perGroup;
        if (perGroup * length < 2) return; // one value per group has no variance
        passesTwice(in -> Tensor.groupNorm(in[0], groups, in[1], in[2], EPS),
                input(seed, n, c, length), param(seed + 1, c), Gen.uniform(seed + 2, -1, 1, c));
    }

    // ---------------------------------------------------------------- running statistics and errors

    @Test
    void trainingUpdatesTheRunningBuffersWithTheUnbiasedVariance() {
        Tensor x = input(11, 4, 2, 3);
        Tensor rm = Tensor.vector(0.5, -0.5), rv = Tensor.vector(2, 3);
        int before = rm.version();
        Tensor.batchNorm(x, rm, rv, null, null, true, 0.25, EPS);
        int[] axes = {0, 2};
        Tensor mean = x.mean(axes, false);
        Tensor unbiased = x.sub(x.mean(axes, true)).square().sum(axes, false).div(11);
        close(Tensor.vector(0.5, -0.5).mul(0.75).add(mean.mul(0.25)), rm, "running mean");
        close(Tensor.vector(2, 3).mul(0.75).add(unbiased.mul(0.25)), rv, "running var");
        assertTrue(rm.version() > before, "the in-place update bumps the version");
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(4, 3);
        assertEquals("batchNorm: expected weight of shape [3] (one per channel), got [2]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(x, null, null, Tensor.ones(2), null, true, 0.1, EPS)).getMessage());
        assertEquals("batchNorm: evaluation (training = false) needs runningMean and runningVar, got no runningMean",
                assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(x, null, null, null, null, false, 0.1, EPS)).getMessage());
        assertEquals("Expected more than 1 value per channel when training, got input size [1, 3]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(Tensor.zeros(1, 3), null, null, null, null, true, 0.1, EPS)).getMessage());
        Tensor rm = Tensor.zeros(3);
        assertThrows(IllegalArgumentException.class, () -> Tensor.batchNorm(x, rm, Tensor.ones(3), Tensor.ones(2), null, true, 0.1, EPS));
        assertEquals(0, rm.version(), "nothing is updated when the arguments are bad");
        assertEquals("layerNorm: expected input [*, 4], got [4, 3]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.layerNorm(x, new int[] {4}, null, null, EPS)).getMessage());
        assertEquals("groupNorm: expected a number of groups that divides the 3 channels, got 2",
                assertThrows(IllegalArgumentException.class, () -> Tensor.groupNorm(x, 2, null, null, EPS)).getMessage());
    }
}

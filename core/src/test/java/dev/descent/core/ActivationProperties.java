package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The activations with PyTorch's options: first and second derivatives match finite differences on generated shapes
 * (values kept 0.05 away from each kink), and the fused ones agree with their defining formula written in primitive
 * ops away from the kinks. PyTorch's values, gradients and kink conventions are checked in {@code fixtures/torch_ops.json}.
 */
class ActivationProperties {

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shapes();
    }

    /** Uniform values in [-4, 4) moved at least 0.05 away from every kink. */
    private static Tensor awayFrom(long seed, int[] shape, double... kinks) {
        Tensor t = Gen.uniform(seed, -4, 4, shape);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            for (double k : kinks) if (Math.abs(d[i] - k) < 0.05) d[i] = k + (d[i] >= k ? 0.05 : -0.05);
        }
        return t;
    }

    private static void agrees(Tensor expected, Tensor actual) {
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-12 + 1e-12 * Math.abs(e[i]), "element " + i);
    }

    @Property(tries = 15, seed = "971")
    void geluTanh(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = awayFrom(seed, s);
        OpGradientProperties.passesTwice(in -> in[0].gelu("tanh"), x);
        agrees(x.mul(0.5).mul(x.pow(3).mul(0.044715).add(x).mul(Math.sqrt(2 / Math.PI)).tanh().add(1)), x.gelu("tanh"));
    }

    @Property(tries = 15, seed = "972")
    void softplusWithBetaAndThreshold(@ForAll("shapes") int[] s, @ForAll long seed) {
        // beta 2, threshold 3: the switch to x at x = 1.5 is a (tiny) kink
        Tensor x = awayFrom(seed, s, 1.5);
        OpGradientProperties.passesTwice(in -> in[0].softplus(2, 3), x);
        agrees(Tensor.where(x.gt(1.5), x, x.mul(2).exp().add(1).log().div(2)), x.softplus(2, 3));
    }

    @Property(tries = 15, seed = "973")
    void hardtanhAndHardswish(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = awayFrom(seed, s, -3, -1, 2, 3);
        OpGradientProperties.passesTwice(in -> in[0].hardtanh(-1, 2), x);
        OpGradientProperties.passesTwice(in -> in[0].hardswish(), x);
        agrees(x.clamp(-1, 2), x.hardtanh(-1, 2));
        agrees(x.mul(x.add(3).clamp(0, 6)).div(6), x.hardswish());
    }

    @Property(tries = 15, seed = "974")
    void composedActivations(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = awayFrom(seed, s, 0);
        OpGradientProperties.passesTwice(in -> in[0].mish(), x);
        OpGradientProperties.passesTwice(in -> in[0].selu(), x);
        OpGradientProperties.passesTwice(in -> in[0].celu(0.7), x);
        OpGradientProperties.passesTwice(in -> in[0].softsign(), x);
    }

    @Property(tries = 15, seed = "975")
    void logSigmoid(@ForAll("shapes") int[] s, @ForAll long seed) {
        Tensor x = awayFrom(seed, s);
        OpGradientProperties.passesTwice(in -> in[0].logSigmoid(), x);
        agrees(x.sigmoid().log(), x.logSigmoid());
    }

    @Test
    void badOptionsAreNamed() {
        Tensor x = Tensor.vector(1, 2);
        assertEquals("gelu: expected approximate 'none' or 'tanh', got 'fast'",
                assertThrows(IllegalArgumentException.class, () -> x.gelu("fast")).getMessage());
        assertEquals("hardtanh: expected minVal <= maxVal, got 1.0 > -1.0",
                assertThrows(IllegalArgumentException.class, () -> x.hardtanh(1, -1)).getMessage());
        assertEquals("softplus: expected a finite beta > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> x.softplus(0, 20)).getMessage());
        assertArrayEquals(x.gelu().toArray(), x.gelu("none").toArray());
    }
}

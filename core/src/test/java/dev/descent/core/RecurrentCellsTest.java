package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused rnnTanhCell, rnnReluCell, lstmCell and gruCell ops: their values are those of the composed formulas (the specification) to the bit,
 * their gradients agree with the composed formulas' whichever outputs receive a gradient, first and second derivatives
 * match finite differences on generated shapes, a recorded backward pass gives the plain one's gradients, and bad
 * shapes are named.
 */
class RecurrentCellsTest {

    /** Leading dims of rank 0 to 2, dims 1 to 3. */
    @Provide
    Arbitrary<int[]> leading() {
        return Arbitraries.integers().between(1, 3).array(int[].class).ofMinSize(0).ofMaxSize(2);
    }

    private static int[] with(int[] lead, int last) {
        int[] s = Arrays.copyOf(lead, lead.length + 1);
        s[lead.length] = last;
        return s;
    }

    // ---------------------------------------------------------------- composed references

    /** PyTorch's LSTM cell after its products, in primitive ops: {h', c'}. */
    static Tensor[] referenceLstm(Tensor gi, Tensor gh, Tensor c) {
        Tensor[] p = gh.add(gi).chunk(4, -1);
        Tensor i = p[0].sigmoid(), f = p[1].sigmoid(), g = p[2].tanh(), o = p[3].sigmoid();
        Tensor next = f.mul(c).add(i.mul(g));
        return new Tensor[] {o.mul(next.tanh()), next};
    }

    /** PyTorch's GRU cell after its products, in primitive ops. */
    static Tensor referenceGru(Tensor gi, Tensor gh, Tensor h) {
        Tensor[] ip = gi.chunk(3, -1), hp = gh.chunk(3, -1);
        Tensor r = hp[0].add(ip[0]).sigmoid(), z = hp[1].add(ip[1]).sigmoid();
        Tensor n = ip[2].add(hp[2].mul(r)).tanh();
        return h.sub(n).mul(z).add(n);
    }

    /** PyTorch's Elman cell after its products, in primitive ops. */
    static Tensor referenceRnn(boolean relu, Tensor gi, Tensor gh) {
        Tensor pre = gi.add(gh);
        return relu ? pre.relu() : pre.tanh();
    }

    static Tensor rnn(boolean relu, Tensor gi, Tensor gh) {
        return relu ? Tensor.rnnReluCell(gi, gh) : Tensor.rnnTanhCell(gi, gh);
    }

    // ---------------------------------------------------------------- fused = composed

    /** The loss {@code Σ h'·vh + Σ c'·vc} over the chosen outputs, so each output's gradient is a distinct seed. */
    private interface Cell {
        Tensor[] apply(Tensor[] in);
    }

    private static Tensor loss(Tensor[] outs, boolean[] used, long seed) {
        Tensor sum = Tensor.scalar(0);
        for (int k = 0; k < outs.length; k++) {
            if (used[k]) sum = sum.add(outs[k].mul(Gen.uniform(seed + k, -1, 1, outs[k].shape())).sum());
        }
        return sum;
    }

    /** Values (exactly) and gradients (to rounding) of the fused and the composed cell agree. */
    private static void agree(Cell fused, Cell composed, boolean[] used, long seed, Tensor... inputs) {
        Tensor[] a = run(fused, used, seed, inputs), b = run(composed, used, seed, inputs);
        for (int k = 0; k < a.length; k++) {
            String what = k < used.length ? "output " + k : "gradient of input " + (k - used.length);
            if (k < used.length) assertArrayEquals(b[k].toArray(), a[k].toArray(), what + ": fused and composed values differ");
            else close(b[k], a[k], what);
        }
    }

    private static Tensor[] run(Cell cell, boolean[] used, long seed, Tensor... inputs) {
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < vars.length; i++) vars[i] = inputs[i].copy().requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor[] outs = cell.apply(vars);
            Tensor[] g = tape.gradient(loss(outs, used, seed), vars);
            Tensor[] all = new Tensor[outs.length + g.length];
            for (int k = 0; k < outs.length; k++) all[k] = outs[k].detach();
            System.arraycopy(g, 0, all, outs.length, g.length);
            return all;
        }
    }

    private static void close(Tensor expected, Tensor actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            int at = i;
            assertTrue(Math.abs(a[i] - e[i]) <= 1e-14 + 1e-12 * Math.abs(e[i]), () -> what + "[" + at + "]: fused " + a[at] + ", composed " + e[at]);
        }
    }

    /** Values and gradients of the fused and the composed cell are the same bits. */
    private static void agreeExactly(Cell fused, Cell composed, long seed, Tensor... inputs) {
        boolean[] used = {true};
        Tensor[] a = run(fused, used, seed, inputs), b = run(composed, used, seed, inputs);
        for (int k = 0; k < a.length; k++) {
            String what = k == 0 ? "output" : "gradient of input " + (k - 1);
            assertEquals(Arrays.toString(b[k].shape()), Arrays.toString(a[k].shape()), what + " shape");
            assertArrayEquals(b[k].toArray(), a[k].toArray(), what + ": fused and composed differ");
        }
    }

    @Property(tries = 40, seed = "1300")
    void rnnCellsGiveTheComposedFormulasBits(@ForAll("leading") int[] lead, @ForAll @IntRange(min = 1, max = 5) int hidden,
                                             @ForAll boolean relu, @ForAll long seed) {
        Tensor gi = Gen.uniform(seed, -3, 3, with(lead, hidden)), gh = Gen.uniform(seed + 1, -3, 3, with(lead, hidden));
        agreeExactly(in -> new Tensor[] {rnn(relu, in[0], in[1])}, in -> new Tensor[] {referenceRnn(relu, in[0], in[1])}, seed, gi, gh);
    }

    @Test
    void rnnCellsMatchTheComposedOpsAtZeroNaNAndSaturation() {
        // pre-activations exactly 0 (relu'(0) = 0, as PyTorch's threshold_backward), -0, NaN (relu keeps it and passes
        // the gradient), ±800 (tanh saturates to ±1 with gradient 0), and a long row that runs the vector kernel's tail
        double[] a = new double[37], b = new double[37];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i) * 4;
            b[i] = Math.cos(3 * i) * 4;
        }
        a[0] = 0.5; b[0] = -0.5;
        a[1] = -0.0; b[1] = 0.0;
        a[2] = Double.NaN;
        a[3] = 800; a[4] = -800;
        Tensor gi = Tensor.vector(a), gh = Tensor.vector(b);
        for (boolean relu : new boolean[] {false, true}) {
            agreeExactly(in -> new Tensor[] {rnn(relu, in[0], in[1])}, in -> new Tensor[] {referenceRnn(relu, in[0], in[1])}, 9, gi, gh);
        }
        Tensor x = Tensor.vector(0.5, -1).requiresGrad(true), y = Tensor.vector(-0.5, 2);
        try (Tape tape = Tape.record()) {
            tape.backward(Tensor.rnnReluCell(x, y).sum());
        }
        assertArrayEquals(new double[] {0, 1}, x.grad().toArray());
    }

    @Property(tries = 40, seed = "1301")
    void lstmCellAgreesWithItsComposedFormula(@ForAll("leading") int[] lead, @ForAll @IntRange(min = 1, max = 4) int hidden,
                                              @ForAll @IntRange(min = 1, max = 3) int outputs, @ForAll long seed) {
        // outputs: 1 = only h' is used, 2 = only c', 3 = both
        boolean[] used = {(outputs & 1) != 0, (outputs & 2) != 0};
        agree(in -> Tensor.lstmCell(in[0], in[1], in[2]), in -> referenceLstm(in[0], in[1], in[2]), used, seed,
                Gen.uniform(seed, -3, 3, with(lead, 4 * hidden)), Gen.uniform(seed + 1, -3, 3, with(lead, 4 * hidden)),
                Gen.uniform(seed + 2, -2, 2, with(lead, hidden)));
    }

    @Property(tries = 40, seed = "1302")
    void gruCellAgreesWithItsComposedFormula(@ForAll("leading") int[] lead, @ForAll @IntRange(min = 1, max = 4) int hidden,
                                             @ForAll long seed) {
        agree(in -> new Tensor[] {Tensor.gruCell(in[0], in[1], in[2])}, in -> new Tensor[] {referenceGru(in[0], in[1], in[2])},
                new boolean[] {true}, seed, Gen.uniform(seed, -3, 3, with(lead, 3 * hidden)),
                Gen.uniform(seed + 1, -3, 3, with(lead, 3 * hidden)), Gen.uniform(seed + 2, -2, 2, with(lead, hidden)));
    }

    @Test
    void largePreActivationsSaturateWithoutOverflow() {
        // sigmoid and tanh of ±800 are exactly 0, 1 or ±1, and the gradients exactly 0: nothing overflows to NaN
        Tensor gi = Tensor.vector(800, -800, 800, -800), gh = Tensor.zeros(4), c = Tensor.vector(0.5);
        agree(in -> Tensor.lstmCell(in[0], in[1], in[2]), in -> referenceLstm(in[0], in[1], in[2]), new boolean[] {true, true}, 7, gi, gh, c);
        agree(in -> new Tensor[] {Tensor.gruCell(in[0], in[1], in[2])}, in -> new Tensor[] {referenceGru(in[0], in[1], in[2])},
                new boolean[] {true}, 8, Tensor.vector(800, -800, 800), Tensor.vector(-1, 2, 3), Tensor.vector(0.25));
    }

    // ---------------------------------------------------------------- finite differences

    private static void passesTwice(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Report r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::toString);
        GradCheck.Report r2 = GradCheck.gradGradCheck(f, inputs);
        assertTrue(r2.passed(), () -> "second derivatives: " + r2);
    }

    @Property(tries = 12, seed = "1310")
    void rnnCellFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 2) int rows, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                          @ForAll boolean relu, @ForAll long seed) {
        // the two projections share no values, so a relu probe lands on its kink with probability 0
        Tensor v = Gen.uniform(seed + 2, -1, 1, rows, hidden);
        passesTwice(in -> rnn(relu, in[0], in[1]).mul(v).sum(), Gen.uniform(seed, -2, 2, rows, hidden), Gen.uniform(seed + 1, -2, 2, rows, hidden));
    }

    @Property(tries = 12, seed = "1311")
    void lstmCellFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 2) int rows, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                           @ForAll @IntRange(min = 1, max = 3) int outputs, @ForAll long seed) {
        Tensor vh = Gen.uniform(seed + 3, -1, 1, rows, hidden), vc = Gen.uniform(seed + 4, -1, 1, rows, hidden);
        passesTwice(in -> {
            Tensor[] hc = Tensor.lstmCell(in[0], in[1], in[2]);
            // one output alone, or both, so the rule sees missing output gradients too
            Tensor lh = hc[0].mul(vh).sum(), lc = hc[1].mul(vc).sum();
            return outputs == 1 ? lh : outputs == 2 ? lc : lh.add(lc);
        }, Gen.uniform(seed, -2, 2, rows, 4 * hidden), Gen.uniform(seed + 1, -2, 2, rows, 4 * hidden), Gen.uniform(seed + 2, -2, 2, rows, hidden));
    }

    @Property(tries = 12, seed = "1312")
    void gruCellFirstAndSecondDerivatives(@ForAll @IntRange(min = 1, max = 2) int rows, @ForAll @IntRange(min = 1, max = 3) int hidden,
                                          @ForAll long seed) {
        passesTwice(in -> Tensor.gruCell(in[0], in[1], in[2]),
                Gen.uniform(seed, -2, 2, rows, 3 * hidden), Gen.uniform(seed + 1, -2, 2, rows, 3 * hidden), Gen.uniform(seed + 2, -2, 2, rows, hidden));
    }

    @Test
    void aRecordedBackwardPassGivesTheSameGradientsAsThePlainOne() {
        Tensor gi = Gen.uniform(20, -2, 2, 2, 8).requiresGrad(true), gh = Gen.uniform(21, -2, 2, 2, 8).requiresGrad(true);
        Tensor c = Gen.uniform(22, -2, 2, 2, 2).requiresGrad(true), v = Gen.uniform(23, -1, 1, 2, 2);
        Tensor[] xs = {gi, gh, c};
        Tensor[] plain;
        try (Tape tape = Tape.record()) {
            Tensor[] hc = Tensor.lstmCell(gi, gh, c);
            plain = tape.gradient(hc[0].mul(v).sum().add(hc[1].sum()), xs);
        }
        try (Tape outer = Tape.record(); Tape inner = Tape.record()) {
            Tensor[] hc = Tensor.lstmCell(gi, gh, c);
            Tensor[] recorded = inner.gradient(hc[0].mul(v).sum().add(hc[1].sum()), xs);
            for (int i = 0; i < xs.length; i++) {
                assertTrue(recorded[i].requiresGrad(), "the recorded pass can be differentiated again");
                close(plain[i], recorded[i].detach(), "gradient " + i);
            }
        }
        Tensor gru = Gen.uniform(24, -2, 2, 2, 6).requiresGrad(true), hh = Gen.uniform(25, -2, 2, 2, 6).requiresGrad(true);
        Tensor h = Gen.uniform(26, -2, 2, 2, 2).requiresGrad(true);
        Tensor[] ys = {gru, hh, h};
        try (Tape tape = Tape.record()) {
            plain = tape.gradient(Tensor.gruCell(gru, hh, h).mul(v).sum(), ys);
        }
        try (Tape outer = Tape.record(); Tape inner = Tape.record()) {
            Tensor[] recorded = inner.gradient(Tensor.gruCell(gru, hh, h).mul(v).sum(), ys);
            for (int i = 0; i < ys.length; i++) close(plain[i], recorded[i].detach(), "gru gradient " + i);
        }
    }

    @Property(tries = 20, seed = "1320")
    void aRecordedRnnBackwardPassGivesThePlainOnesBits(@ForAll("leading") int[] lead, @ForAll boolean relu, @ForAll long seed) {
        int[] s = with(lead, 4);
        Tensor gi = Gen.uniform(seed, -3, 3, s).requiresGrad(true), gh = Gen.uniform(seed + 1, -3, 3, s).requiresGrad(true);
        Tensor v = Gen.uniform(seed + 2, -1, 1, s);
        Tensor[] xs = {gi, gh}, plain, recorded;
        try (Tape tape = Tape.record()) {
            plain = tape.gradient(rnn(relu, gi, gh).mul(v).sum(), xs);
        }
        try (Tape outer = Tape.record(); Tape inner = Tape.record()) {
            recorded = inner.gradient(rnn(relu, gi, gh).mul(v).sum(), xs);
            // relu's gradient is linear in the incoming one and does not depend on gi, gh: nothing to record then
            for (Tensor r : recorded) assertEquals(!relu, r.requiresGrad(), "the recorded tanh pass can be differentiated again");
        }
        for (int i = 0; i < xs.length; i++) assertArrayEquals(plain[i].toArray(), recorded[i].toArray(), "gradient " + i);
    }

    @Property(tries = 20, seed = "1321")
    void tanhAndSigmoidBackwardKernelsGiveTheComposedRulesBits(@ForAll("leading") int[] lead, @ForAll long seed) {
        // a plain backward pass runs the one-loop kernel, a recorded one the rule in tensor ops: the same operations
        int[] s = with(lead, 3);
        Tensor x = Gen.uniform(seed, -4, 4, s).requiresGrad(true), v = Gen.uniform(seed + 1, -1, 1, s);
        for (java.util.function.UnaryOperator<Tensor> f : java.util.List.<java.util.function.UnaryOperator<Tensor>>of(Tensor::tanh, Tensor::sigmoid)) {
            Tensor plain, recorded;
            try (Tape tape = Tape.record()) {
                plain = tape.gradient(f.apply(x), new Tensor[] {x}, v)[0];
            }
            try (Tape outer = Tape.record(); Tape inner = Tape.record()) {
                recorded = inner.gradient(f.apply(x), new Tensor[] {x}, v)[0];
                assertTrue(recorded.requiresGrad());
            }
            assertArrayEquals(recorded.toArray(), plain.toArray());
        }
    }

    @Test
    void aConstantStateGetsNoGradient() {
        Tensor gi = Gen.uniform(30, -2, 2, 1, 4).requiresGrad(true), gh = Gen.uniform(31, -2, 2, 1, 4), c = Gen.uniform(32, -2, 2, 1, 1);
        try (Tape tape = Tape.record()) {
            Tensor[] hc = Tensor.lstmCell(gi, gh, c);
            tape.backward(hc[0].sum());
        }
        assertNull(c.grad());
        assertNull(gh.grad());
        assertEquals(4, gi.grad().size());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badShapesAreNamed() {
        assertEquals("lstmCell: expected projections gi, gh [*, 4·H] and a cell state [*, H] with the same leading dims, got [2, 8], [2, 8] and [2, 3]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.lstmCell(Tensor.zeros(2, 8), Tensor.zeros(2, 8), Tensor.zeros(2, 3))).getMessage());
        assertEquals("lstmCell: expected projections gi, gh [*, 4·H] and a cell state [*, H] with the same leading dims, got [2, 8], [3, 8] and [2, 2]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.lstmCell(Tensor.zeros(2, 8), Tensor.zeros(3, 8), Tensor.zeros(2, 2))).getMessage());
        assertEquals("gruCell: expected projections gi, gh [*, 3·H] and a hidden state [*, H] with the same leading dims, got [2, 6], [2, 6] and [1, 2]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.gruCell(Tensor.zeros(2, 6), Tensor.zeros(2, 6), Tensor.zeros(1, 2))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.gruCell(Tensor.scalar(0), Tensor.scalar(0), Tensor.scalar(0)));
        assertEquals("rnnTanhCell: expected projections gi, gh of one shape [*, H], got [2, 3] and [2, 4]",
                assertThrows(IllegalArgumentException.class, () -> Tensor.rnnTanhCell(Tensor.zeros(2, 3), Tensor.zeros(2, 4))).getMessage());
        assertEquals("rnnReluCell: expected projections gi, gh of one shape [*, H], got [] and []",
                assertThrows(IllegalArgumentException.class, () -> Tensor.rnnReluCell(Tensor.scalar(0), Tensor.scalar(0))).getMessage());
    }
}

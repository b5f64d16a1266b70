package dev.descent.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * {@code linear(x, w, b, wT)} against {@code linear(x, w, b)}: the same bits forward and backward for inputs of up to
 * 256 features (one block of the product's depth), with and without bias, 2-D and 3-D inputs, and clear errors for a
 * transposed weight that does not fit.
 */
class LinearTransposedWeightTest {

    /** Output and the gradients of x, w and b (b may be null) of sum(linear(...) · r). */
    private static double[][] run(Tensor x, Tensor w, Tensor b, Tensor r, boolean transposed) {
        Tensor xs = x.copy().requiresGrad(true), ws = w.copy().requiresGrad(true), bs = b == null ? null : b.copy().requiresGrad(true);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = transposed ? Tensor.linear(xs, ws, bs, ws.detach().t()) : Tensor.linear(xs, ws, bs);
            tape.backward(y.mul(r).sum());
        }
        return new double[][] {y.data(), xs.grad().data(), ws.grad().data(), bs == null ? new double[0] : bs.grad().data()};
    }

    @Test
    void sameBitsAsLinearForwardAndBackward() {
        Rng rng = new Rng(5);
        int[][] shapes = {{1, 3, 4}, {5, 17, 16}, {32, 128, 128}, {64, 256, 130}, {7, 64, 512}};
        for (int[] s : shapes) {
            int m = s[0], in = s[1], out = s[2];
            for (int[] xShape : new int[][] {{m, in}, {2, m, in}}) {
                Tensor x = Tensor.normal(rng, 0, 1, xShape), w = Tensor.normal(rng, 0, 1, out, in);
                int[] yShape = xShape.clone();
                yShape[yShape.length - 1] = out;
                Tensor r = Tensor.normal(rng, 0, 1, yShape);
                for (Tensor b : new Tensor[] {Tensor.normal(rng, 0, 1, out), null}) {
                    double[][] plain = run(x, w, b, r, false), prepared = run(x, w, b, r, true);
                    String at = java.util.Arrays.toString(xShape) + " x [" + out + ", " + in + "]" + (b == null ? " without bias" : "");
                    String[] what = {"output", "x's gradient", "w's gradient", "b's gradient"};
                    for (int i = 0; i < what.length; i++) assertArrayEquals(plain[i], prepared[i], 0.0, what[i] + " for " + at);
                }
            }
        }
    }

    @Test
    void theTransposedWeightGetsNoGradientAndMustFit() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.normal(rng, 0, 1, 3, 4), w = Tensor.normal(rng, 0, 1, 5, 4).requiresGrad(true);
        Tensor wT = w.detach().t();
        try (Tape tape = Tape.record()) {
            tape.backward(Tensor.linear(x, w, null, wT).sum());
        }
        assertNotNull(w.grad());
        assertNull(wT.grad());
        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class, () -> Tensor.linear(x, w, null, w.detach()));
        assertEquals("linear: the transposed weight must be a plain tensor of shape [4, 5] (weight.detach().t()), got shape [5, 4]",
                wrongShape.getMessage());
        try (Tape tape = Tape.record()) {
            Tensor tracked = w.t(); // recorded, so it requires grad
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.linear(x, w, null, tracked));
            assertTrue(e.getMessage().endsWith("got shape [4, 5] requiring grad"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.linear(x, w, null, null));
    }
}

package dev.descent.core;

import static dev.descent.core.OpGradientProperties.passes;
import static dev.descent.core.OpGradientProperties.passesTwice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.core.kernel.ConvGeometry;
import dev.descent.core.kernel.Parallel;
import dev.descent.core.kernel.ScalarConvolution;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * conv2d, conv1d and convTranspose2d: the im2col path equals the direct reference loop, the transposed convolution
 * is the adjoint of the reference, backprop matches finite differences to second order on generated geometries, and
 * bad arguments are refused with messages that name what was expected and what was given.
 */
class ConvolutionTest {

    /** A generated convolution: sizes per group, kernel, stride, padding, dilation, and an input that fits. */
    record Case(int n, int groups, int cg, int og, int kh, int kw, Conv2dOptions options, int h, int w) {
        static Case of(int n, int groups, int cg, int og, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                       int extraH, int extraW) {
            int spanH = dh * (kh - 1) + 1, spanW = dw * (kw - 1) + 1;
            return new Case(n, groups, cg, og, kh, kw, new Conv2dOptions(sh, sw, ph, pw, dh, dw, groups),
                    Math.max(1, spanH - 2 * ph) + extraH, Math.max(1, spanW - 2 * pw) + extraW);
        }

        Tensor input(long seed) {
            return Gen.uniform(seed, -1, 1, n, groups * cg, h, w);
        }

        Tensor weight(long seed) {
            return Gen.uniform(seed, -1, 1, groups * og, cg, kh, kw);
        }

        Tensor bias(long seed) {
            return Gen.uniform(seed, -1, 1, groups * og);
        }

        ConvGeometry geometry() {
            Conv2dOptions o = options;
            int oh = (h + 2 * o.paddingH() - o.dilationH() * (kh - 1) - 1) / o.strideH() + 1;
            int ow = (w + 2 * o.paddingW() - o.dilationW() * (kw - 1) - 1) / o.strideW() + 1;
            return new ConvGeometry(n, groups * cg, h, w, groups * og, kh, kw, o.strideH(), o.strideW(), o.paddingH(),
                    o.paddingW(), o.dilationH(), o.dilationW(), groups, oh, ow);
        }

        /** The direct loop, no bias. */
        Tensor reference(Tensor x, Tensor wt) {
            ConvGeometry g = geometry();
            double[] out = new double[g.n() * g.outChannels() * g.outH() * g.outW()];
            ScalarConvolution.conv2d(g, x.data(), wt.data(), out);
            return Tensor.of(out, g.n(), g.outChannels(), g.outH(), g.outW());
        }
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.data(), a = actual.data();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-12 + 1e-12 * Math.abs(e[i]), "element " + i);
        }
    }

    // ---------------------------------------------------------------- against the reference

    @Property(tries = 40, seed = "901")
    void conv2dEqualsTheDirectLoop(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
                                   @ForAll @IntRange(min = 1, max = 3) int cg, @ForAll @IntRange(min = 1, max = 3) int og,
                                   @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                                   @ForAll @IntRange(min = 1, max = 4) int sh, @ForAll @IntRange(min = 1, max = 4) int sw,
                                   @ForAll @IntRange(min = 0, max = 3) int ph, @ForAll @IntRange(min = 0, max = 3) int pw,
                                   @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw,
                                   @ForAll @IntRange(min = 0, max = 9) int extraH, @ForAll @IntRange(min = 0, max = 9) int extraW,
                                   @ForAll long seed) {
        Case c = Case.of(n, groups, cg, og, kh, kw, sh, sw, ph, pw, dh, dw, extraH, extraW);
        Tensor x = c.input(seed), w = c.weight(seed + 1), b = c.bias(seed + 2);
        Tensor expected = c.reference(x, w).add(b.reshape(1, -1, 1, 1));
        assertClose(expected, x.conv2d(w, b, c.options()));
    }

    @Property(tries = 25, seed = "902")
    void convTranspose2dIsTheAdjointOfTheDirectLoop(@ForAll @IntRange(min = 1, max = 2) int groups,
                                                    @ForAll @IntRange(min = 1, max = 2) int cg, @ForAll @IntRange(min = 1, max = 2) int og,
                                                    @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int s,
                                                    @ForAll @IntRange(min = 0, max = 2) int p, @ForAll @IntRange(min = 1, max = 2) int d,
                                                    @ForAll @IntRange(min = 0, max = 3) int extra, @ForAll long seed) {
        Case c = Case.of(1, groups, cg, og, k, k + 1, s, s, p, p, d, d, extra, extra + 1);
        Tensor w = c.weight(seed);
        Tensor y = Gen.uniform(seed + 1, -1, 1, c.reference(c.input(0), w).shape());
        // the input size that conv2d maps to y's size, reached with the output padding
        int outPadH = (c.h() + 2 * p - d * (k - 1) - 1) % s, outPadW = (c.w() + 2 * p - d * k - 1) % s;
        Tensor x = y.convTranspose2d(w, null, c.options(), outPadH, outPadW);
        assertArrayEquals(c.input(0).shape(), x.shape());
        // entry i of the adjoint applied to y is <conv(e_i, w), y>
        double[] expected = new double[x.size()];
        for (int i = 0; i < expected.length; i++) {
            Tensor e = Tensor.zeros(x.shape());
            e.data()[i] = 1;
            expected[i] = c.reference(e, w).mul(y).sum().item();
        }
        assertClose(Tensor.of(expected, x.shape()), x);
    }

    // ---------------------------------------------------------------- derivatives

    @Property(tries = 30, seed = "903")
    void conv2dBackpropMatchesFiniteDifferencesToSecondOrder(
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 2) int cg, @ForAll @IntRange(min = 1, max = 2) int og,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 4) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
            @ForAll @IntRange(min = 0, max = 2) int ph, @ForAll @IntRange(min = 0, max = 2) int pw,
            @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
            @ForAll @IntRange(min = 0, max = 3) int extraH, @ForAll @IntRange(min = 0, max = 3) int extraW, @ForAll long seed) {
        checkConv2d(Case.of(n, groups, cg, og, kh, kw, sh, sw, ph, pw, dh, dw, extraH, extraW), seed);
    }

    private static void checkConv2d(Case c, long seed) {
        passesTwice(in -> in[0].conv2d(in[1], in[2], c.options()).tanh(), c.input(seed), c.weight(seed + 1), c.bias(seed + 2));
    }

    @Example
    void secondDerivativesOnTheEdgeCases() {
        // stride larger than the kernel, N = 1, non-square input
        checkConv2d(Case.of(1, 1, 2, 2, 2, 2, 3, 4, 0, 0, 1, 1, 3, 6), 11);
        // padding of at least half the kernel
        checkConv2d(Case.of(2, 1, 1, 2, 3, 3, 1, 1, 2, 1, 1, 1, 0, 1), 12);
        // 1x1 kernels (the path without im2col), with and without stride
        checkConv2d(Case.of(2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 1, 1, 2, 3), 13);
        checkConv2d(Case.of(1, 1, 3, 2, 1, 1, 2, 2, 0, 0, 1, 1, 3, 2), 14);
        // dilation with groups
        checkConv2d(Case.of(1, 2, 1, 2, 2, 3, 1, 2, 1, 0, 2, 2, 1, 0), 15);
    }

    @Property(tries = 20, seed = "904")
    void conv1dBackpropMatchesFiniteDifferencesToSecondOrder(
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 2) int cg, @ForAll @IntRange(min = 1, max = 2) int og,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 5) int s,
            @ForAll @IntRange(min = 0, max = 3) int p, @ForAll @IntRange(min = 1, max = 3) int d,
            @ForAll @IntRange(min = 0, max = 5) int extra, @ForAll long seed) {
        int len = Math.max(1, d * (k - 1) + 1 - 2 * p) + extra;
        Tensor x = Gen.uniform(seed, -1, 1, n, groups * cg, len), w = Gen.uniform(seed + 1, -1, 1, groups * og, cg, k);
        Tensor b = Gen.uniform(seed + 2, -1, 1, groups * og);
        passesTwice(in -> in[0].conv1d(in[1], in[2], s, p, d, groups).tanh(), x, w, b);
    }

    @Property(tries = 20, seed = "905")
    void convTranspose2dBackpropMatchesFiniteDifferencesToSecondOrder(
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 2) int cin, @ForAll @IntRange(min = 1, max = 2) int cout,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 0, max = 2) int p,
            @ForAll @IntRange(min = 1, max = 2) int d, @ForAll @IntRange(min = 1, max = 3) int h,
            @ForAll @IntRange(min = 1, max = 3) int w, @ForAll long seed) {
        Conv2dOptions o = Conv2dOptions.of(s, p, d, groups);
        int outPad = s - 1;
        // keep the output non-empty: (h - 1) s - 2 p + d (k - 1) + outPad + 1 >= 1
        int hh = Math.max(h, 1 + (2 * p + s) / s), ww = Math.max(w, 1 + (2 * p + s) / s);
        Tensor y = Gen.uniform(seed, -1, 1, n, groups * cin, hh, ww), wt = Gen.uniform(seed + 1, -1, 1, groups * cin, cout, kh, kw);
        Tensor b = Gen.uniform(seed + 2, -1, 1, groups * cout);
        passesTwice(in -> in[0].convTranspose2d(in[1], in[2], o, outPad, 0).tanh(), y, wt, b);
    }

    @Example
    void thirdOrderThroughTheWeightGradientOp() {
        // the second derivative of a conv network is again made of the three recorded primitives, so differentiating
        // it once more must work too: check the gradient of the weight gradient
        Case c = Case.of(1, 1, 2, 2, 2, 2, 2, 1, 1, 0, 1, 1, 1, 1);
        Tensor x0 = c.input(21), w0 = c.weight(22);
        passesTwice(in -> {
            // finite differences call this with constants; the value is the same with a variable copy
            Tensor w = in[1].requiresGrad() ? in[1] : in[1].copy().requiresGrad(true);
            try (Tape inner = Tape.record()) {
                Tensor y = in[0].conv2d(w, null, c.options()).square().sum();
                return inner.gradient(y, w)[0];
            }
        }, x0, w0);
    }

    @Example
    void resultsAreBitIdenticalForEveryThreadCount() {
        Case c = Case.of(11, 2, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1, 5, 4);
        Tensor x0 = c.input(51), w0 = c.weight(52), b0 = c.bias(53);
        double[][] reference = null;
        int saved = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3, 8}) {
                Parallel.setThreads(t);
                Tensor x = x0.copy().requiresGrad(true), w = w0.copy().requiresGrad(true), b = b0.copy().requiresGrad(true);
                Tensor y;
                try (Tape tape = Tape.record()) {
                    y = x.conv2d(w, b, c.options());
                    tape.backward(y.square().sum());
                }
                double[][] now = {y.toArray(), x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
                if (reference == null) reference = now;
                for (int i = 0; i < now.length; i++) assertArrayEquals(reference[i], now[i], "result " + i + " with " + t + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    // ---------------------------------------------------------------- shapes and errors

    @Example
    void unbatchedInputIsABatchOfOne() {
        Case c = Case.of(1, 1, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 2, 2);
        Tensor x = c.input(31), w = c.weight(32), b = c.bias(33);
        Tensor batched = x.conv2d(w, b, c.options());
        Tensor unbatched = x.reshape(x.shape(1), x.shape(2), x.shape(3)).conv2d(w, b, c.options());
        assertArrayEquals(batched.squeeze(0).toArray(), unbatched.toArray());
        assertEquals(3, unbatched.dim());
    }

    @Example
    void outputSizeFollowsPyTorchsFormula() {
        // H' = floor((H + 2p - d(k - 1) - 1) / s) + 1 = floor((28 + 2 - 2 - 1) / 2) + 1 = 14
        Tensor y = Tensor.zeros(2, 3, 28, 20).conv2d(Tensor.zeros(5, 3, 3, 3), null, Conv2dOptions.DEFAULT.stride(2).padding(1));
        assertArrayEquals(new int[] {2, 5, 14, 10}, y.shape());
        // transposed: (14 - 1) 2 - 2 + 2 + 1 + 1 = 28 and (10 - 1) 2 - 2 + 2 + 0 + 1 = 19
        Tensor x = y.convTranspose2d(Tensor.zeros(5, 3, 3, 3), null, Conv2dOptions.DEFAULT.stride(2).padding(1), 1, 0);
        assertArrayEquals(new int[] {2, 3, 28, 19}, x.shape());
    }

    private static void refuses(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(message), () -> "message '" + e.getMessage() + "' should contain '" + message + "'");
    }

    @Example
    void badArgumentsAreRefusedWithWhatWasExpectedAndGiven() {
        Tensor x = Tensor.zeros(8, 1, 28, 28);
        refuses("conv2d: weight [16, 3, 3, 3] with groups 1 expects input [N, 3, ...], got [8, 1, 28, 28]",
                () -> x.conv2d(Tensor.zeros(16, 3, 3, 3), null));
        refuses("conv2d: kernel 5 x 5 (with dilation) is larger than the padded input 4 x 4",
                () -> Tensor.zeros(1, 1, 2, 2).conv2d(Tensor.zeros(1, 1, 5, 5), null, Conv2dOptions.DEFAULT.padding(1)));
        refuses("Conv2dOptions: padding must be non-negative, got [-1, -1]", () -> Conv2dOptions.DEFAULT.padding(-1));
        refuses("Conv2dOptions: stride must be at least 1, got [0, 0]", () -> Conv2dOptions.DEFAULT.stride(0));
        refuses("conv2d: expected input [N, C, H, W] or [C, H, W], got [28, 28]", () -> Tensor.zeros(28, 28).conv2d(x, null));
        refuses("conv2d: expected bias [16], got [8]", () -> x.conv2d(Tensor.zeros(16, 1, 3, 3), Tensor.zeros(8)));
        refuses("conv2d: weight [6, 2, 3, 3] has 6 output channels, which is not divisible by groups 4",
                () -> Tensor.zeros(1, 8, 5, 5).conv2d(Tensor.zeros(6, 2, 3, 3), null, Conv2dOptions.DEFAULT.groups(4)));
        refuses("conv1d: weight [4, 2, 1, 3] with groups 1 expects input [N, 2, ...]", () -> Tensor.zeros(3, 5, 9).conv1d(Tensor.zeros(4, 2, 3), null));
        refuses("conv1d: stride and dilation must be at least 1", () -> Tensor.zeros(3, 2, 9).conv1d(Tensor.zeros(4, 2, 3), null, 0, 0, 1, 1));
        refuses("convTranspose2d: weight [4, 2, 3, 3] expects input [N, 4, H, W], got [1, 3, 5, 5]",
                () -> Tensor.zeros(1, 3, 5, 5).convTranspose2d(Tensor.zeros(4, 2, 3, 3), null, Conv2dOptions.DEFAULT, 0, 0));
        refuses("convTranspose2d: output padding must be non-negative and smaller than the stride or the dilation",
                () -> Tensor.zeros(1, 4, 5, 5).convTranspose2d(Tensor.zeros(4, 2, 3, 3), null, Conv2dOptions.DEFAULT, 1, 0));
    }
}

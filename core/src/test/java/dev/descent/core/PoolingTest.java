package dev.descent.core;

import static dev.descent.core.OpGradientProperties.passesTwice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * maxPool2d, avgPool2d and the adaptive pools: values equal the definitions written as direct loops over padded
 * windows (PyTorch's output-size rule, ceil mode and divisors), backprop matches finite differences to second order
 * away from ties, ties route the gradient as PyTorch does, and bad arguments are refused.
 */
class PoolingTest {

    /** A square-ish generated window with an input that it fits. */
    record Window(Pool2dOptions options, int h, int w) {
        static Window of(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil, int extraH, int extraW) {
            Pool2dOptions o = new Pool2dOptions(kh, kw, sh, sw, Math.min(ph, kh / 2), Math.min(pw, kw / 2), dh, dw, ceil);
            int spanH = dh * (kh - 1) + 1, spanW = dw * (kw - 1) + 1;
            // with dilation, an input narrower than the span can leave a window with every tap in the padding
            return new Window(o, (dh > 1 ? spanH : Math.max(1, spanH - 2 * o.paddingH())) + extraH,
                    (dw > 1 ? spanW : Math.max(1, spanW - 2 * o.paddingW())) + extraW);
        }

        int outH() {
            return out(h, options.kernelH(), options.strideH(), options.paddingH(), options.dilationH());
        }

        int outW() {
            return out(w, options.kernelW(), options.strideW(), options.paddingW(), options.dilationW());
        }

        /** The output size as PyTorch's documentation states it for MaxPool2d and AvgPool2d. */
        private int out(int in, int k, int s, int p, int d) {
            double exact = (in + 2.0 * p - d * (k - 1) - 1) / s + 1;
            int o = options.ceilMode() ? (int) Math.ceil(exact - 1) + 1 : (int) Math.floor(exact - 1) + 1;
            return options.ceilMode() && (o - 1) * s >= in + p ? o - 1 : o;
        }
    }

    /** The direct definition: per output element, the max (or mean) over the window's taps inside the padded input. */
    private static Tensor direct(Tensor x, Window win, boolean max, boolean countIncludePad) {
        Pool2dOptions o = win.options();
        int n = x.shape(0), c = x.shape(1), h = win.h(), w = win.w(), oh = win.outH(), ow = win.outW();
        Tensor out = Tensor.zeros(n, c, oh, ow);
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double best = Double.NEGATIVE_INFINITY, sum = 0;
            int inside = 0, padded = 0;
            for (int a = 0; a < o.kernelH(); a++) for (int e = 0; e < o.kernelW(); e++) {
                int y = i * o.strideH() - o.paddingH() + a * o.dilationH(), z = j * o.strideW() - o.paddingW() + e * o.dilationW();
                if (y < h + o.paddingH() && z < w + o.paddingW()) padded++;
                if (y < 0 || y >= h || z < 0 || z >= w) continue;
                double v = x.get(b, ch, y, z);
                best = Math.max(best, v);
                sum += v;
                inside++;
            }
            out.set(max ? best : sum / (countIncludePad ? padded : inside), b, ch, i, j);
        }
        return out;
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-13 + 1e-13 * Math.abs(expected.data()[i]), "element " + i);
        }
    }

    // ---------------------------------------------------------------- values

    @Property(tries = 60, seed = "911")
    void maxPool2dEqualsTheDefinitionAndItsIndicesPointAtTheMaxima(
            @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
            @ForAll @IntRange(min = 1, max = 5) int sh, @ForAll @IntRange(min = 1, max = 5) int sw,
            @ForAll @IntRange(min = 0, max = 2) int ph, @ForAll @IntRange(min = 0, max = 2) int pw,
            @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw, @ForAll boolean ceil,
            @ForAll @IntRange(min = 0, max = 7) int extraH, @ForAll @IntRange(min = 0, max = 7) int extraW, @ForAll long seed) {
        Window win = Window.of(kh, kw, sh, sw, ph, pw, dh, dw, ceil, extraH, extraW);
        Tensor x = Gen.uniform(seed, -1, 1, 2, 3, win.h(), win.w());
        MaxPool2dResult r = x.maxPool2dWithIndices(win.options());
        assertClose(direct(x, win, true, false), r.values());
        Tensor flat = x.reshape(2, 3, win.h() * win.w());
        for (int i = 0; i < r.values().size(); i++) {
            int plane = i / (win.outH() * win.outW());
            assertEquals(r.values().data()[i], flat.get(plane / 3, plane % 3, (int) r.indices().data()[i]), "index of element " + i);
        }
    }

    @Property(tries = 60, seed = "912")
    void avgPool2dEqualsTheDefinitionWithAndWithoutPadding(
            @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
            @ForAll @IntRange(min = 1, max = 5) int sh, @ForAll @IntRange(min = 1, max = 5) int sw,
            @ForAll @IntRange(min = 0, max = 2) int ph, @ForAll @IntRange(min = 0, max = 2) int pw, @ForAll boolean ceil,
            @ForAll boolean countIncludePad, @ForAll @IntRange(min = 0, max = 7) int extraH,
            @ForAll @IntRange(min = 0, max = 7) int extraW, @ForAll long seed) {
        Window win = Window.of(kh, kw, sh, sw, ph, pw, 1, 1, ceil, extraH, extraW);
        Tensor x = Gen.uniform(seed, -1, 1, 2, 3, win.h(), win.w());
        assertClose(direct(x, win, false, countIncludePad), x.avgPool2d(win.options(), countIncludePad));
    }

    @Property(tries = 40, seed = "913")
    void adaptivePoolsAverageAndMaximiseOverPyTorchsWindows(@ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                                            @ForAll @IntRange(min = 1, max = 5) int oh, @ForAll @IntRange(min = 1, max = 5) int ow,
                                                            @ForAll long seed) {
        Tensor x = Gen.uniform(seed, -1, 1, 2, 2, h, w);
        Tensor avg = x.adaptiveAvgPool2d(oh, ow), max = x.adaptiveMaxPool2d(oh, ow);
        assertArrayEquals(new int[] {2, 2, oh, ow}, avg.shape());
        for (int b = 0; b < 2; b++) for (int c = 0; c < 2; c++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            int r0 = i * h / oh, r1 = ((i + 1) * h + oh - 1) / oh, c0 = j * w / ow, c1 = ((j + 1) * w + ow - 1) / ow;
            Tensor window = x.slice(0, b, b + 1).slice(1, c, c + 1).slice(2, r0, r1).slice(3, c0, c1);
            assertEquals(window.mean().item(), avg.get(b, c, i, j), 1e-14);
            assertEquals(window.max().item(), max.get(b, c, i, j));
        }
    }

    // ---------------------------------------------------------------- derivatives

    @Property(tries = 25, seed = "914")
    void poolingBackpropMatchesFiniteDifferencesToSecondOrder(
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 4) int sh, @ForAll @IntRange(min = 1, max = 4) int sw,
            @ForAll @IntRange(min = 0, max = 1) int ph, @ForAll @IntRange(min = 0, max = 1) int pw,
            @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll boolean ceil, @ForAll @IntRange(min = 0, max = 3) int extraH,
            @ForAll @IntRange(min = 0, max = 3) int extraW, @ForAll long seed) {
        Window win = Window.of(kh, kw, sh, sw, ph, pw, dh, 1, ceil, extraH, extraW);
        // values 0.1 apart: no ties, and no probe moves a maximum
        Tensor x = Gen.distinct(seed, 1, 2, win.h(), win.w());
        passesTwice(in -> in[0].maxPool2d(win.options()).square(), x);
        passesTwice(in -> in[0].adaptiveMaxPool2d(2, 3).square(), x);
        Window avg = Window.of(kh, kw, sh, sw, ph, pw, 1, 1, ceil, extraH, extraW);
        Tensor y = Gen.uniform(seed, -1, 1, 2, 1, avg.h(), avg.w());
        passesTwice(in -> in[0].avgPool2d(avg.options(), true).square(), y);
        passesTwice(in -> in[0].avgPool2d(avg.options(), false).square(), y);
        passesTwice(in -> in[0].adaptiveAvgPool2d(3, 2).square(), y);
        passesTwice(in -> in[0].adaptiveAvgPool2d(1, 1).square(), y);
    }

    @Example
    void tiesSendTheWholeGradientToTheFirstMaximumInRowMajorOrder() throws Exception {
        // PyTorch's CPU max_pool2d keeps the first of equal values: max_pool2d(ones(1,1,2,3), 2, 1) gives the gradient
        // [[1, 1, 0], [0, 0, 0]] (each window's top-left element)
        Tensor x = Tensor.ones(1, 1, 2, 3).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(x.maxPool2d(Pool2dOptions.of(2, 1)).sum());
        }
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0}, x.grad().toArray());
        MaxPool2dResult nan = Tensor.of(new double[] {1, Double.NaN, 3, 2}, 1, 2, 2).maxPool2dWithIndices(Pool2dOptions.of(2));
        assertTrue(Double.isNaN(nan.values().item()), "NaN propagates");
        assertEquals(1.0, nan.indices().item(), "the index of the NaN");
    }

    @Example
    void unbatchedInputsGiveUnbatchedOutputs() {
        Tensor x = Gen.uniform(41, -1, 1, 3, 5, 6);
        assertArrayEquals(new int[] {3, 2, 3}, x.maxPool2d(Pool2dOptions.of(2)).shape());
        assertArrayEquals(new int[] {3, 3, 3}, x.avgPool2d(Pool2dOptions.of(2).ceilMode(true), true).shape());
        assertArrayEquals(new int[] {3, 1, 1}, x.adaptiveAvgPool2d(1, 1).shape());
        assertArrayEquals(x.unsqueeze(0).maxPool2d(Pool2dOptions.of(2)).squeeze(0).toArray(), x.maxPool2d(Pool2dOptions.of(2)).toArray());
    }

    private static void refuses(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(message), () -> "message '" + e.getMessage() + "' should contain '" + message + "'");
    }

    @Example
    void badArgumentsAreRefusedWithWhatWasExpectedAndGiven() {
        refuses("Pool2dOptions: stride must be at least 1, got [0, 0]", () -> Pool2dOptions.of(2, 0));
        refuses("Pool2dOptions: padding must be between 0 and half the kernel size, got padding [2, 2] for kernel [3, 3]",
                () -> Pool2dOptions.of(3).padding(2));
        refuses("Pool2dOptions: padding must be between 0 and half the kernel size, got padding [-1, -1]", () -> Pool2dOptions.of(3).padding(-1));
        refuses("maxPool2d: input [1, 1, 2, 2] is too small for kernel [3, 3]", () -> Tensor.zeros(1, 1, 2, 2).maxPool2d(Pool2dOptions.of(3)));
        refuses("maxPool2d: expected input [N, C, H, W] or [C, H, W], got [4, 4]", () -> Tensor.zeros(4, 4).maxPool2d(Pool2dOptions.of(2)));
        refuses("avgPool2d: dilation must be 1", () -> Tensor.zeros(1, 1, 4, 4).avgPool2d(Pool2dOptions.of(2).dilation(2), true));
        refuses("adaptiveAvgPool2d: output size must be positive, got [0, 2]", () -> Tensor.zeros(1, 1, 4, 4).adaptiveAvgPool2d(0, 2));
    }
}

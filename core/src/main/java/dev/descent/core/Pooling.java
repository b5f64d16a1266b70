package dev.descent.core;

import dev.descent.core.kernel.ConvGeometry;
import dev.descent.core.kernel.Parallel;
import dev.descent.core.kernel.PoolKernels;
import java.util.List;

/**
 * Pooling over the last two axes of [N, C, H, W] (or [C, H, W]) tensors, with PyTorch's window and output-size rules.
 *
 * <p>Max pooling finds the position of each window's maximum and then takes the input there with a recorded gather
 * (whose adjoint, a scatter-add, is again recorded), so gradients of every order route through the chosen positions.
 * Average pooling is a depthwise convolution with a window of ones divided by each window's element count; adaptive
 * average pooling is a product with an averaging matrix on each side. No new backward rule is needed.
 */
final class Pooling {
    private Pooling() {}

    static MaxPool2dResult maxPool2d(Tensor x, Pool2dOptions o) {
        String op = "maxPool2d";
        int[] s = planes(op, x);
        int oh = outSize(op, x, s[2], o.kernelH(), o.strideH(), o.paddingH(), o.dilationH(), o.ceilMode(), o);
        int ow = outSize(op, x, s[3], o.kernelW(), o.strideW(), o.paddingW(), o.dilationW(), o.ceilMode(), o);
        return argmax(op, x, s, windows(s[2], oh, o.kernelH(), o.strideH(), o.paddingH(), o.dilationH()),
                windows(s[3], ow, o.kernelW(), o.strideW(), o.paddingW(), o.dilationW()));
    }

    static MaxPool2dResult adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveMaxPool2d";
        int[] s = planes(op, x);
        checkOutput(op, outH, outW);
        return argmax(op, x, s, adaptive(s[2], outH), adaptive(s[3], outW));
    }

    static Tensor avgPool2d(Tensor x, Pool2dOptions o, boolean countIncludePad) {
        String op = "avgPool2d";
        int[] s = planes(op, x);
        if (o.dilationH() != 1 || o.dilationW() != 1) {
            throw new IllegalArgumentException(op + ": dilation must be 1 (average pooling has none), got [" + o.dilationH() + ", "
                    + o.dilationW() + "]");
        }
        int c = s[1], h = s[2], w = s[3];
        int oh = outSize(op, x, h, o.kernelH(), o.strideH(), o.paddingH(), 1, o.ceilMode(), o);
        int ow = outSize(op, x, w, o.kernelW(), o.strideW(), o.paddingW(), 1, o.ceilMode(), o);
        ConvGeometry g = new ConvGeometry(s[0], c, h, w, c, o.kernelH(), o.kernelW(), o.strideH(), o.strideW(), o.paddingH(),
                o.paddingW(), 1, 1, c, oh, ow);
        Tensor sums = Convolution.conv(batched(x), Tensor.ones(c, 1, o.kernelH(), o.kernelW()), null, g);
        int[] rows = counts(h, oh, o.kernelH(), o.strideH(), o.paddingH(), countIncludePad);
        int[] cols = counts(w, ow, o.kernelW(), o.strideW(), o.paddingW(), countIncludePad);
        double[] divisor = new double[oh * ow];
        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) divisor[i * ow + j] = (double) rows[i] * cols[j];
        Tensor out = sums.div(Tensor.of(divisor, oh, ow));
        return x.dim() == 3 ? out.squeeze(0) : out;
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        int[] s = planes(op, x);
        checkOutput(op, outH, outW);
        int p = s[0] * s[1], h = s[2], w = s[3];
        Tensor out;
        if (outH == 1 && outW == 1) {
            out = batched(x).mean(new int[] {2, 3}, true);
        } else {
            Tensor t = batched(x).reshape(p * h, w).matmul(averaging(w, outW));
            t = t.reshape(p, h, outW).transpose(1, 2).reshape(p * outW, h).matmul(averaging(h, outH));
            out = t.reshape(p, outW, outH).transpose(1, 2).reshape(s[0], s[1], outH, outW);
        }
        return x.dim() == 3 ? out.squeeze(0) : out;
    }

    // ---------------------------------------------------------------- shapes and windows

    /** The input's shape as [N, C, H, W] (N = 1 for an unbatched input), after checking its rank. */
    private static int[] planes(String op, Tensor x) {
        int[] s = x.shapeRef();
        if (x.dim() == 3) return new int[] {1, s[0], s[1], s[2]};
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W] or [C, H, W], got " + Shapes.str(s));
        return s.clone();
    }

    private static Tensor batched(Tensor x) {
        return x.dim() == 3 ? x.unsqueeze(0) : x;
    }

    private static void checkOutput(String op, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException(op + ": output size must be positive, got [" + outH + ", " + outW + "]");
    }

    /** PyTorch's pooling_output_shape, refusing an empty output. */
    private static int outSize(String op, Tensor x, int in, int k, int s, int p, int d, boolean ceil, Pool2dOptions o) {
        int span = d * (k - 1) + 1;
        int numerator = in + 2 * p - span + (ceil ? s - 1 : 0);
        int out = Math.floorDiv(numerator, s) + 1;
        // a last window must start inside the input or its left padding
        if (ceil && out > 0 && (out - 1) * s >= in + p) out--;
        if (out < 1) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shapeRef()) + " is too small for kernel ["
                    + o.kernelH() + ", " + o.kernelW() + "] with padding [" + o.paddingH() + ", " + o.paddingW() + "] and dilation ["
                    + o.dilationH() + ", " + o.dilationW() + "]: the output would be empty");
        }
        return out;
    }

    /**
     * The taps of each output index's window inside the input, an arithmetic progression: {@code first[o] + i * step}
     * for {@code 0 <= i < count[o]}. Taps in the padding are left out (a prefix and a suffix of the window's taps).
     */
    private record Windows(int[] first, int[] count, int step) {
        int size() {
            return first.length;
        }

        /** Whether window o is {@code {2o, 2o + 1}} for every o, and there are {@code in / 2} of them. */
        boolean pairs(int in) {
            if (step != 1 || first.length != in / 2) return false;
            for (int o = 0; o < first.length; o++) {
                if (first[o] != 2 * o || count[o] != 2) return false;
            }
            return true;
        }
    }

    /** Window o covers taps {@code o s - p + i d}, {@code 0 <= i < k}, clipped to the input. */
    private static Windows windows(int in, int out, int k, int s, int p, int d) {
        int[] first = new int[out], count = new int[out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p, skip = start < 0 ? Math.min(k, (-start + d - 1) / d) : 0, n = 0;
            for (int i = skip; i < k && start + i * d < in; i++) n++;
            first[o] = start + skip * d;
            count[o] = n;
        }
        return new Windows(first, count, d);
    }

    /** PyTorch's adaptive windows: output index o covers [floor(o in / out), ceil((o + 1) in / out)). */
    private static Windows adaptive(int in, int out) {
        int[] first = new int[out], count = new int[out];
        for (int o = 0; o < out; o++) {
            first[o] = (int) ((long) o * in / out);
            count[o] = (int) (((long) (o + 1) * in + out - 1) / out) - first[o];
        }
        return new Windows(first, count, 1);
    }

    /** The [in, out] matrix whose column o averages adaptive window o. */
    private static Tensor averaging(int in, int out) {
        Windows win = adaptive(in, out);
        Tensor m = Tensor.zeros(in, out);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < win.count()[o]; i++) m.data()[(win.first()[o] + i) * out + o] = 1.0 / win.count()[o];
        }
        return m;
    }

    /** Elements averaged per output index: the window clipped to the padded input, or to the input itself. */
    private static int[] counts(int in, int out, int k, int s, int p, boolean includePad) {
        int[] c = new int[out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p, end = Math.min(start + k, in + p);
            c[o] = includePad ? end - start : Math.min(end, in) - Math.max(start, 0);
        }
        return c;
    }

    /**
     * Max over windows given as index lists: a strictly larger value or a NaN replaces the running maximum, so ties go
     * to the first position in row-major window order and NaN propagates (PyTorch's CPU kernel).
     */
    private static MaxPool2dResult argmax(String op, Tensor x, int[] s, Windows rows, Windows cols) {
        int planes = s[0] * s[1], h = s[2], w = s[3], oh = rows.size(), ow = cols.size();
        for (Windows win : List.of(rows, cols)) {
            for (int c : win.count()) {
                if (c == 0) throw new IllegalArgumentException(op + ": a window of input " + Shapes.str(x.shapeRef()) + " holds no element");
            }
        }
        double[] v = x.data(), index = new double[planes * oh * ow];
        int[] pos = new int[index.length];
        int rd = rows.step(), cd = cols.step();
        boolean pairs = rows.pairs(h) && cols.pairs(w);
        Parallel.forRange(planes, Math.max(1, Parallel.GRAIN / Math.max(1, h * w)), (fromPlane, toPlane) -> {
            if (pairs) {
                // MaxPool2d(2): the branch-free kernel, same choice of element
                PoolKernels.argmax2x2(v, h, w, fromPlane, toPlane, index, pos);
                return;
            }
            for (int pl = fromPlane, at = pl * oh * ow; pl < toPlane; pl++) {
                int base = pl * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows.first()[i], rn = rows.count()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols.first()[j], cn = cols.count()[j];
                        double best = Double.NEGATIVE_INFINITY;
                        int arg = r0 * w + c0;
                        for (int a = 0, iy = r0; a < rn; a++, iy += rd) {
                            for (int b = 0, ix = c0; b < cn; b++, ix += cd) {
                                double val = v[base + iy * w + ix];
                                if (val > best || val != val) {
                                    best = val;
                                    arg = iy * w + ix;
                                }
                            }
                        }
                        index[at] = arg;
                        pos[at++] = base + arg;
                    }
                }
            }
        });
        int[] shape = x.dim() == 3 ? new int[] {s[1], oh, ow} : new int[] {s[0], s[1], oh, ow};
        return new MaxPool2dResult(Structural.take(op, x, pos, shape), new Tensor(index, shape));
    }
}

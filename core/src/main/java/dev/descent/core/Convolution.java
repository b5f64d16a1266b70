package dev.descent.core;

import dev.descent.core.kernel.ConvGeometry;
import dev.descent.core.kernel.Im2col;
import dev.descent.core.kernel.MatMul;
import dev.descent.core.kernel.Parallel;

/**
 * Convolutions: conv2d, conv1d (a conv2d over rows of height 1) and convTranspose2d.
 *
 * <p>Three bilinear primitives share one {@link ConvGeometry}: the convolution {@code y = conv(x, w)}, its adjoint in
 * the input {@code x = convT(y, w)} (the transposed convolution, and conv's input gradient) and its adjoint in the
 * weight {@code w = convW(x, y)} (conv's weight gradient). Because {@code <conv(x, w), y> = <x, convT(y, w)> =
 * <w, convW(x, y)>}, the backward rule of each is written with the other two, so every derivative of every order is
 * again these three recorded ops. Each runs as im2col (or the input itself for 1x1 stride-1 kernels) and one packed
 * {@link MatMul#gemm} per image and group.
 */
final class Convolution {
    private Convolution() {}

    // ---------------------------------------------------------------- public ops

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dOptions o) {
        if (x.dim() == 3) return conv2d(x.unsqueeze(0), w, bias, o).squeeze(0);
        if (x.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] or [C, H, W], got " + Shapes.str(x.shapeRef()));
        }
        if (w.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected weight [out, in / groups, kH, kW], got " + Shapes.str(w.shapeRef()));
        }
        ConvGeometry g = forwardGeometry("conv2d", x.shapeRef(), w.shapeRef(), o);
        checkBias("conv2d", bias, g.outChannels());
        return conv(x, w, bias, g);
    }

    static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (x.dim() == 2) return conv1d(x.unsqueeze(0), w, bias, stride, padding, dilation, groups).squeeze(0);
        if (x.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected input [N, C, L] or [C, L], got " + Shapes.str(x.shapeRef()));
        }
        if (w.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected weight [out, in / groups, k], got " + Shapes.str(w.shapeRef()));
        }
        Conv2dOptions o;
        try {
            o = new Conv2dOptions(1, stride, 0, padding, 1, dilation, groups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv1d: stride and dilation must be at least 1, padding non-negative and groups"
                    + " at least 1, got stride " + stride + ", padding " + padding + ", dilation " + dilation + ", groups " + groups);
        }
        Tensor x4 = x.unsqueeze(2), w4 = w.unsqueeze(2);
        ConvGeometry g = forwardGeometry("conv1d", x4.shapeRef(), w4.shapeRef(), o);
        checkBias("conv1d", bias, g.outChannels());
        return conv(x4, w4, bias, g).squeeze(2);
    }

    static Tensor convTranspose2d(Tensor y, Tensor w, Tensor bias, Conv2dOptions o, int outPadH, int outPadW) {
        if (y.dim() == 3) return convTranspose2d(y.unsqueeze(0), w, bias, o, outPadH, outPadW).squeeze(0);
        String op = "convTranspose2d";
        if (y.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W] or [C, H, W], got " + Shapes.str(y.shapeRef()));
        }
        int[] ys = y.shapeRef(), ws = w.shapeRef();
        if (w.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected weight [in, out / groups, kH, kW], got " + Shapes.str(ws));
        }
        int groups = o.groups();
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " has " + ws[0]
                    + " input channels, which is not divisible by groups " + groups);
        }
        if (ys[1] != ws[0]) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " expects input [N, " + ws[0] + ", H, W], got "
                    + Shapes.str(ys));
        }
        if (outPadH < 0 || outPadW < 0 || (outPadH >= o.strideH() && outPadH >= o.dilationH())
                || (outPadW >= o.strideW() && outPadW >= o.dilationW())) {
            throw new IllegalArgumentException(op + ": output padding must be non-negative and smaller than the stride or the"
                    + " dilation, got output padding [" + outPadH + ", " + outPadW + "] with stride [" + o.strideH() + ", "
                    + o.strideW() + "] and dilation [" + o.dilationH() + ", " + o.dilationW() + "]");
        }
        int kh = ws[2], kw = ws[3];
        int h = (ys[2] - 1) * o.strideH() - 2 * o.paddingH() + o.dilationH() * (kh - 1) + outPadH + 1;
        int wd = (ys[3] - 1) * o.strideW() - 2 * o.paddingW() + o.dilationW() * (kw - 1) + outPadW + 1;
        if (h < 1 || wd < 1) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(ys) + " with weight " + Shapes.str(ws) + ", stride ["
                    + o.strideH() + ", " + o.strideW() + "] and padding [" + o.paddingH() + ", " + o.paddingW()
                    + "] gives an empty output of " + h + " x " + wd);
        }
        ConvGeometry g = new ConvGeometry(ys[0], ws[1] * groups, h, wd, ws[0], kh, kw, o.strideH(), o.strideW(), o.paddingH(),
                o.paddingW(), o.dilationH(), o.dilationW(), groups, ys[2], ys[3]);
        checkBias(op, bias, g.channels());
        return convT(y, w, bias, g);
    }

    /** Checks the shapes of conv2d's input [N, C, H, W] and weight [O, C / G, kH, kW] and returns its geometry. */
    private static ConvGeometry forwardGeometry(String op, int[] xs, int[] ws, Conv2dOptions o) {
        int groups = o.groups();
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " has " + ws[0]
                    + " output channels, which is not divisible by groups " + groups);
        }
        if (xs[1] != ws[1] * groups) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(ws) + " with groups " + groups + " expects input [N, "
                    + ws[1] * groups + ", ...], got " + Shapes.str(xs));
        }
        int kh = ws[2], kw = ws[3];
        int spanH = o.dilationH() * (kh - 1) + 1, spanW = o.dilationW() * (kw - 1) + 1;
        int paddedH = xs[2] + 2 * o.paddingH(), paddedW = xs[3] + 2 * o.paddingW();
        if (spanH > paddedH || spanW > paddedW || kh == 0 || kw == 0) {
            throw new IllegalArgumentException(op + ": kernel " + spanH + " x " + spanW + " (with dilation) is larger than the padded"
                    + " input " + paddedH + " x " + paddedW + " (input " + Shapes.str(xs) + ", padding [" + o.paddingH() + ", "
                    + o.paddingW() + "])");
        }
        return new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], kh, kw, o.strideH(), o.strideW(), o.paddingH(), o.paddingW(),
                o.dilationH(), o.dilationW(), groups, (paddedH - spanH) / o.strideH() + 1, (paddedW - spanW) / o.strideW() + 1);
    }

    private static void checkBias(String op, Tensor bias, int channels) {
        if (bias != null && (bias.dim() != 1 || bias.shapeRef()[0] != channels)) {
            throw new IllegalArgumentException(op + ": expected bias [" + channels + "], got " + Shapes.str(bias.shapeRef()));
        }
    }

    // ---------------------------------------------------------------- the three primitives

    private static final int[] BIAS_AXES = {0, 2, 3};

    /** y = conv(x, w) + bias, [n, outChannels, outH, outW]. */
    static Tensor conv(Tensor x, Tensor w, Tensor bias, ConvGeometry g) {
        Tensor out = Tensor.zeros(g.n(), g.outChannels(), g.outH(), g.outW());
        forward(g, x.data(), w.data(), bias == null ? null : bias.data(), out.data());
        Tape.record("conv2d", out, new Tensor[] {x, w, bias}, saved(x, w), new Node.Backward() {
            @Override
            public Tensor[] apply(Tensor gy) {
                return applyInto(gy, new Tensor[3]);
            }

            @Override
            public Tensor[] applyInto(Tensor gy, Tensor[] sinks) {
                Tensor gx = x.requiresGrad() ? convT(gy, w, null, g) : null;
                Tensor gw = null;
                if (w.requiresGrad()) {
                    if (sinks[1] != null && !gy.requiresGrad()) {
                        weightGrad(g, x.data(), gy.data(), 1.0, sinks[1].data());
                        sinks[1].markModified();
                    } else {
                        gw = convW(x, gy, g);
                    }
                }
                Tensor gb = bias != null && bias.requiresGrad() ? gy.sum(BIAS_AXES, false) : null;
                return Tape.fresh(new Tensor[] {gx, gw, gb}); // each a new tensor (or null)
            }
        });
        return out;
    }

    /** x = convT(y, w) + bias, [n, channels, height, width]: the adjoint of conv in its input. */
    static Tensor convT(Tensor y, Tensor w, Tensor bias, ConvGeometry g) {
        Tensor out = Tensor.zeros(g.n(), g.channels(), g.height(), g.width());
        transposed(g, y.data(), w.data(), out.data());
        if (bias != null) addChannelBias(out.data(), bias.data(), g.n(), g.channels(), g.inPixels());
        Tape.record("convTranspose2d", out, new Tensor[] {y, w, bias}, saved(y, w), gx -> new Tensor[] {
                y.requiresGrad() ? conv(gx, w, null, g) : null,
                w.requiresGrad() ? convW(gx, y, g) : null,
                bias != null && bias.requiresGrad() ? gx.sum(BIAS_AXES, false) : null});
        return out;
    }

    /** w = convW(x, y), [outChannels, channels / groups, kernelH, kernelW]: the adjoint of conv in its weight. */
    static Tensor convW(Tensor x, Tensor y, ConvGeometry g) {
        Tensor out = Tensor.zeros(g.outChannels(), g.groupChannels(), g.kernelH(), g.kernelW());
        weightGrad(g, x.data(), y.data(), 0.0, out.data());
        Tape.record("conv2dWeightGrad", out, new Tensor[] {x, y}, saved(x, y), gw -> new Tensor[] {
                x.requiresGrad() ? convT(y, gw, null, g) : null,
                y.requiresGrad() ? conv(x, gw, null, g) : null});
        return out;
    }

    private static Tensor[] saved(Tensor a, Tensor b) {
        return new Tensor[] {a, b};
    }

    // ---------------------------------------------------------------- kernels

    /**
     * The weight gradient sums the batch in this many fixed slices of consecutive images (fewer for small batches), each
     * into its own buffer, then adds the slices in order: the same sums whatever the number of threads.
     */
    static final int WEIGHT_SLICES = 8;

    /** The work on images {@code [from, to)}, with its own im2col buffer (null for pointwise geometries) and gemm thread count. */
    @FunctionalInterface
    private interface Images {
        void run(int part, int from, int to, double[] col, int gemmThreads);
    }

    /**
     * Runs {@code body} over {@code parts} contiguous ranges of the batch, split over the threads by {@link Parallel}
     * when there are several (each range's gemms then run on one thread); a single range runs here with gemm's own threading. Which
     * thread runs a range never changes what it computes.
     */
    private static void overImages(ConvGeometry g, int parts, Images body) {
        int n = g.n();
        int colSize = g.pointwise() ? 0 : g.patch() * g.outPixels();
        if (parts <= 1) {
            body.run(0, 0, n, colSize == 0 ? null : new double[colSize], Parallel.threads());
            return;
        }
        Parallel.forRange(parts, 1, (first, last) -> {
            // one im2col buffer per thread: every use overwrites all of it
            double[] col = colSize == 0 ? null : new double[colSize];
            for (int p = first; p < last; p++) body.run(p, (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts), col, 1);
        });
    }

    /** Ranges for the ops whose images are independent: one per processor, when there are images enough. */
    private static int independentParts(ConvGeometry g) {
        return Math.min(g.n(), Parallel.threads());
    }

    /** out = conv(x, w) + bias (bias may be null); out is overwritten. */
    private static void forward(ConvGeometry g, double[] x, double[] w, double[] bias, double[] out) {
        int k = g.patch(), l = g.outPixels(), og = g.groupOutChannels(), cg = g.groupChannels();
        overImages(g, independentParts(g), (part, from, to, col, threads) -> {
            for (int b = from; b < to; b++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xo = (b * g.channels() + grp * cg) * g.inPixels(), yo = (b * g.outChannels() + grp * og) * l;
                    double beta = 0;
                    if (bias != null) {
                        for (int o = 0; o < og; o++) java.util.Arrays.fill(out, yo + o * l, yo + (o + 1) * l, bias[grp * og + o]);
                        beta = 1;
                    }
                    if (col == null) {
                        MatMul.gemm(false, false, og, l, k, w, grp * og * k, k, x, xo, l, beta, out, yo, l, threads);
                    } else {
                        Im2col.im2col(g, x, xo, col, 0);
                        MatMul.gemm(false, false, og, l, k, w, grp * og * k, k, col, 0, l, beta, out, yo, l, threads);
                    }
                }
            }
        });
    }

    /** out += convT(y, w); out must hold zeros (or what the result should be added to). */
    private static void transposed(ConvGeometry g, double[] y, double[] w, double[] out) {
        int k = g.patch(), l = g.outPixels(), og = g.groupOutChannels(), cg = g.groupChannels();
        overImages(g, independentParts(g), (part, from, to, col, threads) -> {
            for (int b = from; b < to; b++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xo = (b * g.channels() + grp * cg) * g.inPixels(), yo = (b * g.outChannels() + grp * og) * l;
                    if (col == null) {
                        MatMul.gemm(true, false, k, l, og, w, grp * og * k, k, y, yo, l, 1.0, out, xo, l, threads);
                    } else {
                        MatMul.gemm(true, false, k, l, og, w, grp * og * k, k, y, yo, l, 0.0, col, 0, l, threads);
                        Im2col.col2im(g, col, 0, out, xo);
                    }
                }
            }
        });
    }

    /**
     * out = convW(x, y) + beta * out: the batch in {@link #WEIGHT_SLICES} fixed slices, each summed image by image into
     * its own buffer (in parallel), then the slices added in order.
     */
    private static void weightGrad(ConvGeometry g, double[] x, double[] y, double beta, double[] out) {
        int k = g.patch(), l = g.outPixels(), og = g.groupOutChannels(), cg = g.groupChannels();
        int size = g.outChannels() * k, slices = Math.min(g.n(), WEIGHT_SLICES);
        double[][] partial = new double[slices][];
        if (slices == 0) {
            for (int i = 0; i < size; i++) out[i] = beta == 0 ? 0 : beta * out[i];
            return;
        }
        overImages(g, slices, (part, from, to, col, threads) -> {
            double[] sum = new double[size];
            for (int b = from; b < to; b++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xo = (b * g.channels() + grp * cg) * g.inPixels(), yo = (b * g.outChannels() + grp * og) * l;
                    double bb = b == from ? 0.0 : 1.0;
                    if (col == null) {
                        MatMul.gemm(false, true, og, k, l, y, yo, l, x, xo, l, bb, sum, grp * og * k, k, threads);
                    } else {
                        Im2col.im2col(g, x, xo, col, 0);
                        MatMul.gemm(false, true, og, k, l, y, yo, l, col, 0, l, bb, sum, grp * og * k, k, threads);
                    }
                }
            }
            partial[part] = sum;
        });
        for (int i = 0; i < size; i++) {
            double s = beta == 0 ? 0 : beta * out[i];
            for (double[] p : partial) s += p[i];
            out[i] = s;
        }
    }

    private static void addChannelBias(double[] out, double[] bias, int n, int channels, int pixels) {
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int from = (b * channels + c) * pixels;
                for (int p = 0; p < pixels; p++) out[from + p] += bias[c];
            }
        }
    }
}

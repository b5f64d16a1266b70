package dev.descent.core;

import dev.descent.core.kernel.ChannelKernels;
import dev.descent.core.kernel.Parallel;
import dev.descent.core.kernel.RowKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fused normalisation ops, {@code batchNorm}, {@code layerNorm} and {@code groupNorm}: each standardises groups of
 * elements, {@code x̂ = (x − mean) / √(var + eps)} with the biased variance, then applies an optional affine map
 * {@code y = x̂·weight + bias}. They differ only in which elements share statistics:
 * <ul>
 *   <li>batchNorm: input {@code [N, C, *]}, one mean and variance per channel over {@code N} and the spatial dims;</li>
 *   <li>layerNorm: one per sample over the trailing {@code normalizedShape}; weight and bias have that shape;</li>
 *   <li>groupNorm: input {@code [N, C, *]}, one per sample and group of {@code C / G} channels.</li>
 * </ul>
 *
 * <p><b>Kernels.</b> Forward is one op with one kernel: statistics in two passes over contiguous memory (the mean, then
 * the sum of squared deviations from it, which cannot cancel catastrophically as {@code E[x²] − E[x]²} can), then
 * one pass writing the output. Batch statistics come from {@link ChannelKernels}, which walk {@code [N, C, S]} one
 * channel at a time (contiguous spatial runs, or columns of the {@code [N, C·S]} view when the runs are short) and
 * split large inputs between threads by channel; row statistics (layer, group) from {@link RowKernels}, whose sums
 * use the width-independent interleaved order of the vectorised reductions. No summation order depends on the
 * thread count or the vector width, so results are the same bits everywhere.
 *
 * <p><b>Backward.</b> With {@code ĝ = g·weight} and {@code M} elements per group, the rule is
 * {@code dx = rstd·(ĝ − mean ĝ − x̂·mean(ĝ x̂))} (just {@code ĝ·rstd} when batchNorm uses running statistics),
 * {@code dweight = Σ g·x̂}, {@code dbias = Σ g}. A plain backward pass computes all three in one fused kernel (two
 * passes over {@code g} and {@code x}). When the backward pass is itself recorded (a tape is open around it, for
 * second derivatives) the same formula is evaluated with primitive tensor ops, which differentiate again to any
 * order. The composed formula is the specification that tests check the fused kernels against.
 */
final class Normalization {
    private Normalization() {}

    // ================================================================ batch norm

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        int[] s = x.shapeRef();
        if (s.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, *] of rank 2 or more, got " + Shapes.str(s));
        }
        int n = s[0], c = s[1], sp = spatial(s);
        checkVector("batchNorm", "weight", weight, c);
        checkVector("batchNorm", "bias", bias, c);
        checkVector("batchNorm", "runningMean", runningMean, c);
        checkVector("batchNorm", "runningVar", runningVar, c);
        checkEps("batchNorm", eps);
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: evaluation (training = false) needs runningMean and runningVar, got "
                    + (runningMean == null ? "no runningMean" : "no runningVar"));
        }
        long m = (long) n * sp;
        if (training && m <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + Arrays.toString(s));
        }
        double[] mean = new double[c], rstd = new double[c], var = training ? new double[c] : null;
        if (!training) {
            double[] rv = runningVar.data();
            System.arraycopy(runningMean.data(), 0, mean, 0, c);
            for (int ch = 0; ch < c; ch++) rstd[ch] = 1 / Math.sqrt(rv[ch] + eps);
        }
        double[] y = new double[x.size()];
        ChannelKernels.batchNorm(x.data(), y, n, c, sp, weight == null ? null : weight.data(), bias == null ? null : bias.data(),
                eps, training, mean, var, rstd, Parallel.threads());
        if (training) {
            updateRunning(runningMean, mean, momentum, 1);
            updateRunning(runningVar, var, momentum, m / (m - 1.0));
        }
        Tensor out = new Tensor(y, s);
        Tensor meanT = new Tensor(mean, new int[] {c}), rstdT = new Tensor(rstd, new int[] {c});
        Tape.record("batchNorm", out, new Tensor[] {x, weight, bias}, saved(x, weight), g -> {
            if (recordsBackward(g, x, weight)) return composedBatchNormGrads(g, x, weight, meanT, rstdT, training, eps);
            Tensor dx = Tape.resultFor(g, s); // the kernel reads each g before it writes that dx
            double[] dw = new double[c], db = new double[c];
            ChannelKernels.batchNormBackward(g.data(), x.data(), dx.data(), n, c, sp, weight == null ? null : weight.data(), mean, rstd,
                    training, dw, db, Parallel.threads());
            return Tape.fresh(new Tensor[] {dx, weight == null ? null : new Tensor(dw, new int[] {c}),
                    bias == null ? null : new Tensor(db, new int[] {c})});
        });
        return out;
    }

    /** running = (1 − momentum)·running + momentum·scale·batch, in place, bumping its version; nothing when null. */
    private static void updateRunning(Tensor running, double[] batch, double momentum, double scale) {
        if (running == null) return;
        double[] r = running.data();
        for (int i = 0; i < batch.length; i++) r[i] = (1 - momentum) * r[i] + momentum * (batch[i] * scale);
        running.markModified();
    }

    /** The batchNorm gradients in primitive ops, differentiable again. */
    private static Tensor[] composedBatchNormGrads(Tensor g, Tensor x, Tensor w, Tensor mean, Tensor rstd, boolean training, double eps) {
        int[] axes = new int[x.dim() - 1]; // every dim but the channels
        for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
        int[] cs = channelShape(x.shapeRef());
        Tensor xhat, r;
        if (training) {
            Tensor[] st = standardize(x, axes, eps);
            xhat = st[0];
            r = st[1];
        } else {
            r = rstd.reshape(cs);
            xhat = x.sub(mean.reshape(cs)).mul(r);
        }
        Tensor gxhat = w == null ? g : g.mul(w.reshape(cs));
        Tensor dx = training ? standardizeBackward(gxhat, xhat, r, axes) : gxhat.mul(r);
        return new Tensor[] {dx, w == null ? null : g.mul(xhat).sum(axes, false), g.sum(axes, false)};
    }

    // ================================================================ layer norm and group norm

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int[] s = x.shapeRef();
        int k = normalizedShape.length;
        if (k == 0 || s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: expected input [*, " + Shapes.str(normalizedShape).substring(1)
                    + ", got " + Shapes.str(s));
        }
        checkShape("layerNorm", "weight", weight, normalizedShape);
        checkShape("layerNorm", "bias", bias, normalizedShape);
        checkEps("layerNorm", eps);
        int len = Shapes.size(normalizedShape);
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = s.length - k + i;
        double[] wE = weight == null ? null : weight.data(), bE = bias == null ? null : bias.data();
        return rowNorm("layerNorm", x, len, 1, wE, bE, weight, bias, eps, new RowView(s, axes, normalizedShape, normalizedShape),
                dwE -> dwE);
    }

    static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        int[] s = x.shapeRef();
        if (s.length < 2) {
            throw new IllegalArgumentException("groupNorm: expected input [N, C, *] of rank 2 or more, got " + Shapes.str(s));
        }
        int c = s[1], sp = spatial(s);
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: expected a number of groups that divides the " + c + " channels, got " + numGroups);
        }
        checkVector("groupNorm", "weight", weight, c);
        checkVector("groupNorm", "bias", bias, c);
        checkEps("groupNorm", eps);
        int[] cs = channelShape(s);
        int[] grouped = {s[0], numGroups, c / numGroups * sp};
        double[] wE = weight == null ? null : expand(weight.data(), c, sp), bE = bias == null ? null : expand(bias.data(), c, sp);
        return rowNorm("groupNorm", x, c / numGroups * sp, numGroups, wE, bE, weight, bias, eps,
                new RowView(grouped, new int[] {2}, cs, new int[] {c}), dwE -> {
                    double[] d = new double[c];
                    perChannel(dwE, c, sp, d);
                    return d;
                });
    }

    /**
     * How the composed rule sees a row norm: statistics over {@code axes} of the input reshaped to {@code view}; the
     * weight and bias (of {@code paramShape}) broadcast against the input as {@code affineShape}.
     */
    private record RowView(int[] view, int[] axes, int[] affineShape, int[] paramShape) {}

    /** Folds the gradient of the expanded weight row ([groups · len]) back to the weight's shape. */
    @FunctionalInterface
    private interface Fold {
        double[] apply(double[] expanded);
    }

    /**
     * A norm whose statistics are per row of {@code x} viewed as {@code [rows, len]}; row {@code r} uses the affine
     * rows {@code wE, bE} (each {@code groups · len} long, null for none) at offset {@code (r % groups)·len}.
     */
    private static Tensor rowNorm(String op, Tensor x, int len, int groups, double[] wE, double[] bE, Tensor weight, Tensor bias,
                                  double eps, RowView rv, Fold fold) {
        int rows = len == 0 ? 0 : x.size() / len;
        double[] mean = new double[rows], rstd = new double[rows];
        double[] y = new double[x.size()];
        RowKernels.forward(x.data(), y, rows, len, groups, wE, bE, eps, mean, rstd);
        Tensor out = new Tensor(y, x.shapeRef());
        Tape.record(op, out, new Tensor[] {x, weight, bias}, saved(x, weight), g -> {
            if (recordsBackward(g, x, weight)) {
                Tensor[] d = composedRowGrads(g, x, weight, rv, eps);
                return new Tensor[] {d[0], weight == null ? null : d[1], bias == null ? null : d[2]};
            }
            Tensor dx = Tape.resultFor(g, x.shapeRef()); // the kernel reads each g before it writes that dx
            double[] dwE = new double[groups * len], dbE = new double[groups * len];
            RowKernels.backward(g.data(), x.data(), dx.data(), rows, len, groups, wE, mean, rstd, dwE, dbE);
            return Tape.fresh(new Tensor[] {dx,
                    weight == null ? null : new Tensor(fold.apply(dwE), weight.shapeRef()),
                    bias == null ? null : new Tensor(fold.apply(dbE), bias.shapeRef())});
        });
        return out;
    }

    /** {dx, dweight, dbias} of a row norm in primitive ops, differentiable again. */
    private static Tensor[] composedRowGrads(Tensor g, Tensor x, Tensor w, RowView rv, double eps) {
        int[] s = x.shapeRef();
        Tensor[] st = standardize(x.reshape(rv.view()), rv.axes(), eps);
        Tensor xhat = st[0].reshape(s);
        Tensor gxhat = w == null ? g : g.mul(w.reshape(rv.affineShape()));
        Tensor dx = standardizeBackward(gxhat.reshape(rv.view()), st[0], st[1], rv.axes()).reshape(s);
        return new Tensor[] {dx, g.mul(xhat).sumTo(rv.affineShape()).reshape(rv.paramShape()),
                g.sumTo(rv.affineShape()).reshape(rv.paramShape())};
    }

    // ================================================================ shared pieces

    /** {x̂, rstd} of x standardised over {@code axes} (keeping dims), in primitive ops. */
    private static Tensor[] standardize(Tensor x, int[] axes, double eps) {
        Tensor xc = x.sub(x.mean(axes, true));
        Tensor r = xc.square().mean(axes, true).add(eps).pow(-0.5);
        return new Tensor[] {xc.mul(r), r};
    }

    /** dx of x̂ = standardize(x) over {@code axes}, given ĝ = d/dx̂: rstd·(ĝ − mean ĝ − x̂·mean(ĝ x̂)), in primitive ops. */
    private static Tensor standardizeBackward(Tensor gxhat, Tensor xhat, Tensor rstd, int[] axes) {
        return rstd.mul(gxhat.sub(gxhat.mean(axes, true)).sub(xhat.mul(gxhat.mul(xhat).mean(axes, true))));
    }

    /** Whether the backward pass is being recorded (create-graph), so the composed rule must run. */
    private static boolean recordsBackward(Tensor g, Tensor x, Tensor w) {
        return Tape.isRecording() && (g.requiresGrad() || x.requiresGrad() || (w != null && w.requiresGrad()));
    }

    private static Tensor[] saved(Tensor... ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) if (t != null) out.add(t);
        return out.toArray(new Tensor[0]);
    }

    /** The product of the dimensions after the first two. */
    private static int spatial(int[] s) {
        int sp = 1;
        for (int i = 2; i < s.length; i++) sp *= s[i];
        return sp;
    }

    /** [1, C, 1, ...] for an input of shape s. */
    private static int[] channelShape(int[] s) {
        int[] cs = new int[s.length];
        Arrays.fill(cs, 1);
        cs[1] = s[1];
        return cs;
    }

    /** Sums a row of c·sp values per channel: out[ch] = Σ_s row[ch·sp + s]. */
    private static void perChannel(double[] row, int c, int sp, double[] out) {
        for (int ch = 0; ch < c; ch++) {
            double t = 0;
            for (int j = ch * sp, end = j + sp; j < end; j++) t += row[j];
            out[ch] = t;
        }
    }

    /** Repeats each per-channel value sp times: a row of c·sp values. */
    private static double[] expand(double[] perChannel, int c, int sp) {
        if (sp == 1) return perChannel.clone();
        double[] row = new double[c * sp];
        for (int ch = 0; ch < c; ch++) Arrays.fill(row, ch * sp, (ch + 1) * sp, perChannel[ch]);
        return row;
    }

    private static void checkVector(String op, String name, Tensor t, int c) {
        if (t != null && (t.dim() != 1 || t.size() != c)) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape [" + c + "] (one per channel), got " + Shapes.str(t.shapeRef()));
        }
    }

    private static void checkShape(String op, String name, Tensor t, int[] shape) {
        if (t != null && !Arrays.equals(t.shapeRef(), shape)) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape " + Shapes.str(shape) + ", got " + Shapes.str(t.shapeRef()));
        }
    }

    private static void checkEps(String op, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException(op + ": expected a finite eps >= 0, got " + eps);
    }
}

package dev.descent.core;

import dev.descent.core.kernel.Elementwise;
import dev.descent.core.kernel.Parallel;
import java.util.Arrays;

/**
 * The fused pointwise parts of the Elman, LSTM and GRU cells, {@code rnnTanhCell}/{@code rnnReluCell},
 * {@code lstmCell} and {@code gruCell}: everything a cell does after its matrix products, as one recorded op with one
 * forward loop instead of several primitive ops (a sum and an activation for the Elman cell; gate slices, sigmoids,
 * tanh, products and sums for the others), each with its own output and tape node.
 *
 * <p><b>Forward.</b> One pass over the rows: the gate activations, the new state, in exactly the operations and order
 * of the composed formula given with each op, so the fused and composed values are the same bits. The activations are
 * kept (as arrays, not tensors) for the backward kernel, so that nothing transcendental is evaluated twice.
 *
 * <p><b>Backward.</b> A plain backward pass runs one fused loop over the kept activations. When the backward pass is
 * itself recorded (a tape is open around it, for second derivatives), the same rule is evaluated with primitive
 * tensor ops on activations recomputed from the inputs, which differentiate again to any order, as the fused
 * normalisations do ({@link Normalization}). The composed forward formula is the specification that tests check both
 * against.
 */
final class RecurrentCells {
    private RecurrentCells() {}

    // ================================================================ Elman

    /**
     * h' = f(gi + gh) from the input and hidden projections {@code gi, gh} of one shape {@code [*, H]}, with
     * {@code f} {@link Pointwise.Fn#TANH} or {@link Pointwise.Fn#RELU}: the sum as {@code add} forms it, then the
     * activation's own map, so the bits are the composed ops'. The backward is the activation's own rule on the output
     * (tanh reads only y; relu's threshold on y selects exactly as on the pre-activation, since {@code max(x, 0) <= 0}
     * exactly where {@code x <= 0}, NaN kept), recorded as that rule is, so it differentiates again; both projections get
     * that same gradient, as the sum passes it to both.
     */
    static Tensor rnnCell(String op, Pointwise.Fn f, Tensor gi, Tensor gh) {
        int[] is = gi.shapeRef();
        if (is.length == 0 || !Arrays.equals(is, gh.shapeRef())) {
            throw new IllegalArgumentException(op + ": expected projections gi, gh of one shape [*, H], got " + Shapes.str(is)
                    + " and " + Shapes.str(gh.shapeRef()));
        }
        double[] x = gi.data(), y = gh.data(), out = new double[x.length];
        Parallel.forRange(out.length, Parallel.GRAIN, (from, to) -> {
            Elementwise.add(x, from, y, from, out, from, to - from);
            f.map(out, out, from, to);
        });
        Tensor result = new Tensor(out, is);
        Tape.record(op, result, new Tensor[] {gi, gh}, new Tensor[] {gi, gh}, g -> {
            Tensor d = f.grad(g, result, result);
            return new Tensor[] {d, d};
        });
        return result;
    }

    // ================================================================ LSTM

    /**
     * {h', c'} from the input and hidden projections {@code gi, gh [*, 4H]} (blocks i, f, g, o of the gate
     * pre-activations {@code gh + gi}) and {@code c [*, H]}: {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')}.
     */
    static Tensor[] lstmCell(Tensor gi, Tensor gh, Tensor c) {
        int[] gs = gi.shapeRef(), cs = c.shapeRef();
        checkCell("lstmCell", 4, gi, gh, c, "cell state");
        int hidden = cs[cs.length - 1], rows = hidden == 0 ? 0 : c.size() / hidden;
        double[] act = new double[gi.size()], h = new double[c.size()], next = new double[c.size()], tc = new double[c.size()];
        lstmForward(gi.data(), gh.data(), c.data(), rows, hidden, act, next, tc, h);
        Tensor hOut = new Tensor(h, cs), cOut = new Tensor(next, cs);
        Tape.record("lstmCell", new Tensor[] {hOut, cOut}, new Tensor[] {gi, gh, c}, new Tensor[] {gi, gh, c}, g -> {
            if (recordsBackward(g, gi, gh, c)) return composedLstmGrads(g[0], g[1], gi, gh, c);
            double[][] d = lstmBackward(g[0] == null ? null : g[0].data(), g[1] == null ? null : g[1].data(), c.data(), act, tc,
                    rows, hidden, c.requiresGrad());
            // the gates are gh + gi, so both projections get the gates' gradient
            Tensor dgates = new Tensor(d[0], gs);
            return new Tensor[] {dgates, dgates, d[1] == null ? null : new Tensor(d[1], cs)};
        });
        return new Tensor[] {hOut, cOut};
    }

    /**
     * Per row, with the gates {@code gh + gi}: act = (σ(i), σ(f), tanh(g), σ(o)), next = σ(f)·c + σ(i)·tanh(g),
     * tc = tanh(next), h = σ(o)·tc.
     */
    static void lstmForward(double[] gi, double[] gh, double[] c, int rows, int hidden, double[] act, double[] next, double[] tc,
                            double[] h) {
        // the activations through the vector kernels, as the composed ops run them, so both give the same bits
        for (int k = 0; k < act.length; k++) act[k] = gh[k] + gi[k];
        for (int r = 0; r < rows; r++) {
            int g0 = 4 * r * hidden;
            Elementwise.sigmoid(act, g0, act, g0, 2 * hidden);
            Elementwise.tanh(act, g0 + 2 * hidden, act, g0 + 2 * hidden, hidden);
            Elementwise.sigmoid(act, g0 + 3 * hidden, act, g0 + 3 * hidden, hidden);
            int s0 = r * hidden;
            for (int j = 0; j < hidden; j++) {
                int ai = g0 + j, af = ai + hidden, ag = af + hidden;
                next[s0 + j] = act[af] * c[s0 + j] + act[ai] * act[ag];
            }
        }
        Elementwise.tanh(next, 0, tc, 0, next.length);
        for (int r = 0; r < rows; r++) {
            int ao = 4 * r * hidden + 3 * hidden, s0 = r * hidden;
            for (int j = 0; j < hidden; j++) h[s0 + j] = act[ao + j] * tc[s0 + j];
        }
    }

    /**
     * {dgates, dc} from dh' and dc' (either null for zeros): {@code dĉ = dc' + dh'·σ(o)·(1 − tanh²c')}, then
     * {@code di = dĉ·tanh(g)·σ'(i)}, {@code df = dĉ·c·σ'(f)}, {@code dg = dĉ·σ(i)·(1 − tanh²g)},
     * {@code do = dh'·tanh(c')·σ'(o)} with {@code σ' = σ(1 − σ)}, and {@code dc = dĉ·σ(f)} (null unless wanted).
     */
    static double[][] lstmBackward(double[] dh, double[] dnext, double[] c, double[] act, double[] tc, int rows, int hidden, boolean wantC) {
        double[] dgates = new double[act.length], dc = wantC ? new double[c.length] : null;
        for (int r = 0; r < rows; r++) {
            int g0 = 4 * r * hidden, s0 = r * hidden;
            for (int j = 0; j < hidden; j++) {
                int gi = g0 + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden, s = s0 + j;
                double i = act[gi], f = act[gf], g = act[gg], o = act[go], t = tc[s];
                double dhs = dh == null ? 0 : dh[s];
                double dct = (dnext == null ? 0 : dnext[s]) + dhs * o * (1 - t * t);
                dgates[gi] = dct * g * (i * (1 - i));
                dgates[gf] = dct * c[s] * (f * (1 - f));
                dgates[gg] = dct * i * (1 - g * g);
                dgates[go] = dhs * t * (o * (1 - o));
                if (dc != null) dc[s] = dct * f;
            }
        }
        return new double[][] {dgates, dc};
    }

    /** The lstmCell gradients in primitive ops on activations recomputed from the inputs, differentiable again. */
    private static Tensor[] composedLstmGrads(Tensor dh, Tensor dnext, Tensor gi, Tensor gh, Tensor c) {
        Tensor[] p = gh.add(gi).chunk(4, -1);
        Tensor i = p[0].sigmoid(), f = p[1].sigmoid(), g = p[2].tanh(), o = p[3].sigmoid();
        Tensor cn = f.mul(c).add(i.mul(g)), t = cn.tanh();
        Tensor dct = dh == null ? dnext : dh.mul(o).mul(t.square().neg().add(1));
        if (dh != null && dnext != null) dct = dct.add(dnext);
        Tensor dgo = dh == null ? o.zerosLike() : dh.mul(t).mul(sigmoidSlope(o));
        Tensor dgi = dct.mul(g).mul(sigmoidSlope(i)), dgf = dct.mul(c).mul(sigmoidSlope(f));
        Tensor dgg = dct.mul(i).mul(g.square().neg().add(1));
        Tensor dgates = Tensor.concat(-1, dgi, dgf, dgg, dgo);
        return new Tensor[] {dgates, dgates, c.requiresGrad() ? dct.mul(f) : null};
    }

    // ================================================================ GRU

    /**
     * h' from the input and hidden projections {@code gi, gh [*, 3H]} (blocks r, z, n; {@code gh} with the hidden bias)
     * and {@code h [*, H]}: {@code r = σ(gi_r + gh_r)}, {@code z = σ(gi_z + gh_z)}, {@code n = tanh(gi_n + r·gh_n)},
     * {@code h' = (h − n)·z + n}.
     */
    static Tensor gruCell(Tensor gi, Tensor gh, Tensor h) {
        int[] is = gi.shapeRef(), hs = h.shapeRef();
        checkCell("gruCell", 3, gi, gh, h, "hidden state");
        int hidden = hs[hs.length - 1], rows = hidden == 0 ? 0 : h.size() / hidden;
        double[] act = new double[gi.size()], out = new double[h.size()];
        gruForward(gi.data(), gh.data(), h.data(), rows, hidden, act, out);
        Tensor result = new Tensor(out, hs);
        Tape.record("gruCell", result, new Tensor[] {gi, gh, h}, new Tensor[] {gi, gh, h}, g -> {
            if (Tape.isRecording() && (g.requiresGrad() || gi.requiresGrad() || gh.requiresGrad() || h.requiresGrad())) {
                return composedGruGrads(g, gi, gh, h);
            }
            double[][] d = gruBackward(g.data(), gh.data(), h.data(), act, rows, hidden, gi.requiresGrad(), gh.requiresGrad(), h.requiresGrad());
            return new Tensor[] {d[0] == null ? null : new Tensor(d[0], is), d[1] == null ? null : new Tensor(d[1], is),
                    d[2] == null ? null : new Tensor(d[2], hs)};
        });
        return result;
    }

    /** Per row: act = (r, z, n), out = (h − n)·z + n. */
    static void gruForward(double[] gi, double[] gh, double[] h, int rows, int hidden, double[] act, double[] out) {
        // the activations through the vector kernels, as the composed ops run them, so both give the same bits
        for (int row = 0; row < rows; row++) {
            int g0 = 3 * row * hidden, an = g0 + 2 * hidden, s0 = row * hidden;
            for (int k = g0; k < an; k++) act[k] = gh[k] + gi[k];
            Elementwise.sigmoid(act, g0, act, g0, 2 * hidden);
            for (int j = 0; j < hidden; j++) act[an + j] = gi[an + j] + gh[an + j] * act[g0 + j];
            Elementwise.tanh(act, an, act, an, hidden);
            for (int j = 0; j < hidden; j++) {
                double z = act[g0 + hidden + j], n = act[an + j];
                out[s0 + j] = (h[s0 + j] - n) * z + n;
            }
        }
    }

    /**
     * {dgi, dgh, dh} from dh' (each null unless wanted): {@code dn̂ = dh'·(1 − z)·(1 − n²)}, {@code dẑ = dh'·(h − n)·σ'(z)},
     * {@code dr̂ = dn̂·gh_n·σ'(r)}; {@code dgi = (dr̂, dẑ, dn̂)}, {@code dgh = (dr̂, dẑ, dn̂·r)}, {@code dh = dh'·z}.
     */
    static double[][] gruBackward(double[] dout, double[] gh, double[] h, double[] act, int rows, int hidden,
                                  boolean wantGi, boolean wantGh, boolean wantH) {
        double[] dgi = wantGi ? new double[act.length] : null, dgh = wantGh ? new double[act.length] : null;
        double[] dh = wantH ? new double[h.length] : null;
        for (int row = 0; row < rows; row++) {
            int g0 = 3 * row * hidden, s0 = row * hidden;
            for (int j = 0; j < hidden; j++) {
                int ar = g0 + j, az = ar + hidden, an = az + hidden, s = s0 + j;
                double r = act[ar], z = act[az], n = act[an], d = dout[s];
                double dn = d * (1 - z) * (1 - n * n);
                double dz = d * (h[s] - n) * (z * (1 - z));
                double dr = dn * gh[an] * (r * (1 - r));
                if (dgi != null) {
                    dgi[ar] = dr;
                    dgi[az] = dz;
                    dgi[an] = dn;
                }
                if (dgh != null) {
                    dgh[ar] = dr;
                    dgh[az] = dz;
                    dgh[an] = dn * r;
                }
                if (dh != null) dh[s] = d * z;
            }
        }
        return new double[][] {dgi, dgh, dh};
    }

    /** The gruCell gradients in primitive ops on activations recomputed from the inputs, differentiable again. */
    private static Tensor[] composedGruGrads(Tensor d, Tensor gi, Tensor gh, Tensor h) {
        Tensor[] ip = gi.chunk(3, -1), hp = gh.chunk(3, -1);
        Tensor r = hp[0].add(ip[0]).sigmoid(), z = hp[1].add(ip[1]).sigmoid(), n = ip[2].add(hp[2].mul(r)).tanh();
        Tensor dn = d.mul(z.neg().add(1)).mul(n.square().neg().add(1));
        Tensor dz = d.mul(h.sub(n)).mul(sigmoidSlope(z));
        Tensor dr = dn.mul(hp[2]).mul(sigmoidSlope(r));
        return new Tensor[] {gi.requiresGrad() ? Tensor.concat(-1, dr, dz, dn) : null,
                gh.requiresGrad() ? Tensor.concat(-1, dr, dz, dn.mul(r)) : null, h.requiresGrad() ? d.mul(z) : null};
    }

    // ================================================================ shared pieces

    /** Projections gi, gh of equal shape {@code [*, gates·H]} and a state {@code [*, H]} with the same leading dims. */
    private static void checkCell(String op, int gates, Tensor gi, Tensor gh, Tensor state, String what) {
        int[] is = gi.shapeRef(), ss = state.shapeRef();
        if (is.length == 0 || ss.length != is.length || is[is.length - 1] != gates * ss[ss.length - 1] || !Arrays.equals(is, gh.shapeRef())
                || !Arrays.equals(Arrays.copyOf(is, is.length - 1), Arrays.copyOf(ss, ss.length - 1))) {
            throw new IllegalArgumentException(op + ": expected projections gi, gh [*, " + gates + "·H] and a " + what
                    + " [*, H] with the same leading dims, got " + Shapes.str(is) + ", " + Shapes.str(gh.shapeRef()) + " and " + Shapes.str(ss));
        }
    }

    /** σ' = σ(1 − σ) from σ, in primitive ops. */
    private static Tensor sigmoidSlope(Tensor s) {
        return s.mul(s.neg().add(1));
    }

    /** Whether a multi-output op's backward pass is being recorded (create-graph), so the composed rule must run. */
    private static boolean recordsBackward(Tensor[] grads, Tensor... inputs) {
        if (!Tape.isRecording()) return false;
        for (Tensor g : grads) if (g != null && g.requiresGrad()) return true;
        for (Tensor t : inputs) if (t.requiresGrad()) return true;
        return false;
    }
}

package dev.descent.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of the elementwise maps and reductions, over {@link DoubleVector#SPECIES_PREFERRED} with a
 * scalar loop for the last {@code n % L} elements ({@code L} the number of lanes).
 *
 * <p><b>Loading this class requires the {@code jdk.incubator.vector} module</b> ({@code --add-modules
 * jdk.incubator.vector}); without it the first call throws {@link NoClassDefFoundError}. {@link Elementwise} checks for
 * the module and uses this class only where it is faster than {@link ScalarElementwise}; call it directly only to
 * benchmark or test it.
 *
 * <p>Maps ({@code add}, {@code sub}, {@code mul}, {@code div}, {@code axpy}, {@code scale}, {@code addScalar}) do
 * the same IEEE operation per element as {@link ScalarElementwise} and give bit-identical results. {@code max} gives
 * the same result too, because {@link Math#max} is associative and commutative (NaN results are returned as the
 * canonical {@link Double#NaN}).
 *
 * <p>{@code sum}, {@code dot} and {@code sumOfSquares} add in a different order from the left-to-right reference: 16
 * interleaved partial sums combined pairwise, plus the last {@code n % 16} terms summed in index order (the order is
 * spelled out in {@code InterleavedSums}). That order depends only on {@code n}, not on the vector width, the JIT,
 * the thread or the alignment of the data, so the result is a deterministic function of the input, the same on every
 * machine. It is not the reference's result bit for bit: each order is within about {@code n * 2^-53 * sum|term|} of
 * the exact sum, so the two differ by at most about {@code n * 2^-52 * sum|term|} (below {@code 1e-12 * sum|term|}
 * for {@code n} up to about 4500), and in practice by far less because rounding errors are not all of one sign. For
 * {@code n < 16} the order is left to right and the results are identical. A NaN term gives NaN in both; but when
 * intermediate sums overflow, one order can reach an infinity or NaN where the other does not.
 */
public final class VectorElementwise {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Accumulators per block of {@link InterleavedSums#WIDTH} elements in the reductions; the unrolled loops below
     * handle 1, 2, 4 or 8 of them. C2 treats this as a constant and drops the branches for the others.
     */
    private static final int K = InterleavedSums.WIDTH / L;
    private static final boolean INTERLEAVED_FITS = L >= 2 && L <= InterleavedSums.WIDTH;

    private VectorElementwise() {}

    /** Number of {@code double} lanes in the vectors this class uses. */
    public static int lanes() {
        return L;
    }

    /** Same contract as {@link ScalarElementwise#add}; bit-identical results. */
    public static void add(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("add", a, aOff, b, bOff, out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector va = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector vb = DoubleVector.fromArray(S, b, bOff + i);
            va.add(vb).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#sub}; bit-identical results. */
    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("sub", a, aOff, b, bOff, out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector va = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector vb = DoubleVector.fromArray(S, b, bOff + i);
            va.sub(vb).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#mul}; bit-identical results. */
    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("mul", a, aOff, b, bOff, out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector va = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector vb = DoubleVector.fromArray(S, b, bOff + i);
            va.mul(vb).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    // The transcendental maps: Transcendentals' operations, in the same order, on every lane. A helper that returns a
    // vector must be inlined or the vector is boxed, and C2 stops inlining past FreqInlineSize (325 bytes) and
    // NodeCountInliningCutoff: so tanh is written out in its loop, and exp is one helper with the power of two inline.
    // The tails run the scalar forms (the same bits): masked loads and stores around these bodies crashed C2.

    /**
     * e<sup>x</sup> by {@link Transcendentals#exp}'s sequence of operations, lane by lane: the same bits as that scalar
     * form for every element, wherever it falls in a vector (the last {@code n % L} elements go through the scalar
     * form itself), so an element's result depends on its value only.
     */
    public static void exp(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("exp", x, xOff, "out", out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) exp(DoubleVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        for (; i < n; i++) out[outOff + i] = Transcendentals.exp(x[xOff + i]);
    }

    /** Transcendentals.exp on every lane (small enough to be inlined whole into the exp and sigmoid loops). */
    private static DoubleVector exp(DoubleVector v) {
        DoubleVector xc = v.max(Transcendentals.LOWEST).min(Transcendentals.HIGHEST);
        DoubleVector shifted = xc.fma(Transcendentals.INV_LN2, Transcendentals.SHIFT), k = shifted.sub(Transcendentals.SHIFT), nk = k.neg();
        DoubleVector ln2Lo = DoubleVector.broadcast(S, Transcendentals.LN2_LO), rHi = nk.fma(DoubleVector.broadcast(S, Transcendentals.LN2_HI), xc);
        DoubleVector r = nk.fma(ln2Lo, rHi), rErr = nk.fma(ln2Lo, rHi.sub(r));
        DoubleVector head = r.add(1), tail = head.neg().add(1).add(r);
        DoubleVector m = head.add(tail.add(r.mul(r).fma(q(r), rErr)));
        DoubleVector half = k.fma(0.5, Transcendentals.SHIFT), k1 = half.sub(Transcendentals.SHIFT);
        // 2^k1 and 2^k2 (k1 + k2 = k) from the integers held in the low bits, as Transcendentals.powerOfTwo
        LongVector bits1 = ((LongVector) half.viewAsIntegralLanes()).add(1023 - Transcendentals.SHIFT_BITS);
        LongVector bits2 = ((LongVector) k.sub(k1).add(Transcendentals.SHIFT).viewAsIntegralLanes()).add(1023 - Transcendentals.SHIFT_BITS);
        return m.mul(bits1.lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes()).mul(bits2.lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes());
    }

    /** tanh by {@link Transcendentals#tanh}'s operations, lane by lane, as {@link #exp}: the scalar form's bits. */
    public static void tanh(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("tanh", x, xOff, "out", out, outOff, n);
        DoubleVector ln2Hi = DoubleVector.broadcast(S, Transcendentals.LN2_HI), ln2Lo = DoubleVector.broadcast(S, Transcendentals.LN2_LO);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector a = v.abs();
            DoubleVector y = a.mul(-2).max(Transcendentals.TANH_LOWEST);
            DoubleVector shifted = y.fma(Transcendentals.INV_LN2, Transcendentals.SHIFT), k = shifted.sub(Transcendentals.SHIFT), nk = k.neg();
            DoubleVector rHi = nk.fma(ln2Hi, y);
            DoubleVector r = nk.fma(ln2Lo, rHi), rErr = nk.fma(ln2Lo, rHi.sub(r));
            DoubleVector scale = ((LongVector) shifted.viewAsIntegralLanes()).add(1023 - Transcendentals.SHIFT_BITS)
                    .lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector head = r.add(1), tail = head.neg().add(1).add(r);
            DoubleVector low = tail.add(r.mul(r).fma(q(r), rErr));
            DoubleVector u = scale.mul(head), w = u.sub(1), err = u.sub(w.add(1));
            DoubleVector t = w.add(scale.fma(low, err));
            DoubleVector e = scale.mul(head.add(low));
            // One division for both branches instead of one each: -t / (t + 2) where |x| is small,
            // 2e / (e + 1), then subtracted from 1, elsewhere; each lane divides the operands of its own branch.
            VectorMask<Double> small = a.compare(VectorOperators.LT, Transcendentals.TANH_SPLIT);
            DoubleVector q = e.add(e).blend(t.neg(), small).div(e.add(1).blend(t.add(2), small));
            DoubleVector z = q.neg().add(1).blend(q, small);
            LongVector sign = ((LongVector) v.viewAsIntegralLanes()).and(Long.MIN_VALUE);
            ((LongVector) z.viewAsIntegralLanes()).and(Long.MAX_VALUE).or(sign).viewAsFloatingLanes().intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = Transcendentals.tanh(x[xOff + i]);
    }

    /** The logistic function by {@link Transcendentals#sigmoid}'s operations, lane by lane, as {@link #exp}. */
    public static void sigmoid(double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("sigmoid", x, xOff, "out", out, outOff, n);
        DoubleVector one = DoubleVector.broadcast(S, 1);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector e = exp(v.abs().neg()), d = e.add(1);
            one.blend(e, v.compare(VectorOperators.LT, 0.0)).div(d).intoArray(out, outOff + i); // 1 / d, or e / d below 0
        }
        for (; i < n; i++) out[outOff + i] = Transcendentals.sigmoid(x[xOff + i]);
    }

    /** Transcendentals.q: the polynomial by Horner's rule with fused multiply-adds. */
    private static DoubleVector q(DoubleVector r) {
        DoubleVector p = r.fma(Transcendentals.C11, Transcendentals.C10);
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C9));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C8));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C7));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C6));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C5));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C4));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C3));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C2));
        p = r.fma(p, DoubleVector.broadcast(S, Transcendentals.C1));
        return r.fma(p, DoubleVector.broadcast(S, Transcendentals.C0));
    }

    /** Same contract as {@link ScalarElementwise#div}; bit-identical results. */
    public static void div(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        KernelArgs.binary("div", a, aOff, b, bOff, out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector va = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector vb = DoubleVector.fromArray(S, b, bOff + i);
            va.div(vb).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#threshold}; bit-identical results (NaN compares false, as there). */
    public static void threshold(double[] x, int xOff, double c, double[] g, int gOff, double[] out, int outOff, int n) {
        KernelArgs.binary("threshold", x, xOff, g, gOff, out, outOff, n);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector vg = DoubleVector.fromArray(S, g, gOff + i);
            vg.blend(0.0, DoubleVector.fromArray(S, x, xOff + i).compare(VectorOperators.LE, c)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] <= c ? 0 : g[gOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#axpy} (no fused multiply-add); bit-identical results. */
    public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        KernelArgs.unary("axpy", x, xOff, "y", y, yOff, n);
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector vx = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector vy = DoubleVector.fromArray(S, y, yOff + i);
            vy.add(va.mul(vx)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#scale}; bit-identical results. */
    public static void scale(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("scale", x, xOff, "out", out, outOff, n);
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            va.mul(DoubleVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    /** Same contract as {@link ScalarElementwise#addScalar}; bit-identical results. */
    public static void addScalar(double alpha, double[] x, int xOff, double[] out, int outOff, int n) {
        KernelArgs.unary("addScalar", x, xOff, "out", out, outOff, n);
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).add(va).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] + alpha;
        }
    }

    /**
     * Same contract as {@link ScalarElementwise#sum}, in the interleaved order described on the class: deterministic,
     * within about {@code n * 2^-52 * sum|x|} of the reference.
     *
     * @return the sum
     */
    public static double sum(double[] x, int xOff, int n) {
        KernelArgs.length("sum", n);
        KernelArgs.range("sum", "x", x, xOff, n);
        // Below one block the order is plain left to right. The blocked loop lives in its own method so that this one
        // stays small enough for the JIT to inline into callers, which makes short reductions as cheap as scalar ones.
        return n < InterleavedSums.WIDTH || !INTERLEAVED_FITS
                ? InterleavedSums.sum(x, xOff, n)
                : sumBlocks(x, xOff, n);
    }

    private static double sumBlocks(double[] x, int xOff, int n) {
        // Accumulator k holds partials k*L .. k*L + L - 1; all eight stay locals so that C2 keeps them in registers.
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int m = n - n % InterleavedSums.WIDTH;
        for (int i = 0; i < m; i += InterleavedSums.WIDTH) {
            int p = xOff + i;
            a0 = a0.add(DoubleVector.fromArray(S, x, p));
            if (K >= 2) {
                a1 = a1.add(DoubleVector.fromArray(S, x, p + L));
            }
            if (K >= 4) {
                a2 = a2.add(DoubleVector.fromArray(S, x, p + 2 * L));
                a3 = a3.add(DoubleVector.fromArray(S, x, p + 3 * L));
            }
            if (K >= 8) {
                a4 = a4.add(DoubleVector.fromArray(S, x, p + 4 * L));
                a5 = a5.add(DoubleVector.fromArray(S, x, p + 5 * L));
                a6 = a6.add(DoubleVector.fromArray(S, x, p + 6 * L));
                a7 = a7.add(DoubleVector.fromArray(S, x, p + 7 * L));
            }
        }
        double t = 0.0;
        for (int i = m; i < n; i++) {
            t += x[xOff + i];
        }
        return combine(a0, a1, a2, a3, a4, a5, a6, a7) + t;
    }

    /**
     * Same contract as {@link ScalarElementwise#dot}, in the interleaved order described on the class: deterministic,
     * within about {@code n * 2^-52 * sum|x*y|} of the reference. Products are rounded before they are added, as in
     * the reference (no fused multiply-add, whose software fallback would be very slow on hardware without it).
     *
     * @return the dot product
     */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        KernelArgs.length("dot", n);
        KernelArgs.range("dot", "x", x, xOff, n);
        KernelArgs.range("dot", "y", y, yOff, n);
        // Below one block the order is plain left to right. The blocked loop lives in its own method so that this one
        // stays small enough for the JIT to inline into callers, which makes short reductions as cheap as scalar ones.
        return n < InterleavedSums.WIDTH || !INTERLEAVED_FITS
                ? InterleavedSums.dot(x, xOff, y, yOff, n)
                : dotBlocks(x, xOff, y, yOff, n);
    }

    private static double dotBlocks(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int m = n - n % InterleavedSums.WIDTH;
        for (int i = 0; i < m; i += InterleavedSums.WIDTH) {
            int p = xOff + i;
            int q = yOff + i;
            a0 = a0.add(DoubleVector.fromArray(S, x, p).mul(DoubleVector.fromArray(S, y, q)));
            if (K >= 2) {
                a1 = a1.add(DoubleVector.fromArray(S, x, p + L).mul(DoubleVector.fromArray(S, y, q + L)));
            }
            if (K >= 4) {
                a2 = a2.add(DoubleVector.fromArray(S, x, p + 2 * L).mul(DoubleVector.fromArray(S, y, q + 2 * L)));
                a3 = a3.add(DoubleVector.fromArray(S, x, p + 3 * L).mul(DoubleVector.fromArray(S, y, q + 3 * L)));
            }
            if (K >= 8) {
                a4 = a4.add(DoubleVector.fromArray(S, x, p + 4 * L).mul(DoubleVector.fromArray(S, y, q + 4 * L)));
                a5 = a5.add(DoubleVector.fromArray(S, x, p + 5 * L).mul(DoubleVector.fromArray(S, y, q + 5 * L)));
                a6 = a6.add(DoubleVector.fromArray(S, x, p + 6 * L).mul(DoubleVector.fromArray(S, y, q + 6 * L)));
                a7 = a7.add(DoubleVector.fromArray(S, x, p + 7 * L).mul(DoubleVector.fromArray(S, y, q + 7 * L)));
            }
        }
        double t = 0.0;
        for (int i = m; i < n; i++) {
            t += x[xOff + i] * y[yOff + i];
        }
        return combine(a0, a1, a2, a3, a4, a5, a6, a7) + t;
    }

    /**
     * Same contract as {@link ScalarElementwise#sumOfSquares}, in the interleaved order described on the class:
     * deterministic, within about {@code n * 2^-52 * sum x^2} of the reference.
     *
     * @return the sum of squares
     */
    public static double sumOfSquares(double[] x, int xOff, int n) {
        KernelArgs.length("sumOfSquares", n);
        KernelArgs.range("sumOfSquares", "x", x, xOff, n);
        // Below one block the order is plain left to right. The blocked loop lives in its own method so that this one
        // stays small enough for the JIT to inline into callers, which makes short reductions as cheap as scalar ones.
        return n < InterleavedSums.WIDTH || !INTERLEAVED_FITS
                ? InterleavedSums.sumOfSquares(x, xOff, n)
                : sumOfSquaresBlocks(x, xOff, n);
    }

    private static double sumOfSquaresBlocks(double[] x, int xOff, int n) {
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int m = n - n % InterleavedSums.WIDTH;
        for (int i = 0; i < m; i += InterleavedSums.WIDTH) {
            int p = xOff + i;
            DoubleVector v0 = DoubleVector.fromArray(S, x, p);
            a0 = a0.add(v0.mul(v0));
            if (K >= 2) {
                DoubleVector v1 = DoubleVector.fromArray(S, x, p + L);
                a1 = a1.add(v1.mul(v1));
            }
            if (K >= 4) {
                DoubleVector v2 = DoubleVector.fromArray(S, x, p + 2 * L);
                DoubleVector v3 = DoubleVector.fromArray(S, x, p + 3 * L);
                a2 = a2.add(v2.mul(v2));
                a3 = a3.add(v3.mul(v3));
            }
            if (K >= 8) {
                DoubleVector v4 = DoubleVector.fromArray(S, x, p + 4 * L);
                DoubleVector v5 = DoubleVector.fromArray(S, x, p + 5 * L);
                DoubleVector v6 = DoubleVector.fromArray(S, x, p + 6 * L);
                DoubleVector v7 = DoubleVector.fromArray(S, x, p + 7 * L);
                a4 = a4.add(v4.mul(v4));
                a5 = a5.add(v5.mul(v5));
                a6 = a6.add(v6.mul(v6));
                a7 = a7.add(v7.mul(v7));
            }
        }
        double t = 0.0;
        for (int i = m; i < n; i++) {
            double v = x[xOff + i];
            t += v * v;
        }
        return combine(a0, a1, a2, a3, a4, a5, a6, a7) + t;
    }

    /**
     * Combines the 16 partial sums held in the first {@link #K} accumulators by halving (see
     * {@link InterleavedSums}): partial {@code j} absorbs partial {@code j + 8}, then {@code j + 4}, {@code j + 2},
     * {@code j + 1}. Small enough for C2 to inline, so the vectors never leave registers: the last halvings add
     * extracted lanes rather than a {@code slice} of the vector, whose shuffle is so many IR nodes that in a kernel with
     * two sums C2 stopped inlining the second call, and then boxed that sum's accumulators on every iteration of the
     * loop before it (the layer-norm backward took 1.9 times as long).
     */
    static double combine(DoubleVector a0, DoubleVector a1, DoubleVector a2, DoubleVector a3,
                                  DoubleVector a4, DoubleVector a5, DoubleVector a6, DoubleVector a7) {
        if (K >= 8) {
            a0 = a0.add(a4);
            a1 = a1.add(a5);
            a2 = a2.add(a6);
            a3 = a3.add(a7);
        }
        if (K >= 4) {
            a0 = a0.add(a2);
            a1 = a1.add(a3);
        }
        if (K >= 2) {
            a0 = a0.add(a1);
        }
        if (L == 2) return a0.lane(0) + a0.lane(1);
        if (L == 4) return (a0.lane(0) + a0.lane(2)) + (a0.lane(1) + a0.lane(3));
        if (L == 8) { // partial j absorbs j + 4, then as for L == 4
            return ((a0.lane(0) + a0.lane(4)) + (a0.lane(2) + a0.lane(6))) + ((a0.lane(1) + a0.lane(5)) + (a0.lane(3) + a0.lane(7)));
        }
        for (int half = L / 2; half >= 4; half >>= 1) { // wider vectors than any machine has for doubles today
            a0 = a0.add(a0.slice(half));
        }
        return (a0.lane(0) + a0.lane(2)) + (a0.lane(1) + a0.lane(3));
    }

    /**
     * Same contract as {@link ScalarElementwise#max}; identical results, since {@link Math#max} does not depend on
     * the order of its arguments once NaN results are canonicalised.
     *
     * @return the largest element, or {@link Double#NaN} if any element is NaN
     */
    public static double max(double[] x, int xOff, int n) {
        KernelArgs.nonEmpty("max", n);
        KernelArgs.range("max", "x", x, xOff, n);
        // Four independent accumulators hide the latency of the NaN-aware max sequence.
        DoubleVector m0 = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int end = n - n % (4 * L); i < end; i += 4 * L) {
            int p = xOff + i;
            m0 = m0.max(DoubleVector.fromArray(S, x, p));
            m1 = m1.max(DoubleVector.fromArray(S, x, p + L));
            m2 = m2.max(DoubleVector.fromArray(S, x, p + 2 * L));
            m3 = m3.max(DoubleVector.fromArray(S, x, p + 3 * L));
        }
        // MAX is fully associative and commutative, so reduceLanes gives the same value in any order it picks.
        double m = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return Double.isNaN(m) ? Double.NaN : m;
    }

    /**
     * Vector version of {@link Elementwise#maxAbs}. It works on the bits: with the sign bit cleared, the bit patterns of
     * doubles, read as signed longs, are ordered as their magnitudes, and every NaN's lies above infinity's. So an
     * integer max (one instruction on AVX-512) finds the largest magnitude and sees any NaN, where
     * {@code DoubleVector.max} must emulate Java's NaN and signed-zero rules with several instructions per lane.
     *
     * <p>The four accumulators walk the four quarters of the range side by side rather than neighbouring vectors:
     * four streams keep more reads from memory in flight than one, and a single core then reads a gradient that is
     * not in cache about 20 % faster (12 against 14.5 GB/s), which is most of an optimizer's finiteness check. A
     * maximum does not depend on the order it is taken in, so the result is the same.
     */
    public static double maxAbs(double[] x, int xOff, int n) {
        KernelArgs.range("maxAbs", "x", x, xOff, n);
        LongVector m0 = LongVector.zero(LS), m1 = m0, m2 = m0, m3 = m0;
        int q = n / (4 * L) * L;
        for (int i = 0; i < q; i += L) {
            int p = xOff + i;
            m0 = m0.max(magnitudeBits(x, p));
            m1 = m1.max(magnitudeBits(x, p + q));
            m2 = m2.max(magnitudeBits(x, p + 2 * q));
            m3 = m3.max(magnitudeBits(x, p + 3 * q));
        }
        long bits = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (int i = 4 * q; i < n; i++) {
            bits = Math.max(bits, Double.doubleToRawLongBits(x[xOff + i]) & Long.MAX_VALUE);
        }
        double m = Double.longBitsToDouble(bits);
        return Double.isNaN(m) ? Double.NaN : m;
    }

    private static final VectorSpecies<Long> LS = S.withLanes(long.class);

    private static LongVector magnitudeBits(double[] x, int at) {
        return ((LongVector) DoubleVector.fromArray(S, x, at).viewAsIntegralLanes()).and(Long.MAX_VALUE);
    }
}

package dev.descent.core.kernel;

/**
 * The exponential, the hyperbolic tangent and the logistic function as one fixed sequence of IEEE 754 operations
 * (additions, multiplications, fused multiply-adds, divisions and exponent-bit arithmetic), so that the scalar forms
 * here and the vector forms in {@link VectorElementwise} give the same bits for the same value, in any lane, on any
 * vector width, compiled or interpreted. (The JDK's own vector math library gives other bits than {@link Math}, and
 * runs only where the JIT manages to call it; elsewhere it falls back to {@code Math} lane by lane, so its results
 * would depend on the JIT.)
 *
 * <p><b>exp.</b> Cody–Waite reduction {@code x = k·ln2 + r} with {@code k = rint(x/ln2)}, {@code |r| <= ln2/2}: the
 * product {@code k·LN2_HI} and {@code x − k·LN2_HI} are exact with a fused multiply-add (the difference is a multiple
 * of 2<sup>−55</sup> below ½, so it has at most 53 significant bits), the second constant {@code LN2_LO} is folded in
 * with its rounding error kept ({@code r = rHi + rErr}). Then {@code e^r = 1 + r + r²·Q(r)} with {@code Q} the Taylor
 * series of {@code (e^r − 1 − r)/r²} to the term in r<sup>11</sup> (truncation below 5·10<sup>−18</sup>, 0.05 ulp),
 * the sum {@code 1 + rHi} split exactly into a head and a tail so that only the last addition rounds, and the power
 * of two applied as two exact factors {@code 2^k1 · 2^k2} ({@code k1 + k2 = k}), so that results near overflow and in
 * the subnormal range come out right. Error: within 1 ulp of {@link Math#exp} (measured: ElementwiseTest).
 *
 * <p><b>tanh</b>, in fdlibm's two forms from one reduction of {@code y = −2|x|}: for {@code |x| < 1},
 * {@code −t/(t + 2)} with {@code t = e^y − 1} summed without cancellation; above, {@code 1 − 2e/(1 + e)} with
 * {@code e = e^y}; the sign of {@code x} put back. Within 2 ulp of {@link Math#tanh}. <b>sigmoid</b>: {@code 1/(1 + e)} or {@code e/(1 + e)} with
 * {@code e = e^(−|x|)}, as {@link ScalarElementwise#sigmoid}; within 4 ulp.
 */
public final class Transcendentals {
    private Transcendentals() {}

    /** 1/ln 2. */
    static final double INV_LN2 = 1.4426950408889634;
    /** ln 2 rounded to double, and the rest of it. */
    static final double LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996E-17;
    /** 1.5·2<sup>52</sup>: adding it rounds a number below 2<sup>51</sup> to an integer held in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    /** Inputs are clamped to this range first: beyond it e^x is 0 or infinite anyway, and k stays small. */
    static final double LOWEST = -746, HIGHEST = 710;
    /** Taylor coefficients 1/(j + 2)! of {@code Q(r) = (e^r − 1 − r)/r²}, j = 0 … 11. */
    static final double C0 = 1.0 / 2, C1 = 1.0 / 6, C2 = 1.0 / 24, C3 = 1.0 / 120, C4 = 1.0 / 720, C5 = 1.0 / 5040,
            C6 = 1.0 / 40320, C7 = 1.0 / 362880, C8 = 1.0 / 3628800, C9 = 1.0 / 39916800, C10 = 1.0 / 479001600,
            C11 = 1.0 / 6227020800.0;
    /** Below this magnitude tanh takes the {@code −t/(t + 2)} form. */
    static final double TANH_SPLIT = 1;
    /** tanh clamps its {@code y = −2|x|} to at least this. */
    static final double TANH_LOWEST = -40;

    /** {@code Q(r)} by Horner's rule with fused multiply-adds. */
    static double q(double r) {
        double p = Math.fma(r, C11, C10);
        p = Math.fma(r, p, C9);
        p = Math.fma(r, p, C8);
        p = Math.fma(r, p, C7);
        p = Math.fma(r, p, C6);
        p = Math.fma(r, p, C5);
        p = Math.fma(r, p, C4);
        p = Math.fma(r, p, C3);
        p = Math.fma(r, p, C2);
        p = Math.fma(r, p, C1);
        return Math.fma(r, p, C0);
    }

    /** 2<sup>k</sup> for the integer {@code k} that {@code shifted = k + SHIFT} holds, {@code |k| <= 1022}. */
    static double powerOfTwo(double shifted) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(shifted) - SHIFT_BITS + 1023) << 52);
    }

    /** e<sup>x</sup>; see the class comment. */
    public static double exp(double x) {
        double xc = Math.min(Math.max(x, LOWEST), HIGHEST);
        double shifted = Math.fma(xc, INV_LN2, SHIFT), k = shifted - SHIFT;
        double rHi = Math.fma(-k, LN2_HI, xc);
        double r = Math.fma(-k, LN2_LO, rHi), rErr = Math.fma(-k, LN2_LO, rHi - r);
        double head = 1 + r, tail = (1 - head) + r;
        double m = head + (tail + Math.fma(r * r, q(r), rErr));
        // k = k1 + k2, each within the normal exponents: e^x = m·2^k1·2^k2, exact but for the last rounding
        double half = Math.fma(k, 0.5, SHIFT), k1 = half - SHIFT;
        return m * powerOfTwo(half) * powerOfTwo((k - k1) + SHIFT);
    }

    /** tanh x; see the class comment. */
    public static double tanh(double x) {
        double a = Math.abs(x);
        // one reduction of y = −2|x| for both forms; below −40, e^y is lost next to 1 and tanh rounds to ±1 anyway
        double y = Math.max(-2 * a, TANH_LOWEST);
        double shifted = Math.fma(y, INV_LN2, SHIFT), k = shifted - SHIFT;
        double rHi = Math.fma(-k, LN2_HI, y);
        double r = Math.fma(-k, LN2_LO, rHi), rErr = Math.fma(-k, LN2_LO, rHi - r);
        double scale = powerOfTwo(shifted);
        double head = 1 + r, tail = (1 - head) + r;
        double low = tail + Math.fma(r * r, q(r), rErr);
        double z;
        if (a < TANH_SPLIT) {
            // t = e^y − 1 = scale·(head + low) − 1: u = scale·head is at most 1 (r <= 0 when k = 0), so u − 1 splits
            // exactly into v and its error, and only the last addition rounds
            double u = scale * head, v = u - 1, err = u - (v + 1);
            double t = v + Math.fma(scale, low, err);
            z = -t / (t + 2);
        } else {
            double e = scale * (head + low);
            z = 1 - (e + e) / (1 + e);
        }
        return Math.copySign(z, x);
    }

    /** 1/(1 + e<sup>−x</sup>), never exponentiating a large positive number; see the class comment. */
    public static double sigmoid(double x) {
        double e = exp(-Math.abs(x)), d = 1 + e;
        return x < 0 ? e / d : 1 / d;
    }
}

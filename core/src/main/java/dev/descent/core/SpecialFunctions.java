package dev.descent.core;

/**
 * The error function, its complement and the standard normal distribution, in float64, to within a few units in the
 * last place. They are what the exact GELU, {@code x Phi(x)}, and its derivative, {@code Phi(x) + x phi(x)}, need.
 *
 * <h2>Method</h2>
 * For {@code |x| < 0.5}, {@code erf(x) = x * sum a_n x^(2n)} with the Maclaurin coefficients
 * {@code a_n = (2/sqrt(pi)) (-1)^n / (n! (2n+1))} (13 terms), and {@code erfc = 1 - erf}. For {@code |x| >= 0.5},
 * {@code erfc(|x|) = exp(-x^2) * erfcx(|x|)}, where the scaled function {@code erfcx(x) = exp(x^2) erfc(x)} is smooth
 * and slowly varying, and is evaluated by Clenshaw's recurrence from Chebyshev series: one in {@code x} on
 * {@code [0.5, 1.5]}, one on {@code [1.5, 3]}, and for {@code x >= 3} one for {@code sqrt(pi) x erfcx(x)} in
 * {@code w = 9/x^2}, which tends to 1 as {@code x -> infinity}. Then {@code erf = 1 - erfc} and the negative half
 * follows from {@code erf(-x) = -erf(x)}, {@code erfc(-x) = 2 - erfc(x)}. The coefficients were fitted in 50-digit
 * arithmetic by {@code core/src/test/resources/reference/erf_coefficients.py}; each truncated series, with its
 * coefficients rounded to double but evaluated exactly, is within 1e-16 relative of the function it replaces.
 *
 * <p>{@code exp(-x^2)} is where tail accuracy is usually lost: rounding {@code x*x} to a double perturbs the exponent
 * by up to {@code x^2 * 2^-53}, a relative error of 8e-14 in the result at {@code x = 26}. Here {@code x} is split
 * into {@code hi}, its top 26 significant bits, and {@code lo = x - hi}, so that {@code hi*hi} is exact and
 * {@code x^2 = hi^2 + lo (x + hi)} (the trick fdlibm's {@code erfc} uses); {@code exp(-x^2)} is then the product of
 * two accurate exponentials. {@link #normalCdf(double)} and {@link #normalPdf(double)} apply the same split to
 * {@code x^2 / 2} directly rather than rounding {@code x / sqrt 2} first, so they keep full relative accuracy down to
 * {@code normalCdf(-37) = 5.7e-300}.
 *
 * <p>Accuracy: the tests require relative error at most 1e-14 against 450-digit references wherever the result is in
 * the normal floating-point range, which {@code erfc} leaves near {@code x = 26.54} and {@code normalCdf} near
 * {@code x = -37.5}; below it results fade through the subnormals to 0. The worst error observed on 20,000 random
 * arguments in {@code [-40, 27]} was 4 ulp (5.4e-16 relative). The functions are monotone up to rounding: one ulp
 * step in {@code x} never moves the result the wrong way by more than 2 ulp, including where the pieces meet.
 *
 * <p>Determinism: only {@link StrictMath#exp} and IEEE arithmetic are used, so results are identical on every
 * machine.
 */
public final class SpecialFunctions {

    private SpecialFunctions() {}

    /** 1/sqrt(pi). */
    private static final double INV_SQRT_PI = 0.5641895835477563;
    /** 1/sqrt(2). */
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** 1/sqrt(2 pi), the standard normal density at 0. */
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** Below this |x| the Maclaurin series is used; from it on, the erfcx series. */
    private static final double SERIES_LIMIT = 0.5;
    /** From here on erfc(x) < 2^-54, so 1 - erfc(x) rounds to 1 (and 2 - erfc(x) to 2). */
    private static final double ERF_IS_ONE = 6.0;
    /** From here on erfc(x) is below half the smallest subnormal; exp(-x^2) underflows already at 27.3. */
    private static final double ERFC_IS_ZERO = 27.5;
    /** Beyond this |x| the normal density and lower tail underflow (exp(-x^2/2) is 0 from |x| = 38.6). */
    private static final double NORMAL_IS_ZERO = 39.0;

    // Coefficient tables printed by core/src/test/resources/reference/erf_coefficients.py.

    /** Maclaurin coefficients a_n of erf(x)/x in powers of x^2. */
    private static final double[] MACLAURIN = {
        1.1283791670955126,
        -0.37612638903183754,
        0.11283791670955126,
        -0.026866170645131252,
        0.005223977625442188,
        -0.0008548327023450853,
        0.00012055332981789664,
        -1.492565035840625e-05,
        1.6462114365889248e-06,
        -1.6365844691234924e-07,
        1.4807192815879218e-08,
        -1.2290555301717928e-09,
        9.422759064650411e-11
    };

    /** Chebyshev coefficients of erfcx(x) in u = 2x - 2, for x in [0.5, 1.5]. */
    private static final double[] ERFCX_1 = {
        0.447795810680899,
        -0.14437117094579746,
        0.02052348013327858,
        -0.0026459068473904633,
        0.0003148828357127584,
        -3.501741816305982e-05,
        3.6716735606971222e-06,
        -3.654722598254305e-07,
        3.4721186358948525e-08,
        -3.162115483017617e-09,
        2.7705635476511733e-10,
        -2.3425031428441204e-11,
        1.916171382436389e-12,
        -1.5198378406714607e-13,
        1.1711473727725093e-14,
        -8.78250623357929e-16,
        6.41911560261423e-17,
        -4.578977398787957e-18
    };

    /** Chebyshev coefficients of erfcx(x) in u = (4x - 9)/3, for x in [1.5, 3]. */
    private static final double[] ERFCX_2 = {
        0.24053480758125906,
        -0.07002344166079719,
        0.009600878679433074,
        -0.0012498980008193367,
        0.00015543814890469813,
        -1.855313555400582e-05,
        2.133592307604103e-06,
        -2.371402766692384e-07,
        2.55413451244302e-08,
        -2.6717820267380714e-09,
        2.7196732086441914e-10,
        -2.69849922254067e-11,
        2.6137310637536914e-12,
        -2.4745867372775445e-13,
        2.292750085463851e-14,
        -2.0810401517313836e-15,
        1.8521975554736953e-16,
        -1.617904086716717e-17
    };

    /** Chebyshev coefficients of sqrt(pi) x erfcx(x) in u = 2w - 1 with w = 9/x^2, for x >= 3. */
    private static final double[] ERFCX_TAIL = {
        0.9750834237085559,
        -0.024049393850414606,
        0.000820452240880432,
        -4.3429308130342754e-05,
        3.018447034034932e-06,
        -2.5447331925082054e-07,
        2.4858353020510936e-08,
        -2.7317201323822406e-09,
        3.308472279656103e-10,
        -4.350549079672218e-11,
        6.141214566159981e-12,
        -9.223692795989471e-13,
        1.463566470109335e-13,
        -2.439277512379979e-14,
        4.249758881830506e-15,
        -7.708441130932807e-16,
        1.450688328319587e-16,
        -2.824243315196893e-17
    };

    /**
     * The error function {@code erf(x) = (2/sqrt(pi)) * integral from 0 to x of exp(-t^2) dt}.
     *
     * @param x any value
     * @return {@code erf(x)} in {@code [-1, 1]}; {@code erf(+-inf) = +-1}, {@code erf(-0.0) = -0.0}, NaN for NaN
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < SERIES_LIMIT) {
            return x * maclaurin(x * x);
        }
        if (ax >= ERF_IS_ONE) {
            return Math.copySign(1.0, x); // also +-infinity
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double r = 1.0 - expMinusScaledSquare(ax, 1.0) * erfcx(ax);
        return x < 0 ? -r : r;
    }

    /**
     * The complementary error function {@code erfc(x) = 1 - erf(x)}, computed without the cancellation that
     * subtracting from 1 would cause for large {@code x}.
     *
     * @param x any value
     * @return {@code erfc(x)} in {@code [0, 2]}; {@code erfc(+inf) = 0}, {@code erfc(-inf) = 2}, NaN for NaN;
     *     full relative accuracy down to {@code erfc(26.54) = 2.2e-308}, then subnormal, then 0 above {@code 27.23}
     */
    public static double erfc(double x) {
        double ax = Math.abs(x);
        if (ax < SERIES_LIMIT) {
            return 1.0 - x * maclaurin(x * x);
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double upper = ax >= ERFC_IS_ZERO ? 0.0 : expMinusScaledSquare(ax, 1.0) * erfcx(ax);
        return x > 0 ? upper : 2.0 - upper;
    }

    /**
     * The standard normal cumulative distribution function {@code Phi(x) = erfc(-x/sqrt 2) / 2}.
     *
     * @param x any value
     * @return {@code Phi(x)} in {@code [0, 1]}; {@code Phi(-inf) = 0}, {@code Phi(+inf) = 1}, NaN for NaN; full
     *     relative accuracy in the lower tail down to {@code x = -37.5}, then subnormal, then 0 below {@code -38.5}
     */
    public static double normalCdf(double x) {
        double y = x * INV_SQRT2;
        double ay = Math.abs(y);
        if (ay < SERIES_LIMIT) {
            return 0.5 + 0.5 * (y * maclaurin(y * y));
        }
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return x < -NORMAL_IS_ZERO ? 0.0 : 0.5 * expMinusScaledSquare(x, 0.5) * erfcx(ay);
        }
        return ay >= ERF_IS_ONE ? 1.0 : 1.0 - 0.5 * expMinusScaledSquare(x, 0.5) * erfcx(ay);
    }

    /**
     * The standard normal probability density {@code phi(x) = exp(-x^2/2) / sqrt(2 pi)}.
     *
     * @param x any value
     * @return {@code phi(x)} in {@code [0, 0.3989...]}; 0 for infinite {@code x} (underflows to 0 beyond
     *     {@code |x| = 38.6}), NaN for NaN
     */
    public static double normalPdf(double x) {
        if (Math.abs(x) > NORMAL_IS_ZERO) {
            return 0.0;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        return INV_SQRT_2PI * expMinusScaledSquare(x, 0.5);
    }

    /** {@code erf(x)/x} for {@code x^2 = x2 < 0.25}, by Horner's rule. */
    private static double maclaurin(double x2) {
        double sum = MACLAURIN[MACLAURIN.length - 1];
        for (int n = MACLAURIN.length - 2; n >= 0; n--) {
            sum = sum * x2 + MACLAURIN[n];
        }
        return sum;
    }

    /** {@code exp(x^2) erfc(x)} for {@code x >= 0.5}. */
    private static double erfcx(double x) {
        if (x < 1.5) {
            return clenshaw(ERFCX_1, 2.0 * x - 2.0);
        }
        if (x < 3.0) {
            return clenshaw(ERFCX_2, (4.0 * x - 9.0) / 3.0);
        }
        double w = 9.0 / (x * x);
        return clenshaw(ERFCX_TAIL, 2.0 * w - 1.0) * INV_SQRT_PI / x;
    }

    /** {@code c[0] + sum_{k >= 1} c[k] T_k(u)} for {@code u} in {@code [-1, 1]}, by Clenshaw's recurrence. */
    private static double clenshaw(double[] c, double u) {
        double twoU = 2.0 * u;
        double b1 = 0.0;
        double b2 = 0.0;
        for (int k = c.length - 1; k >= 1; k--) {
            double b0 = twoU * b1 - b2 + c[k];
            b2 = b1;
            b1 = b0;
        }
        return u * b1 - b2 + c[0];
    }

    /**
     * {@code exp(-scale * x^2)} for a power-of-two {@code scale} and {@code |x| < 40}, without the error of rounding
     * {@code x^2}: with {@code hi} the top 26 significant bits of {@code x}, {@code scale * hi * hi} is exact and the
     * remainder {@code x^2 - hi^2 = (x - hi)(x + hi)} is small, so its rounding error is negligible.
     */
    private static double expMinusScaledSquare(double x, double scale) {
        double hi = Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xffff_ffff_f800_0000L);
        double lo = x - hi;
        return StrictMath.exp(-scale * hi * hi) * StrictMath.exp(-scale * lo * (x + hi));
    }
}

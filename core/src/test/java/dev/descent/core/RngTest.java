package dev.descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RngTest {

    // ---- Reference streams, printed by core/src/test/resources/reference/rng_reference.c (see README.md there). ----

    private static final long[] SPLITMIX64_SEED_0 =
            {0xe220a8397b1dcdafL, 0x6e789e6aa1b965f4L, 0x06c45d188009454fL, 0xf88bb8a8724c81ecL};
    private static final long[] SPLITMIX64_SEED_1 =
            {0x910a2dec89025cc1L, 0xbeeb8da1658eec67L, 0xf893a2eefb32555eL, 0x71c18690ee42c90bL};
    private static final long[] XOSHIRO_FROM_1_2_3_4 = {
        0x0000000000002d00L, 0x0000000000000000L, 0x000000005a007080L, 0x10e0000000009d80L, 0x10e0b61ce1009d80L,
        0x0870021ce143ad00L, 0xe071c3c2e143f089L, 0x75a1690ef7a20380L, 0x9309685b465c23f9L, 0x284f3cc2e13e3c88L
    };
    private static final long[] STATE_SEED_42 =
            {0xbdd732262feb6e95L, 0x28efe333b266f103L, 0x47526757130f9f52L, 0x581ce1ff0e4ae394L};
    private static final long[] NEXT_LONG_SEED_42 = {
        0x15780b2e0c2ec716L, 0x6104d9866d113a7eL, 0xae17533239e499a1L, 0xecb8ad4703b360a1L, 0xfde6dc7fe2ec5e64L,
        0xc50da53101795238L, 0xb82154855a65ddb2L, 0xd99a2743ebe60087L, 0xc2e96e726e97647eL, 0x9556615f775fbc3dL
    };
    private static final double[] NEXT_DOUBLE_SEED_42 = {
        0x1.5780b2e0c2ecp-4, 0x1.84136619b444ep-2, 0x1.5c2ea66473c93p-1, 0x1.d9715a8e0766cp-1, 0x1.fbcdb8ffc5d8bp-1
    };
    private static final int[] NEXT_INT_BOUNDS = {1, 2, 3, 10, 1000, Integer.MAX_VALUE, 6, 7};
    private static final int[] NEXT_INT_SEED_42 = {0, 0, 2, 9, 991, 1653002903, 4, 5};
    private static final double[] NEXT_GAUSSIAN_SEED_42 = {
        -0x1.73d2feb0fb377p-1, 0x1.c5e21f7812a4cp-3, 0x1.db514bfac5b4ep-2,
        0x1.79eb7c13cfccdp+0, 0x1.02007c2380aeap+0, 0x1.06f74c2a8e101p+0
    };
    private static final int[] PERMUTATION_10_SEED_42 = {9, 1, 4, 2, 8, 7, 6, 5, 3, 0};
    private static final long[] SPLIT_CHILD_SEED_42 =
            {0x8ee445d14631c453L, 0x106fa1a13296fe62L, 0x729a768806244ce5L, 0x91d83a17b20e6585L};
    private static final long[] SPLIT_PARENT_AFTER_SEED_42 =
            {0x6104d9866d113a7eL, 0xae17533239e499a1L, 0xecb8ad4703b360a1L, 0xfde6dc7fe2ec5e64L};

    private static long[] nextLongs(Rng rng, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextLong();
        }
        return out;
    }

    // ---- The bits match the C reference. ----

    @Test
    void seedingFillsTheStateWithTheFirstFourSplitMix64Outputs() {
        assertArrayEquals(SPLITMIX64_SEED_0, new Rng(0).state());
        assertArrayEquals(SPLITMIX64_SEED_1, new Rng(1).state());
        assertArrayEquals(STATE_SEED_42, new Rng(42).state());
    }

    @Test
    void xoshiro256StarStarFromState1234MatchesTheReference() {
        assertArrayEquals(XOSHIRO_FROM_1_2_3_4, nextLongs(Rng.fromState(new long[] {1, 2, 3, 4}), 10));
    }

    @Test
    void nextLongFromSeed42MatchesTheReference() {
        assertArrayEquals(NEXT_LONG_SEED_42, nextLongs(new Rng(42), 10));
    }

    @Test
    void nextDoubleFromSeed42MatchesTheReference() {
        Rng rng = new Rng(42);
        for (double expected : NEXT_DOUBLE_SEED_42) {
            assertEquals(expected, rng.nextDouble());
        }
    }

    @Test
    void nextIntFromSeed42MatchesTheReference() {
        Rng rng = new Rng(42);
        for (int i = 0; i < NEXT_INT_BOUNDS.length; i++) {
            assertEquals(NEXT_INT_SEED_42[i], rng.nextInt(NEXT_INT_BOUNDS[i]), "bound " + NEXT_INT_BOUNDS[i]);
        }
    }

    @Test
    void nextGaussianFromSeed42MatchesTheReferenceToTheBit() {
        // The C reference uses glibc's log/sqrt, Rng uses StrictMath; they agree on these values (see README.md).
        Rng rng = new Rng(42);
        for (double expected : NEXT_GAUSSIAN_SEED_42) {
            assertEquals(expected, rng.nextGaussian());
        }
    }

    @Test
    void permutationFromSeed42MatchesTheReference() {
        assertArrayEquals(PERMUTATION_10_SEED_42, new Rng(42).permutation(10));
    }

    @Test
    void splitFromSeed42MatchesTheReference() {
        Rng parent = new Rng(42);
        Rng child = parent.split();
        assertArrayEquals(SPLIT_CHILD_SEED_42, nextLongs(child, 4));
        assertArrayEquals(SPLIT_PARENT_AFTER_SEED_42, nextLongs(parent, 4));
    }

    // ---- Determinism and independence. ----

    @Property(tries = 100)
    void theSameSeedGivesTheSameSequence(@ForAll long seed) {
        Rng a = new Rng(seed);
        Rng b = new Rng(seed);
        assertArrayEquals(nextLongs(a, 32), nextLongs(b, 32));
        assertEquals(a.nextGaussian(), b.nextGaussian());
        assertArrayEquals(a.permutation(17), b.permutation(17));
    }

    @Property(tries = 100)
    void differentSeedsGiveDifferentSequences(@ForAll long seed) {
        // Neighbouring seeds are the likeliest to collide under a weak seeding function.
        long[] first = nextLongs(new Rng(seed), 4);
        assertFalse(Arrays.equals(first, nextLongs(new Rng(seed + 1), 4)));
        assertFalse(Arrays.equals(first, nextLongs(new Rng(seed ^ Long.MIN_VALUE), 4)));
    }

    @Property(tries = 100)
    void aSplitDiffersFromItsParentAndFromItsSiblings(@ForAll long seed) {
        Rng parent = new Rng(seed);
        Rng first = parent.split();
        Rng second = parent.split();
        long[] p = nextLongs(parent, 8);
        long[] a = nextLongs(first, 8);
        long[] b = nextLongs(second, 8);
        assertFalse(Arrays.equals(p, a));
        assertFalse(Arrays.equals(p, b));
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void splitIsDeterministic() {
        Rng a = new Rng(7);
        Rng b = new Rng(7);
        assertArrayEquals(nextLongs(a.split().split(), 8), nextLongs(b.split().split(), 8));
        assertArrayEquals(nextLongs(a, 8), nextLongs(b, 8));
    }

    @Test
    void aSplitIsUncorrelatedWithItsParent() {
        // Sample correlation of 100k paired uniforms; under independence it has standard error 1/sqrt(n).
        int n = 100_000;
        Rng parent = new Rng(3);
        Rng child = parent.split();
        double sxy = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double x = parent.nextDouble();
            double y = child.nextDouble();
            sx += x;
            sy += y;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        double cov = sxy / n - (sx / n) * (sy / n);
        double r = cov / Math.sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
        assertTrue(Math.abs(r) < 5 / Math.sqrt(n), "correlation " + r);
    }

    // ---- State snapshots. ----

    @Property(tries = 50)
    void stateRoundTripContinuesIdentically(@ForAll long seed, @ForAll @IntRange(max = 100) int warmup) {
        Rng rng = new Rng(seed);
        for (int i = 0; i < warmup; i++) {
            rng.nextGaussian();
        }
        Rng restored = Rng.fromState(rng.state());
        assertArrayEquals(nextLongs(rng, 16), nextLongs(restored, 16));
        assertEquals(rng.nextGaussian(), restored.nextGaussian());
        assertArrayEquals(rng.state(), restored.state());
    }

    @Test
    void stateIsACopyInBothDirections() {
        Rng rng = new Rng(5);
        long[] snapshot = rng.state();
        snapshot[0] ^= 1;
        assertNotEquals(snapshot[0], rng.state()[0]);

        long[] given = {1, 2, 3, 4};
        Rng restored = Rng.fromState(given);
        given[1] = 99;
        assertArrayEquals(XOSHIRO_FROM_1_2_3_4, nextLongs(restored, 10));
    }

    // ---- Ranges at the extremes of the raw output. ----

    /** The inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits). */
    private static long inverseMod2To64(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    /** A generator whose next output is {@code output}: solves rotl(s1 * 5, 7) * 9 == output for s1. */
    private static Rng rngWhoseNextOutputIs(long output) {
        long s1 = Long.rotateRight(output * inverseMod2To64(9), 7) * inverseMod2To64(5);
        return Rng.fromState(new long[] {1, s1, 0, 0});
    }

    @Test
    void nextDoubleSpansZeroToJustBelowOne() {
        assertEquals(0.0, rngWhoseNextOutputIs(0).nextDouble());
        assertEquals(0x1.fffffffffffffp-1, rngWhoseNextOutputIs(-1L).nextDouble());
        assertEquals(-1L, rngWhoseNextOutputIs(-1L).nextLong());
    }

    @Test
    void uniformExcludesTheUpperBoundEvenWhenRoundingReachesIt() {
        // lo + (hi - lo) * (1 - 2^-53) = 2 - 2^-53 rounds (to even) to 2.0 here.
        assertEquals(Math.nextDown(2.0), rngWhoseNextOutputIs(-1L).uniform(1.0, 2.0));
        assertEquals(1.0, rngWhoseNextOutputIs(0).uniform(1.0, 2.0));
        double[] out = new double[1];
        rngWhoseNextOutputIs(-1L).fillUniform(out, 1.0, 2.0);
        assertEquals(Math.nextDown(2.0), out[0]);
    }

    @Test
    void uniformOverAnEmptyIntervalReturnsItsPoint() {
        assertEquals(3.5, new Rng(1).uniform(3.5, 3.5));
        assertEquals(3.5, rngWhoseNextOutputIs(-1L).uniform(3.5, 3.5));
    }

    @Test
    void nextDoubleAndUniformStayInRange() {
        Rng rng = new Rng(11);
        for (int i = 0; i < 100_000; i++) {
            double u = rng.nextDouble();
            assertTrue(u >= 0.0 && u < 1.0, "nextDouble " + u);
            double w = rng.uniform(-3.0, 0.5);
            assertTrue(w >= -3.0 && w < 0.5, "uniform " + w);
        }
    }

    @Test
    void fillUniformAndFillNormalEqualRepeatedCalls() {
        double[] filled = new double[257];
        Rng a = new Rng(9);
        Rng b = new Rng(9);
        a.fillUniform(filled, -2.0, 5.0);
        for (double value : filled) {
            assertEquals(b.uniform(-2.0, 5.0), value);
        }
        a.fillNormal(filled, 1.5, 0.25);
        for (double value : filled) {
            assertEquals(b.normal(1.5, 0.25), value);
        }
        assertArrayEquals(a.state(), b.state());
    }

    // ---- Distributions, with fixed seeds and stated tolerances. ----

    @Test
    void uniformMomentsMatchTheTheory() {
        // U(lo, hi): mean (lo+hi)/2, variance (hi-lo)^2/12. Tolerance: 5 standard errors of each estimator, where
        // Var(sample mean) = sigma^2/n and Var(sample variance) ~ (mu4 - sigma^4)/n with mu4 = (hi-lo)^4/80.
        int n = 100_000;
        double lo = -1.0;
        double hi = 3.0;
        double[] x = new double[n];
        new Rng(21).fillUniform(x, lo, hi);
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double sigma2 = (hi - lo) * (hi - lo) / 12;
        double mu4 = Math.pow(hi - lo, 4) / 80;
        assertEquals((lo + hi) / 2, mean, 5 * Math.sqrt(sigma2 / n));
        assertEquals(sigma2, var, 5 * Math.sqrt((mu4 - sigma2 * sigma2) / n));
    }

    @Test
    void gaussianMomentsMatchTheStandardNormal() {
        // N(0, 1): the sample mean has standard error 1/sqrt(n), the sample variance sqrt(2/(n-1)), the sample
        // skewness sqrt(6/n) and the sample excess kurtosis sqrt(24/n). Tolerance: 5 standard errors each.
        int n = 100_000;
        Rng rng = new Rng(1234);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        double mean = Arrays.stream(x).average().orElseThrow();
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        double var = m2 / (n - 1);
        double skew = (m3 / n) / Math.pow(m2 / n, 1.5);
        double excessKurtosis = (m4 / n) / ((m2 / n) * (m2 / n)) - 3;
        assertEquals(0.0, mean, 5 / Math.sqrt(n), "mean");
        assertEquals(1.0, var, 5 * Math.sqrt(2.0 / (n - 1)), "variance");
        assertEquals(0.0, skew, 5 * Math.sqrt(6.0 / n), "skewness");
        assertEquals(0.0, excessKurtosis, 5 * Math.sqrt(24.0 / n), "excess kurtosis");
    }

    /** The Kolmogorov-Smirnov statistic sqrt(n) * sup |F_n(x) - F(x)| of a sample against a continuous CDF. */
    private static double kolmogorovSmirnov(double[] sample, DoubleUnaryOperator cdf) {
        double[] x = sample.clone();
        Arrays.sort(x);
        int n = x.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(x[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return Math.sqrt(n) * d;
    }

    /** The 0.999 quantile of the Kolmogorov distribution, sqrt(ln(2 / 0.001) / 2). */
    private static final double KS_CRITICAL_0_001 = 1.9495;

    @Test
    void gaussiansFollowTheNormalCdf() {
        int n = 100_000;
        double[] x = new double[n];
        Rng rng = new Rng(4321);
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        double ks = kolmogorovSmirnov(x, SpecialFunctions::normalCdf);
        assertTrue(ks < KS_CRITICAL_0_001, "Kolmogorov-Smirnov statistic " + ks);
    }

    @Test
    void uniformsFollowTheUniformCdf() {
        double[] x = new double[100_000];
        new Rng(8765).fillUniform(x, 0.0, 1.0);
        double ks = kolmogorovSmirnov(x, u -> u);
        assertTrue(ks < KS_CRITICAL_0_001, "Kolmogorov-Smirnov statistic " + ks);
    }

    @Test
    void normalScalesAndShiftsTheStandardNormal() {
        Rng a = new Rng(77);
        Rng b = new Rng(77);
        for (int i = 0; i < 100; i++) {
            assertEquals(-4.0 + 2.5 * b.nextGaussian(), a.normal(-4.0, 2.5));
        }
        assertEquals(-4.0, a.normal(-4.0, 0.0));
    }

    /** Pearson's statistic sum (observed - expected)^2 / expected for equal expected counts. */
    private static double chiSquare(long[] counts, long total) {
        double expected = (double) total / counts.length;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        return chi2;
    }

    @Test
    void nextIntIsUniformOverASmallBound() {
        // 9 degrees of freedom; the 0.999 quantile of chi-square(9) is 27.88.
        int bound = 10;
        int n = 100_000;
        long[] counts = new long[bound];
        Rng rng = new Rng(2024);
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(bound);
            assertTrue(k >= 0 && k < bound, "nextInt " + k);
            counts[k]++;
        }
        double chi2 = chiSquare(counts, n);
        assertTrue(chi2 < 27.88, "chi-square " + chi2 + " for " + Arrays.toString(counts));
    }

    @Test
    void nextIntIsUnbiasedForALargeBoundWhereModuloWouldNotBe() {
        // bound = 3 * 2^29: 2^32 = 2 * bound + 2^30, so reducing 32 random bits modulo bound would put 3/8, 3/8 and
        // 2/8 of the mass in the three thirds of [0, bound) instead of 1/3 each. 2 degrees of freedom; the 0.999
        // quantile of chi-square(2) is 13.82, while the modulo bias would give about 1,700 here.
        int bound = 3 << 29;
        int n = 60_000;
        long[] thirds = new long[3];
        Rng rng = new Rng(99);
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(bound);
            assertTrue(k >= 0 && k < bound, "nextInt " + k);
            thirds[k >>> 29]++;
        }
        double chi2 = chiSquare(thirds, n);
        assertTrue(chi2 < 13.82, "chi-square " + chi2 + " for " + Arrays.toString(thirds));
    }

    @Test
    void nextIntOfOneIsZeroAndOfMaxValueStaysInRange() {
        Rng rng = new Rng(8);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, rng.nextInt(1));
            int k = rng.nextInt(Integer.MAX_VALUE);
            assertTrue(k >= 0 && k < Integer.MAX_VALUE);
        }
    }

    @Property(tries = 100)
    void permutationIsAPermutation(@ForAll long seed, @ForAll @IntRange(max = 200) int n) {
        int[] p = new Rng(seed).permutation(n);
        assertEquals(n, p.length);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void permutationsOfThreeAreEquallyLikely() {
        // 3! = 6 outcomes, 5 degrees of freedom; the 0.999 quantile of chi-square(5) is 20.52.
        int n = 60_000;
        long[] counts = new long[6];
        Rng rng = new Rng(31);
        for (int i = 0; i < n; i++) {
            int[] p = rng.permutation(3);
            counts[p[0] * 2 + (p[1] < p[2] ? 0 : 1)]++;
        }
        double chi2 = chiSquare(counts, n);
        assertTrue(chi2 < 20.52, "chi-square " + chi2 + " for " + Arrays.toString(counts));
    }

    @Test
    void permutationOfZeroAndOneAreTrivial() {
        assertArrayEquals(new int[0], new Rng(1).permutation(0));
        assertArrayEquals(new int[] {0}, new Rng(1).permutation(1));
    }

    @Test
    void manySplitsAreAllDistinct() {
        Rng rng = new Rng(0);
        Set<Long> firstOutputs = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(firstOutputs.add(rng.split().nextLong()), "split " + i + " repeated an earlier child");
        }
    }

    // ---- Bad arguments name the value. ----

    private static void assertMessageContains(String expected, Throwable thrown) {
        assertTrue(thrown.getMessage().contains(expected),
                () -> "message '" + thrown.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void nextIntRejectsNonPositiveBounds() {
        Rng rng = new Rng(1);
        assertMessageContains("got 0", assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0)));
        assertMessageContains("got -5", assertThrows(IllegalArgumentException.class, () -> rng.nextInt(-5)));
    }

    @Test
    void permutationRejectsNegativeLength() {
        assertMessageContains("got -1",
                assertThrows(IllegalArgumentException.class, () -> new Rng(1).permutation(-1)));
    }

    @Test
    void fromStateRejectsWrongLengthAllZeroAndNull() {
        assertMessageContains("got 3",
                assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[] {1, 2, 3})));
        assertMessageContains("got 5",
                assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[5])));
        assertMessageContains("all-zero",
                assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[4])));
        assertThrows(NullPointerException.class, () -> Rng.fromState(null));
    }

    @Test
    void uniformRejectsBadBoundsAndNamesThem() {
        Rng rng = new Rng(1);
        assertMessageContains("lo=2.0, hi=1.0",
                assertThrows(IllegalArgumentException.class, () -> rng.uniform(2.0, 1.0)));
        assertMessageContains("lo=NaN",
                assertThrows(IllegalArgumentException.class, () -> rng.uniform(Double.NaN, 1.0)));
        assertMessageContains("hi=Infinity",
                assertThrows(IllegalArgumentException.class, () -> rng.uniform(0.0, Double.POSITIVE_INFINITY)));
        assertMessageContains("overflows", assertThrows(IllegalArgumentException.class,
                () -> rng.uniform(-Double.MAX_VALUE, Double.MAX_VALUE)));
        assertMessageContains("lo=2.0, hi=1.0",
                assertThrows(IllegalArgumentException.class, () -> rng.fillUniform(new double[3], 2.0, 1.0)));
        assertThrows(NullPointerException.class, () -> rng.fillUniform(null, 0.0, 1.0));
    }

    @Test
    void normalRejectsBadParametersAndNamesThem() {
        Rng rng = new Rng(1);
        assertMessageContains("got -0.5",
                assertThrows(IllegalArgumentException.class, () -> rng.normal(0.0, -0.5)));
        assertMessageContains("got NaN",
                assertThrows(IllegalArgumentException.class, () -> rng.normal(0.0, Double.NaN)));
        assertMessageContains("got Infinity",
                assertThrows(IllegalArgumentException.class, () -> rng.normal(Double.POSITIVE_INFINITY, 1.0)));
        assertMessageContains("got -1.0",
                assertThrows(IllegalArgumentException.class, () -> rng.fillNormal(new double[3], 0.0, -1.0)));
        assertThrows(NullPointerException.class, () -> rng.fillNormal(null, 0.0, 1.0));
    }

    @Test
    void aRejectedFillLeavesTheArrayAndTheGeneratorUnchanged() {
        Rng rng = new Rng(1);
        long[] before = rng.state();
        double[] out = {1.0, 2.0};
        assertThrows(IllegalArgumentException.class, () -> rng.fillNormal(out, 0.0, -1.0));
        assertArrayEquals(new double[] {1.0, 2.0}, out);
        assertArrayEquals(before, rng.state());
    }
}

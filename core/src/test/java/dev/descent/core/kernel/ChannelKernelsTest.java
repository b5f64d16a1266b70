package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.core.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The batch-norm channel kernels: for any [n, c, s] (short runs walked as columns, long ones run by run, sizes that
 * are not multiples of the vector width) and any thread count, the fast kernels give the same bits as the scalar
 * references, and the references equal a plain loop in the documented order.
 */
class ChannelKernelsTest {

    private static double[] random(Rng rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.normal(1, 3);
        return d;
    }

    /** The documented order: per position down the batch, then over the positions, both from +0.0. */
    private static double[] orderedSums(double[] x, int n, int c, int s) {
        double[] out = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double t = 0.0;
            for (int k = 0; k < s; k++) {
                double p = 0.0;
                for (int i = 0; i < n; i++) p += x[(i * c + ch) * s + k];
                t += p;
            }
            out[ch] = t;
        }
        return out;
    }

    @Property(tries = 80, seed = "771")
    void fastKernelsGiveTheBitsOfTheScalarReferencesForAnyShapeAndThreadCount(
            @ForAll @IntRange(min = 0, max = 9) int n, @ForAll @IntRange(min = 0, max = 13) int c,
            @ForAll @IntRange(min = 0, max = 45) int s, @ForAll @IntRange(min = 1, max = 4) int threads, @ForAll long seed) {
        check(n, c, s, threads, seed);
    }

    @Test
    void largeInputsSplitBetweenThreadsGiveTheSameBits() {
        // above the parallel threshold, with run lengths on both paths and an odd channel count
        check(3, 7, (int) (ChannelKernels.PARALLEL / 21) + 5, 3, 1);
        check(700, 37, 3, 2, 2);
        check(640, 129, 1, 4, 3);
    }

    private static void check(int n, int c, int s, int threads, long seed) {
        Rng rng = new Rng(seed);
        int size = n * c * s;
        double[] x = random(rng, size), g = random(rng, size);
        double[] center = random(rng, c), k1 = random(rng, c), k2 = random(rng, c), k3 = random(rng, c);
        String at = "n = " + n + ", c = " + c + ", s = " + s + ", threads = " + threads;

        double[] ref = new double[c], fast = new double[c], ref2 = new double[c], fast2 = new double[c];
        ChannelKernels.scalarSums(x, n, c, s, ref);
        assertArrayEquals(orderedSums(x, n, c, s), ref, "reference sums, " + at);
        ChannelKernels.sums(x, n, c, s, fast, threads);
        assertArrayEquals(ref, fast, "sums, " + at);

        double[] sq = new double[size];
        for (int e = 0; e < size; e++) {
            double d = x[e] - center[e / s % c];
            sq[e] = d * d;
        }
        ChannelKernels.scalarCenteredSquares(x, n, c, s, center, ref);
        assertArrayEquals(orderedSums(sq, n, c, s), ref, "reference centered squares, " + at);
        ChannelKernels.centeredSquares(x, n, c, s, center, fast, threads);
        assertArrayEquals(ref, fast, "centeredSquares, " + at);

        double[] prod = new double[size];
        for (int e = 0; e < size; e++) prod[e] = g[e] * (x[e] - center[e / s % c]);
        ChannelKernels.scalarSumsAndCenteredProducts(g, x, n, c, s, center, ref, ref2);
        assertArrayEquals(orderedSums(g, n, c, s), ref, "reference sums of g, " + at);
        assertArrayEquals(orderedSums(prod, n, c, s), ref2, "reference centered products, " + at);
        ChannelKernels.sumsAndCenteredProducts(g, x, n, c, s, center, fast, fast2, threads);
        assertArrayEquals(ref, fast, "sums of g, " + at);
        assertArrayEquals(ref2, fast2, "centered products, " + at);

        double[] yRef = new double[size], yFast = new double[size];
        ChannelKernels.scalarAffine(x, yRef, n, c, s, center, k1, k2);
        ChannelKernels.affine(x, yFast, n, c, s, center, k1, k2, threads);
        assertArrayEquals(yRef, yFast, "affine, " + at);
        ChannelKernels.scalarGradient(g, x, yRef, n, c, s, center, k1, k2, k3);
        ChannelKernels.gradient(g, x, yFast, n, c, s, center, k1, k2, k3, threads);
        assertArrayEquals(yRef, yFast, "gradient, " + at);
        double[] inPlace = g.clone(); // the gradient written over g, as a plain backward pass may do
        ChannelKernels.gradient(inPlace, x, inPlace, n, c, s, center, k1, k2, k3, threads);
        assertArrayEquals(yRef, inPlace, "gradient written into g, " + at);

        checkBatchNorm(x, g, n, c, s, threads, random(rng, c), random(rng, c), at);
        checkBatchNorm(x, g, n, c, s, threads, null, null, at);
    }

    /**
     * The fused batch-norm kernels (each channel finished before the next) against their references (statistics of
     * all channels first), bit for bit, with batch statistics and with given ones, and written over their input.
     */
    private static void checkBatchNorm(double[] x, double[] g, int n, int c, int s, int threads, double[] w, double[] b,
                                       String at) {
        if (n * s <= 1) return; // batch statistics need two values per channel
        String how = at + (w == null ? ", no affine" : ", affine");
        int size = n * c * s;
        double[] meanRef = new double[c], varRef = new double[c], rstdRef = new double[c], yRef = new double[size];
        ChannelKernels.scalarBatchNorm(x, yRef, n, c, s, w, b, 1e-5, true, meanRef, varRef, rstdRef);
        double[] mean = new double[c], var = new double[c], rstd = new double[c], y = new double[size];
        ChannelKernels.batchNorm(x, y, n, c, s, w, b, 1e-5, true, mean, var, rstd, threads);
        assertArrayEquals(meanRef, mean, "batchNorm mean, " + how);
        assertArrayEquals(varRef, var, "batchNorm var, " + how);
        assertArrayEquals(rstdRef, rstd, "batchNorm rstd, " + how);
        assertArrayEquals(yRef, y, "batchNorm output, " + how);
        double[] inPlace = x.clone();
        ChannelKernels.batchNorm(inPlace, inPlace, n, c, s, w, b, 1e-5, true, new double[c], new double[c], new double[c], threads);
        assertArrayEquals(yRef, inPlace, "batchNorm written over x, " + how);
        for (int ch = 0; ch < c; ch++) {
            double d = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) d += yRef[(i * c + ch) * s + k];
            if (w == null) assertEquals(0, d / (n * s), 1e-9, "batchNorm output has mean 0 per channel, " + how);
        }
        // given statistics (evaluation mode): var is not read
        ChannelKernels.scalarBatchNorm(x, yRef, n, c, s, w, b, 1e-5, false, mean, null, rstd);
        ChannelKernels.batchNorm(x, y, n, c, s, w, b, 1e-5, false, mean, null, rstd, threads);
        assertArrayEquals(yRef, y, "batchNorm with given statistics, " + how);

        for (boolean batchStats : new boolean[] {true, false}) {
            String how2 = how + (batchStats ? ", batch statistics" : ", given statistics");
            double[] dxRef = new double[size], dwRef = new double[c], dbRef = new double[c];
            ChannelKernels.scalarBatchNormBackward(g, x, dxRef, n, c, s, w, mean, rstd, batchStats, dwRef, dbRef);
            double[] dx = new double[size], dw = new double[c], db = new double[c];
            ChannelKernels.batchNormBackward(g, x, dx, n, c, s, w, mean, rstd, batchStats, dw, db, threads);
            assertArrayEquals(dxRef, dx, "batchNormBackward dx, " + how2);
            assertArrayEquals(dwRef, dw, "batchNormBackward dw, " + how2);
            assertArrayEquals(dbRef, db, "batchNormBackward db, " + how2);
            double[] gInPlace = g.clone();
            ChannelKernels.batchNormBackward(gInPlace, x, gInPlace, n, c, s, w, mean, rstd, batchStats, new double[c], new double[c], threads);
            assertArrayEquals(dxRef, gInPlace, "batchNormBackward written into g, " + how2);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("sums: expected x of at least 6 values, got 5",
                assertThrows(IllegalArgumentException.class, () -> ChannelKernels.sums(new double[5], 1, 2, 3, new double[2], 1)).getMessage());
        assertEquals("affine: expected threads >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> ChannelKernels.affine(new double[1], new double[1], 1, 1, 1,
                        new double[1], new double[1], new double[1], 0)).getMessage());
    }
}

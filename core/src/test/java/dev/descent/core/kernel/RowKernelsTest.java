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
 * The layer/group-norm row kernels: the fused Vector API kernel gives the same bits as the scalar reference for any
 * row length (below one block of 16, whole blocks, and odd tails), group count and affine rows present or absent, and
 * the reference's statistics follow the documented formulas.
 */
class RowKernelsTest {

    private static double[] random(Rng rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.normal(0.5, 2);
        return d;
    }

    @Property(tries = 80, seed = "661")
    void fusedKernelsGiveTheBitsOfTheScalarReference(@ForAll @IntRange(min = 0, max = 6) int rows, @ForAll @IntRange(min = 1, max = 70) int len,
                                                     @ForAll @IntRange(min = 1, max = 3) int groups, @ForAll boolean affine, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = rows * len;
        double[] x = random(rng, n), g = random(rng, n);
        double[] w = affine ? random(rng, groups * len) : null, b = affine ? random(rng, groups * len) : null;
        String at = "rows = " + rows + ", len = " + len + ", groups = " + groups + ", affine = " + affine;

        double[] yRef = new double[n], mRef = new double[rows], rRef = new double[rows];
        RowKernels.scalarForward(x, yRef, rows, len, groups, w, b, 1e-5, mRef, rRef);
        double[] y = new double[n], m = new double[rows], r = new double[rows];
        RowKernels.forward(x, y, rows, len, groups, w, b, 1e-5, m, r);
        assertArrayEquals(mRef, m, "mean, " + at);
        assertArrayEquals(rRef, r, "rstd, " + at);
        assertArrayEquals(yRef, y, "output, " + at);
        for (int row = 0; row < rows; row++) {
            double s = 0, q = 0;
            for (int j = 0; j < len; j++) s += x[row * len + j];
            double mu = s / len;
            for (int j = 0; j < len; j++) q += (x[row * len + j] - mu) * (x[row * len + j] - mu);
            assertEquals(mu, m[row], 1e-12 * (1 + Math.abs(mu)), "mean of row " + row + ", " + at);
            assertEquals(1 / Math.sqrt(q / len + 1e-5), r[row], 1e-9 * r[row], "rstd of row " + row + ", " + at);
        }

        double[] dxRef = new double[n], dwRef = random(rng, groups * len), dbRef = random(rng, groups * len);
        double[] dx = new double[n], dw = dwRef.clone(), db = dbRef.clone();
        RowKernels.scalarBackward(g, x, dxRef, rows, len, groups, w, m, r, dwRef, dbRef);
        RowKernels.backward(g, x, dx, rows, len, groups, w, m, r, dw, db);
        assertArrayEquals(dxRef, dx, "dx, " + at);
        assertArrayEquals(dwRef, dw, "dw (added into), " + at);
        assertArrayEquals(dbRef, db, "db (added into), " + at);
        double[] inPlace = g.clone(); // dx written over g, as a plain backward pass may do
        RowKernels.backward(inPlace, x, inPlace, rows, len, groups, w, m, r, new double[groups * len], new double[groups * len]);
        assertArrayEquals(dxRef, inPlace, "dx written into g, " + at);
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("forward: expected y of at least 6 values, got 5",
                assertThrows(IllegalArgumentException.class, () -> RowKernels.forward(new double[6], new double[5], 2, 3, 1, null, null, 1e-5,
                        new double[2], new double[2])).getMessage());
        assertEquals("backward: expected w of at least 6 values, got 3",
                assertThrows(IllegalArgumentException.class, () -> RowKernels.backward(new double[6], new double[6], new double[6], 2, 3, 2,
                        new double[3], new double[2], new double[2], new double[6], new double[6])).getMessage());
    }
}

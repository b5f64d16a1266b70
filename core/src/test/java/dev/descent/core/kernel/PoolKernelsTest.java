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
 * The 2 x 2 argmax: the reference against the definition (first of equal maxima, last NaN), and the vector kernel
 * and the facade against the reference, on values drawn from a small set so that ties, signed zeros, infinities and
 * NaN are frequent, for row lengths around the vector width.
 */
class PoolKernelsTest {
    private static final double[] VALUES = {-1, 0.0, -0.0, 1, 2, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN};

    @Property(tries = 120, seed = "771")
    void vectorKernelAndFacadeAgreeWithTheReference(@ForAll @IntRange(min = 1, max = 3) int planes,
                                                    @ForAll @IntRange(min = 0, max = 9) int h,
                                                    @ForAll @IntRange(min = 0, max = 41) int w, @ForAll long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble() < 0.5 ? VALUES[rng.nextInt(VALUES.length)] : rng.nextGaussian();
        int outs = planes * (h / 2) * (w / 2);
        double[] index = new double[outs];
        int[] pos = new int[outs];
        PoolKernels.scalarArgmax2x2(x, h, w, 0, planes, index, pos);
        String at = planes + " x " + h + " x " + w;
        for (int pl = 0, o = 0; pl < planes; pl++) {
            for (int i = 0; i < h / 2; i++) {
                for (int j = 0; j < w / 2; j++, o++) {
                    int arg = definition(x, pl * h * w, w, i, j);
                    assertEquals(arg, index[o], "reference index at " + o + ", " + at);
                    assertEquals(pl * h * w + arg, pos[o], "reference position at " + o + ", " + at);
                }
            }
        }
        if (Kernels.VECTOR_API) {
            double[] vIndex = new double[outs];
            int[] vPos = new int[outs];
            VectorPoolKernels.argmax2x2(x, h, w, 0, planes, vIndex, vPos);
            assertArrayEquals(index, vIndex, "vector index, " + at);
            assertArrayEquals(pos, vPos, "vector position, " + at);
        }
        double[] fIndex = new double[outs];
        int[] fPos = new int[outs];
        for (int pl = 0; pl < planes; pl++) PoolKernels.argmax2x2(x, h, w, pl, pl + 1, fIndex, fPos); // plane by plane, as threads split them
        assertArrayEquals(index, fIndex, "facade index, " + at);
        assertArrayEquals(pos, fPos, "facade position, " + at);
    }

    /** PyTorch's rule, written out: visit the window row by row, take v when v > best or v is NaN. */
    private static int definition(double[] x, int base, int w, int i, int j) {
        int[] taps = {2 * i * w + 2 * j, 2 * i * w + 2 * j + 1, (2 * i + 1) * w + 2 * j, (2 * i + 1) * w + 2 * j + 1};
        int arg = taps[0];
        double best = Double.NEGATIVE_INFINITY;
        for (int t : taps) {
            double v = x[base + t];
            if (v > best || Double.isNaN(v)) {
                best = v;
                arg = t;
            }
        }
        return arg;
    }

    @Test
    void tooShortArraysAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolKernels.argmax2x2(new double[15], 4, 4, 0, 1, new double[4], new int[4]));
        assertEquals("argmax2x2: expected h, w >= 0, 0 <= fromPlane <= toPlane and arrays for planes up to 1 of 4 x 4, got x of 15, "
                + "index of 4 and pos of 4 values, planes [0, 1)", e.getMessage());
    }
}

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
 * The column-sum kernels: the Vector API version gives the same bits as the scalar reference for every shape (block,
 * single-vector and scalar columns), and both equal a plain loop down each column.
 */
class ColumnSumsTest {

    private static double[] random(Rng rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.normal(1, 3);
        return d;
    }

    @Property(tries = 60, seed = "981")
    void vectorAndScalarKernelsGiveTheSameBitsAsAColumnLoop(@ForAll @IntRange(min = 0, max = 40) int rows,
                                                            @ForAll @IntRange(min = 0, max = 45) int cols, @ForAll long seed) {
        Rng rng = new Rng(seed);
        double[] x = random(rng, rows * cols), g = random(rng, rows * cols), center = random(rng, cols);
        double[] expectSum = new double[cols], expectSq = new double[cols], expectProd = new double[cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                double v = x[i * cols + j], d = v - center[j];
                expectSum[j] += v;
                expectSq[j] += d * d;
                expectProd[j] += g[i * cols + j] * d;
            }
        }
        double[] a = new double[cols], b = new double[cols], c = new double[cols], e = new double[cols];
        ColumnSums.scalarSums(x, rows, cols, a);
        VectorColumnSums.sums(x, rows, cols, b);
        assertArrayEquals(expectSum, a);
        assertArrayEquals(expectSum, b);
        ColumnSums.scalarCenteredSquares(x, rows, cols, center, a);
        VectorColumnSums.centeredSquares(x, rows, cols, center, b);
        assertArrayEquals(expectSq, a);
        assertArrayEquals(expectSq, b);
        ColumnSums.scalarSumsAndCenteredProducts(g, x, rows, cols, center, a, c);
        VectorColumnSums.sumsAndCenteredProducts(g, x, rows, cols, center, b, e);
        double[] expectG = new double[cols];
        ColumnSums.sums(g, rows, cols, expectG);
        assertArrayEquals(expectG, a);
        assertArrayEquals(expectG, b);
        assertArrayEquals(expectProd, c);
        assertArrayEquals(expectProd, e);
    }

    @Test
    void badSizesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnSums.sums(new double[5], 2, 3, new double[3]));
        assertEquals("sums: expected x of at least 6 values, got 5", e.getMessage());
    }
}

package dev.descent.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Bad arguments fail fast, in every entry point, with messages that say what was expected and what was given. */
class MatMulArgumentsTest {

    private static final GemmCase.Kernel FACADE = MatMul::gemm;
    private static final List<GemmCase.Kernel> ENTRY_POINTS = List.of(FACADE, GemmCase.SCALAR, GemmCase.VECTOR);

    // A valid call: [3 x 4] * [4 x 2], every matrix packed tightly from offset 0.
    private final double[] a = new double[12];
    private final double[] b = new double[8];
    private final double[] c = new double[6];

    @Test
    void negativeSizesNameAllThree() {
        assertMessage("gemm: sizes must be non-negative, got m = 3, n = -2, k = 4",
                k -> k.gemm(false, false, 3, -2, 4, a, 0, 4, b, 0, 2, 0, c, 0, 2, 1));
    }

    @Test
    void aTooShortForItsOffsetAndStride() {
        assertMessage("gemm: A is stored m x k = 3 x 4 with lda = 5 from aOff = 2, so a.length must be at least 16,"
                        + " got 12",
                k -> k.gemm(false, false, 3, 2, 4, a, 2, 5, b, 0, 2, 0, c, 0, 2, 1));
    }

    @Test
    void transposedBTooShortNamesItsStoredShape() {
        assertMessage("gemm: B is stored n x k = 2 x 4 (transB) with ldb = 4 from bOff = 1, so b.length must be at"
                        + " least 9, got 8",
                k -> k.gemm(false, true, 3, 2, 4, a, 0, 4, b, 1, 4, 0, c, 0, 2, 1));
    }

    @Test
    void leadingDimensionSmallerThanTheStoredRow() {
        assertMessage("gemm: A is stored k x m = 4 x 3 (transA), so lda must be at least 3, got lda = 2",
                k -> k.gemm(true, false, 3, 2, 4, a, 0, 2, b, 0, 2, 0, c, 0, 2, 1));
        assertMessage("gemm: C is stored m x n = 3 x 2, so ldc must be at least 2, got ldc = 1",
                k -> k.gemm(false, false, 3, 2, 4, a, 0, 4, b, 0, 2, 0, c, 0, 1, 1));
    }

    @Test
    void negativeOffset() {
        assertMessage("gemm: cOff must be non-negative, got -1",
                k -> k.gemm(false, false, 3, 2, 4, a, 0, 4, b, 0, 2, 0, c, -1, 2, 1));
    }

    @Test
    void nullArraysAreNamed() {
        for (GemmCase.Kernel kernel : ENTRY_POINTS) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> kernel.gemm(false, false, 3, 2, 4, a, 0, 4, null, 0, 2, 0, c, 0, 2, 1));
            assertEquals("gemm: array b is null", e.getMessage());
        }
    }

    @Test
    void threadCountMustBePositive() {
        for (GemmCase.Kernel kernel : List.of(FACADE, GemmCase.VECTOR)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernel.gemm(false, false, 3, 2, 4, a, 0, 4, b, 0, 2, 0, c, 0, 2, 0));
            assertEquals("gemm: threads must be at least 1, got 0", e.getMessage());
        }
    }

    private static void assertMessage(String expected, Call call) {
        for (GemmCase.Kernel kernel : ENTRY_POINTS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.on(kernel));
            assertEquals(expected, e.getMessage());
        }
    }

    private interface Call {
        void on(GemmCase.Kernel kernel);
    }
}

package dev.descent.core.kernel;

/**
 * The reference matrix multiplication: a plain triple loop, the specification that {@link VectorMatMul} is tested
 * against and the kernel {@link MatMul} falls back to when the Vector API is absent.
 *
 * <p>Same contract as {@link MatMul}. Each {@code C[i][j]} is computed as {@code beta * C[i][j]} (or {@code 0} when
 * {@code beta == 0}) plus the products {@code op(A)[i][p] * op(B)[p][j]} added one at a time for
 * {@code p = 0, 1, ..., k - 1}. Runs on the calling thread.
 */
public final class ScalarMatMul {

    private ScalarMatMul() {
    }

    /** {@code C[m x n] = op(A) * op(B) + beta * C}; see {@link MatMul} for the storage conventions. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        MatMul.checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        // Element (i, p) of op(A) is a[aOff + i * aRow + p * aCol]; likewise for op(B).
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0 ? 0 : beta * c[ci + j];
            }
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * aRow + p * aCol];
                int bp = bOff + p * bRow;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j * bCol];
                }
            }
        }
    }
}
